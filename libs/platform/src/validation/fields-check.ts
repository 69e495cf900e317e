import { ValidationError } from 'class-validator';
import { StringRule, normalizeIdentifier } from '@app/contracts';
import { RequestValidationError } from '../errors/validation-messages';

/** How one string field is checked: a rule, and what class-transformer and IsOptional would do before it. */
export interface FieldCheck {
  rule: StringRule;
  /** Arabic-Indic digits made ASCII, spaces and dashes removed, before the rule (NormalizeIdentifier). */
  identifier?: boolean;
  /** Absent is allowed (IsOptional); otherwise an absent field is reported as required. */
  optional?: boolean;
}

/**
 * Checks the path parameters or the query of the routes drivers call most, with plain functions, in
 * the handler: `const { civilId } = CIVIL_ID_PARAMS.check(request.params)`.
 *
 * It answers as the global ValidationPipe does for a DTO with these fields, in this order, and the
 * same decorators: an object of the known fields only (whitelist), identifiers normalized, or a
 * RequestValidationError naming every field that failed and its rule, which becomes the same
 * problem+json in Arabic or English (fields-check.spec.ts runs both on the same inputs).
 *
 * Why not a DTO: per civil-ID inquiry (callgrind, steady state), class-transformer and
 * class-validator cost about 100,000 instructions, and Nest's chain of async pipes on each
 * `@Param()`, `@Query()` and `@CurrentPrincipal()` about as much again: some 40 promises, each
 * paying for the trace id's AsyncLocalStorage. A handler that takes `@Req()` alone has none.
 */
export class FieldsCheck<T extends object> {
  private readonly checks: [string, FieldCheck][];

  constructor(fields: Record<keyof T & string, FieldCheck>) {
    this.checks = Object.entries(fields);
  }

  check(raw: unknown): T {
    const input = (raw ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    let errors: ValidationError[] | undefined;
    for (const [field, { rule, identifier, optional }] of this.checks) {
      const given = input[field];
      if (given === undefined && optional) continue;
      const value = identifier && typeof given === 'string' ? normalizeIdentifier(given) : given;
      if (typeof value === 'string' && rule.test(value)) fields[field] = value;
      else (errors ??= []).push(failed(field, value, rule));
    }
    if (errors) throw new RequestValidationError(errors);
    return fields as T;
  }
}

/** What class-validator reports for a field that broke its rule (its English text is never shown: the messages are keyed by constraint). */
function failed(field: string, value: unknown, rule: StringRule): ValidationError {
  const error = new ValidationError();
  error.property = field;
  error.value = value;
  error.constraints = { [rule.constraint]: `${field} is not valid` };
  error.children = [];
  return error;
}
