import { ArgumentMetadata } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { CIVIL_ID_RULE, IsCivilId, IsPlateNumber, NormalizeIdentifier, PLATE_NUMBER_RULE, PLATE_TYPES, oneOfRule } from '@app/contracts';
import { RequestValidationError, flattenValidationErrors } from '../errors/validation-messages';
import { createValidationPipe } from '../platform.module';
import { FieldSpecs, FieldsCheck } from './fields-check';

/*
 * FieldsCheck stands in for the global ValidationPipe on a few hot routes, so it must answer as that
 * pipe does for a DTO with the same decorators: the same values through, the same fields and
 * messages in Arabic and English when they fail. Each case below runs through both.
 */

const STATUSES = ['UNPAID', 'PAID', 'ALL'];

class PlateParams {
  @IsIn(PLATE_TYPES) plateType!: string;
  @NormalizeIdentifier() @IsPlateNumber() plateNumber!: string;
}

class CivilIdParams {
  @NormalizeIdentifier() @IsCivilId() civilId!: string;
}

class StatusParams {
  @IsOptional() @IsIn(STATUSES) status?: string;
}

const arabic = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

type Outcome = { value: Record<string, unknown> } | { ar: unknown; en: unknown };

async function outcome(run: () => unknown): Promise<Outcome> {
  try {
    return { value: { ...((await run()) as object) } };
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    return { ar: flattenValidationErrors(error.errors, 'ar'), en: flattenValidationErrors(error.errors, 'en') };
  }
}

function compare<T extends { [K in keyof T]: string | undefined }>(name: string, dto: new () => object, specs: FieldSpecs<T>, cases: [string, unknown][]) {
  const validationPipe = createValidationPipe();
  const fieldsCheck = new FieldsCheck<T>(specs);
  const metadata: ArgumentMetadata = { type: 'param', metatype: dto };

  describe(name, () => {
    it.each(cases)('%s: the same answer as the ValidationPipe on its DTO', async (_case, input) => {
      const expected = await outcome(() => validationPipe.transform(input, metadata));
      const actual = await outcome(() => fieldsCheck.check(input));
      expect(actual).toEqual(expected);
    });
  });
}

describe('FieldsCheck against the ValidationPipe', () => {
  compare<{ plateType: string; plateNumber: string }>(
    'a plate',
    PlateParams,
    { plateType: { rule: oneOfRule(PLATE_TYPES) }, plateNumber: { rule: PLATE_NUMBER_RULE, identifier: true } },
    [
      ['valid', { plateType: 'PRIVATE', plateNumber: '123456' }],
      ['Arabic-Indic digits with a space and a dash', { plateType: 'TAXI', plateNumber: arabic('12 34-5') }],
      ['an unknown field besides', { plateType: 'TRUCK', plateNumber: '7', colour: 'red' }],
      ['a plate type in lower case', { plateType: 'private', plateNumber: '123' }],
      ['a plate number of 8 digits', { plateType: 'PRIVATE', plateNumber: '12345678' }],
      ['both wrong', { plateType: 'CAR', plateNumber: '12a' }],
      ['both missing', {}],
      ['an empty plate number', { plateType: 'PRIVATE', plateNumber: '' }],
    ],
  );

  compare<{ civilId: string }>('a civil ID', CivilIdParams, { civilId: { rule: CIVIL_ID_RULE, identifier: true } }, [
    ['valid', { civilId: '288020122596' }],
    ['Arabic-Indic digits with spaces and dashes', { civilId: arabic('2880 2012-2596') }],
    ['a wrong check digit', { civilId: '288020122597' }],
    ['11 digits', { civilId: '28802012259' }],
    ['letters', { civilId: 'abc' }],
    ['missing', {}],
    ['nothing at all', undefined],
  ]);

  compare<{ status?: string }>('a status filter', StatusParams, { status: { rule: oneOfRule(STATUSES), optional: true } }, [
    ['absent', {}],
    ['ALL', { status: 'ALL' }],
    ['not one of them', { status: 'EVERYTHING' }],
    ['in lower case', { status: 'paid' }],
    ['empty', { status: '' }],
    ['given twice', { status: ['PAID', 'ALL'] }],
    ['an unknown parameter only', { page: '2' }],
  ]);
});

describe('FieldsCheck', () => {
  const check = new FieldsCheck<{ civilId: string }>({ civilId: { rule: CIVIL_ID_RULE, identifier: true } });

  it('passes on the known fields only, identifiers normalized', () => {
    expect(check.check({ civilId: arabic('288-020-122-596'), role: 'admin' })).toEqual({ civilId: '288020122596' });
  });

  it('names the rule that failed, as class-validator does, so the message is the rule’s', () => {
    let caught: unknown;
    try {
      check.check({ civilId: '288020122597' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RequestValidationError);
    expect((caught as RequestValidationError).errors).toMatchObject([
      { property: 'civilId', value: '288020122597', constraints: { isCivilId: expect.any(String) } },
    ]);
  });
});
