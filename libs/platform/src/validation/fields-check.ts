import { ValidationError } from 'class-validator';
import { StringRule, normalizeIdentifier } from '@app/contracts';
import { RequestValidationError } from '../errors/validation-messages';

/** How one string field is checked: its rule, and what NormalizeIdentifier and IsOptional would do around it. */
export type FieldSpec<V extends string, Optional extends boolean> = {
  rule: StringRule<V>;
  /** Arabic-Indic digits made ASCII, spaces and dashes removed, before the rule (NormalizeIdentifier). */
  identifier?: boolean;
} & (Optional extends true ? { optional: true } : { optional?: false });

/** A spec per field of `T`: its rule passes only what the field's type allows, and only a field that may be undefined is optional. */
export type FieldSpecs<T> = { [K in keyof T]-?: FieldSpec<Extract<NonNullable<T[K]>, string>, undefined extends T[K] ? true : false> };

type AnySpec = { rule: StringRule<string>; identifier?: boolean; optional?: boolean };

/**
 * Checks the path parameters or the query of the routes drivers call most, in the handler, as the
 * global ValidationPipe checks a DTO with the same decorators: the known fields only, identifiers
 * normalized, or a RequestValidationError naming every field that failed, so the same problem+json
 * (fields-check.spec.ts runs both on the same inputs). Why: class-validator and Nest's async pipes
 * were a fifth of a civil-ID inquiry's instructions (README, Benchmarks).
 */
export class FieldsCheck<T extends { [K in keyof T]: string | undefined }> {
  private readonly specs: [string, AnySpec][];

  constructor(specs: FieldSpecs<T>) {
    this.specs = Object.entries(specs as Record<string, AnySpec>);
  }

  check(raw: unknown): T {
    const input = (raw ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    let errors: ValidationError[] | undefined;
    for (const [field, { rule, identifier, optional }] of this.specs) {
      const given = input[field];
      // IsOptional also passes null; a path or query parameter is never null.
      if (given === undefined && optional) continue;
      const value = identifier && typeof given === 'string' ? normalizeIdentifier(given) : given;
      if (typeof value === 'string' && rule.test(value)) fields[field] = value;
      else (errors ??= []).push(failed(field, value, rule));
    }
    if (errors) throw new RequestValidationError(errors);
    return fields as T;
  }
}

/** What class-validator reports for a field that broke its rule; an undefined value is answered as "required" (flattenValidationErrors). */
function failed(field: string, value: unknown, rule: StringRule<string>): ValidationError {
  const error = new ValidationError();
  error.property = field;
  error.value = value;
  error.constraints = { [rule.constraint]: `${field} is not valid` };
  error.children = [];
  return error;
}
