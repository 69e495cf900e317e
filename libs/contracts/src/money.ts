/**
 * Money is integer minor units inside (fils for KWD) and a decimal string with the currency's
 * digits outside. No floating point is ever involved: conversions are string arithmetic.
 */
export const CURRENCY_DIGITS: Readonly<Record<string, number>> = { KWD: 3, BHD: 3, OMR: 3, QAR: 2, SAR: 2, AED: 2 };

export interface Money {
  amount: string;
  currency: string;
}

function digitsOf(currency: string): number {
  const digits = CURRENCY_DIGITS[currency];
  if (digits === undefined) throw new RangeError(`unsupported currency ${currency}`);
  return digits;
}

export function formatMinor(minor: number | bigint, currency = 'KWD'): string {
  const value = BigInt(minor);
  const digits = digitsOf(currency);
  const negative = value < 0n;
  const abs = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

export function toMoney(minor: number | bigint, currency = 'KWD'): Money {
  return { amount: formatMinor(minor, currency), currency };
}

/** Parses `"15.000"` into 15000 for KWD; refuses more fraction digits than the currency has. */
export function parseMinor(amount: string, currency = 'KWD'): number {
  const digits = digitsOf(currency);
  const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${amount}`);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) throw new RangeError(`${currency} has ${digits} minor digits: ${amount}`);
  const minor = BigInt(match[1]) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`amount too large: ${amount}`);
  return Number(minor);
}
