import { Transform } from 'class-transformer';
import { ValidationOptions, registerDecorator } from 'class-validator';
import { COMPANY_NUMBER_PATTERN, PLATE_NUMBER_PATTERN, isValidCivilId, normalizeIdentifier } from './identifiers';

/** Normalizes Arabic-Indic digits, spaces and dashes before validation. */
export function NormalizeIdentifier(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeIdentifier(value) : value));
}

/**
 * A check of one string, named as its class-validator decorator's constraint is (the key of its
 * Arabic and English messages). The decorators below and the platform's FieldPipe, which checks a
 * single path or query parameter, both use these, so a rule is written once.
 */
export interface StringRule {
  constraint: string;
  test: (value: string) => boolean;
}

/** 12 digits with a valid check digit. */
export const CIVIL_ID_RULE: StringRule = { constraint: 'isCivilId', test: isValidCivilId };
export const PLATE_NUMBER_RULE: StringRule = { constraint: 'isPlateNumber', test: (v) => PLATE_NUMBER_PATTERN.test(v) };
export const COMPANY_NUMBER_RULE: StringRule = { constraint: 'isCompanyNumber', test: (v) => COMPANY_NUMBER_PATTERN.test(v) };

/** class-validator's IsIn for a string: one of `values`, exactly (case and all). */
export function oneOfRule(values: readonly string[]): StringRule {
  return { constraint: 'isIn', test: (v) => values.includes(v) };
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
  return patternDecorator({ constraint: 'isKuwaitMobile', test: (v) => /^\+965[2569]\d{7}$/.test(v) }, options) as PropertyDecorator;
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
