import { PlateType, formatMinor } from '@app/contracts';

export type Language = 'ar' | 'en';

/** The recipient's language; Arabic when it is unknown. */
export function languageOf(value: string | null | undefined): Language {
  return value === 'en' ? 'en' : 'ar';
}

const CURRENCY_AR: Record<string, string> = { KWD: 'د.ك', BHD: 'د.ب', OMR: 'ر.ع', QAR: 'ر.ق', SAR: 'ر.س', AED: 'د.إ' };

/** `15.000 د.ك` in Arabic, `KWD 15.000` in English, from integer minor units. */
export function formatMoney(minor: number | bigint, currency: string, lang: Language): string {
  const amount = formatMinor(minor, currency);
  return lang === 'ar' ? `${amount} ${CURRENCY_AR[currency] ?? currency}` : `${currency} ${amount}`;
}

export const TIME_ZONE = 'Asia/Kuwait';

// Arabic: Kuwait's conventions (day/month/year, ص/م, Gulf month names) with the Latin digits that the
// amounts and numbers of the same message use. English: day first, 12-hour clock, as read in Kuwait.
const DATE_FORMATS: Record<Language, Record<'dateTime' | 'date' | 'long', [string, Intl.DateTimeFormatOptions]>> = {
  ar: {
    dateTime: ['ar-KW-u-nu-latn', { dateStyle: 'short', timeStyle: 'short' }],
    date: ['ar-KW-u-nu-latn', { dateStyle: 'short' }],
    long: ['ar-KW-u-nu-latn', { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' }],
  },
  en: {
    dateTime: ['en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h12' }],
    date: ['en-GB', { day: 'numeric', month: 'short', year: 'numeric' }],
    long: ['en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h12' }],
  },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A date (and time) in the recipient's locale, on Kuwait time. */
export function formatDate(value: Date | string, lang: Language, style: 'dateTime' | 'date' | 'long' = 'dateTime'): string {
  const key = `${lang}:${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const [locale, options] = DATE_FORMATS[lang][style];
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: TIME_ZONE });
    formatters.set(key, formatter);
  }
  // ICU may put narrow no-break spaces before am/pm: plain spaces keep English SMS in GSM-7.
  return formatter.format(typeof value === 'string' ? new Date(value) : value).replace(/[\u202f\u00a0]/g, ' ');
}

const PLATE_TYPES: Record<PlateType, { ar: string; en: string }> = {
  PRIVATE: { ar: 'خصوصي', en: 'Private' },
  TAXI: { ar: 'أجرة', en: 'Taxi' },
  PUBLIC_TRANSPORT: { ar: 'نقل عام', en: 'Public transport' },
  TRUCK: { ar: 'نقل', en: 'Truck' },
  MOTORCYCLE: { ar: 'دراجة نارية', en: 'Motorcycle' },
  DIPLOMATIC: { ar: 'دبلوماسي', en: 'Diplomatic' },
  GOVERNMENT: { ar: 'حكومي', en: 'Government' },
  TEMPORARY: { ar: 'مؤقت', en: 'Temporary' },
};

/** `123456 (خصوصي)` / `123456 (Private)` */
export function formatPlate(plateType: string, plateNumber: string, lang: Language): string {
  const type = PLATE_TYPES[plateType as PlateType];
  return `${plateNumber} (${type ? type[lang] : plateType})`;
}

/** Arabic agrees with the count: one, two (dual) and many take different words. */
export function byCount<T>(n: number, forms: { one: T; two: T; many: T }): T {
  return n === 1 ? forms.one : n === 2 ? forms.two : forms.many;
}

/** "3 مخالفات", "11 مخالفة": the counted noun is plural from 3 to 10 and singular from 11 on. */
export function finesCountedAr(n: number): string {
  const mod100 = n % 100;
  return mod100 >= 3 && mod100 <= 10 ? `${n} مخالفات` : `${n} مخالفة`;
}

/** A list in the language's way: `a وb وc` (Arabic joins every item with و) / `a, b and c`. */
export function listOf(items: string[], lang: Language): string {
  if (items.length <= 1) return items.join('');
  if (lang === 'ar') return items.join(' و');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
