import { Transform } from 'class-transformer';
import { ValidationOptions, registerDecorator } from 'class-validator';
import { COMPANY_NUMBER_PATTERN, PLATE_NUMBER_PATTERN, isValidCivilId, normalizeIdentifier } from './identifiers';

/** Normalizes Arabic-Indic digits, spaces and dashes before validation. */
export function NormalizeIdentifier(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeIdentifier(value) : value));
}

/**
 * A check of one string, named as its class-validator decorator's constraint is (the key of its
 * Arabic and English messages): the decorators below and the platform's FieldsCheck share them.
 * `V` is what a string that passes is (a union of literals for oneOfRule).
 */
export interface StringRule<V extends string = string> {
  constraint: string;
  test: (value: string) => value is V;
}

const passes =
  (test: (value: string) => boolean) =>
  (value: string): value is string =>
    test(value);

/** 12 digits with a valid check digit. */
export const CIVIL_ID_RULE: StringRule = { constraint: 'isCivilId', test: passes(isValidCivilId) };
export const PLATE_NUMBER_RULE: StringRule = { constraint: 'isPlateNumber', test: passes((v) => PLATE_NUMBER_PATTERN.test(v)) };
export const COMPANY_NUMBER_RULE: StringRule = { constraint: 'isCompanyNumber', test: passes((v) => COMPANY_NUMBER_PATTERN.test(v)) };

/** class-validator's IsIn for a string: one of `values`, exactly (case and all). */
export function oneOfRule<V extends string>(values: readonly V[]): StringRule<V> {
  return { constraint: 'isIn', test: (v): v is V => (values as readonly string[]).includes(v) };
}

function patternDecorator({ constraint, test }: StringRule, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: constraint,
      target: target.constructor,
      propertyName,
      options,
      validator: { validate: (value: unknown) => typeof value === 'string' && test(value) },
    });
}

/** 12 digits with a valid check digit (validation key `isCivilId`). */
export function IsCivilId(options?: ValidationOptions): PropertyDecorator {
  return patternDecorator(CIVIL_ID_RULE, options) as PropertyDecorator;
}

export function IsPlateNumber(options?: ValidationOptions): PropertyDecorator {
  return patternDecorator(PLATE_NUMBER_RULE, options) as PropertyDecorator;
}

export function IsCompanyNumber(options?: ValidationOptions): PropertyDecorator {
  return patternDecorator(COMPANY_NUMBER_RULE, options) as PropertyDecorator;
}

/** Kuwait mobile numbers: 8 digits, optionally with the 965 country code. Stored as +965XXXXXXXX. */
export function normalizeMobile(value: string): string {
  const digits = normalizeIdentifier(value).replace(/^\+/, '').replace(/^00/, '');
  const local = digits.length === 11 && digits.startsWith('965') ? digits.slice(3) : digits;
  return /^[2569]\d{7}$/.test(local) ? `+965${local}` : value;
}

export function IsKuwaitMobile(options?: ValidationOptions): PropertyDecorator {
  return patternDecorator({ constraint: 'isKuwaitMobile', test: passes((v) => /^\+965[2569]\d{7}$/.test(v)) }, options) as PropertyDecorator;
}

export function NormalizeMobile(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeMobile(value) : value));
}

/** An owner reference's id: a civil ID when the sibling `typeProperty` is PERSON, a company number otherwise. */
export function IsOwnerId(typeProperty = 'type', options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isOwnerId',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args) =>
          typeof value === 'string' &&
          ((args?.object as Record<string, unknown>)[typeProperty] === 'PERSON' ? isValidCivilId(value) : COMPANY_NUMBER_PATTERN.test(value)),
        defaultMessage: () => 'must be a valid civil ID for a PERSON or a company number for a COMPANY',
      },
    });
}
