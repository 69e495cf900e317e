/**
 * Identifiers arrive as people type them: Arabic-Indic (٠-٩) or Eastern Arabic-Indic (۰-۹) digits,
 * spaces and dashes. They are normalized once, at the edge, to ASCII digits.
 */
const ARABIC_INDIC_ZERO = 0x0660;
const EASTERN_ARABIC_INDIC_ZERO = 0x06f0;

export function toAsciiDigits(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code >= ARABIC_INDIC_ZERO && code <= ARABIC_INDIC_ZERO + 9) {
      out += String(code - ARABIC_INDIC_ZERO);
    } else if (code >= EASTERN_ARABIC_INDIC_ZERO && code <= EASTERN_ARABIC_INDIC_ZERO + 9) {
      out += String(code - EASTERN_ARABIC_INDIC_ZERO);
    } else {
      out += ch;
    }
  }
  return out;
}

/** ASCII digits, with spaces (including no-break and Arabic-context spaces) and dashes removed. */
export function normalizeIdentifier(value: string): string {
  return toAsciiDigits(value).replace(/[\s\u00a0\u200f\u200e\-\u2010-\u2015\u2212_]/g, '');
}

const CIVIL_ID_WEIGHTS = [2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Kuwait civil ID: 12 digits; the last is 11 - (Σ dᵢ·wᵢ mod 11), where 10 and 11 are never valid. */
export function isValidCivilId(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < CIVIL_ID_WEIGHTS.length; i++) sum += Number(value[i]) * CIVIL_ID_WEIGHTS[i];
  const check = 11 - (sum % 11);
  return check < 10 && check === Number(value[11]);
}

/** Appends the check digit to an 11-digit prefix, or returns null when no digit makes it valid. */
export function completeCivilId(prefix11: string): string | null {
  if (!/^\d{11}$/.test(prefix11)) return null;
  let sum = 0;
  for (let i = 0; i < CIVIL_ID_WEIGHTS.length; i++) sum += Number(prefix11[i]) * CIVIL_ID_WEIGHTS[i];
  const check = 11 - (sum % 11);
  return check < 10 ? `${prefix11}${check}` : null;
}

/** For logs: `2880****2596`. Never log a whole civil ID. */
export function maskCivilId(value: string): string {
  return value.length === 12 ? `${value.slice(0, 4)}****${value.slice(8)}` : '****';
}

export const PLATE_TYPES = ['PRIVATE', 'TAXI', 'PUBLIC_TRANSPORT', 'TRUCK', 'MOTORCYCLE', 'DIPLOMATIC', 'GOVERNMENT', 'TEMPORARY'] as const;
export type PlateType = (typeof PLATE_TYPES)[number];

export function isPlateType(value: unknown): value is PlateType {
  return typeof value === 'string' && (PLATE_TYPES as readonly string[]).includes(value);
}

export const PLATE_NUMBER_PATTERN = /^\d{1,7}$/;
export const COMPANY_NUMBER_PATTERN = /^\d{1,12}$/;

export const OWNER_TYPES = ['PERSON', 'COMPANY'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

export const LANGUAGES = ['ar', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The aggregate key of a vehicle: one plate type and number, as the events are keyed. */
export function plateKey(plateType: PlateType, plateNumber: string): string {
  return `${plateType}:${plateNumber}`;
}

export function ownerKey(ownerType: OwnerType, ownerId: string): string {
  return `${ownerType}:${ownerId}`;
}
