import { ValidationError } from 'class-validator';
import { Lang } from './language';

export interface FieldError {
  field: string;
  message: string;
}

/** Arabic and English wording for each validation rule, keyed by class-validator's constraint name. */
const MESSAGES: Record<string, { ar: string; en: string }> = {
  isCivilId: {
    ar: 'الرقم المدني غير صحيح: يجب أن يتكون من 12 رقمًا وأن يكون رقم التحقق صحيحًا',
    en: 'must be a valid 12-digit civil ID with a correct check digit',
  },
  isPlateNumber: { ar: 'رقم اللوحة غير صحيح: من 1 إلى 7 أرقام', en: 'must be a plate number of 1 to 7 digits' },
  isCompanyNumber: { ar: 'رقم الشركة غير صحيح: أرقام فقط، حتى 12 رقمًا', en: 'must be a company number of up to 12 digits' },
  isKuwaitMobile: { ar: 'رقم الهاتف غير صحيح: 8 أرقام تبدأ بـ 5 أو 6 أو 9 أو 2', en: 'must be a Kuwait mobile number of 8 digits' },
  isOwnerId: {
    ar: 'رقم المالك غير صحيح: رقم مدني صحيح للشخص أو رقم شركة للشركة',
    en: 'must be a valid civil ID for a PERSON or a company number for a COMPANY',
  },
  isString: { ar: 'يجب أن يكون نصًا', en: 'must be a string' },
  isNotEmpty: { ar: 'مطلوب ولا يجوز أن يكون فارغًا', en: 'must not be empty' },
  isDefined: { ar: 'مطلوب', en: 'is required' },
  isIn: { ar: 'القيمة غير مسموح بها', en: 'is not one of the allowed values' },
  isEnum: { ar: 'القيمة غير مسموح بها', en: 'is not one of the allowed values' },
  isInt: { ar: 'يجب أن يكون عددًا صحيحًا', en: 'must be an integer' },
  min: { ar: 'القيمة أصغر من المسموح', en: 'is below the allowed minimum' },
  max: { ar: 'القيمة أكبر من المسموح', en: 'is above the allowed maximum' },
  isLength: { ar: 'الطول غير مسموح به', en: 'has a length outside the allowed range' },
  length: { ar: 'الطول غير مسموح به', en: 'has a length outside the allowed range' },
  maxLength: { ar: 'النص أطول من المسموح', en: 'is too long' },
  minLength: { ar: 'النص أقصر من المسموح', en: 'is too short' },
  isEmail: { ar: 'البريد الإلكتروني غير صحيح', en: 'must be a valid email address' },
  isUrl: { ar: 'الرابط غير صحيح', en: 'must be a valid URL' },
  isDateString: { ar: 'يجب أن يكون تاريخًا ووقتًا بصيغة ISO 8601', en: 'must be an ISO 8601 date and time' },
  isIso8601: { ar: 'يجب أن يكون تاريخًا ووقتًا بصيغة ISO 8601', en: 'must be an ISO 8601 date and time' },
  isNumber: { ar: 'يجب أن يكون رقمًا', en: 'must be a number' },
  isBoolean: { ar: 'يجب أن تكون القيمة صحيحًا أو خطأ', en: 'must be true or false' },
  isArray: { ar: 'يجب أن تكون قائمة', en: 'must be a list' },
  arrayMinSize: { ar: 'القائمة أقصر من المسموح', en: 'has too few items' },
  arrayMaxSize: { ar: 'القائمة أطول من المسموح', en: 'has too many items' },
  isObject: { ar: 'يجب أن يكون كائنًا', en: 'must be an object' },
  nestedValidation: { ar: 'يجب أن يكون كائنًا صحيحًا', en: 'must be a valid object' },
  isLatitude: { ar: 'خط العرض غير صحيح', en: 'must be a latitude' },
  isLongitude: { ar: 'خط الطول غير صحيح', en: 'must be a longitude' },
  isUuid: { ar: 'يجب أن يكون معرّفًا UUID', en: 'must be a UUID' },
  whitelistValidation: { ar: 'حقل غير معروف', en: 'is not a known field' },
};

export function flattenValidationErrors(errors: ValidationError[], lang: Lang, prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    // A missing field fails every rule on it; say once that it is required.
    if (error.value === undefined && error.constraints && !error.children?.length) {
      return [{ field, message: MESSAGES.isDefined[lang] }];
    }
    const own = Object.entries(error.constraints ?? {}).map(([rule, english]) => ({
      field,
      message: MESSAGES[rule]?.[lang] ?? (lang === 'ar' ? 'القيمة غير صحيحة' : english),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], lang, field)];
  });
}

export class RequestValidationError extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('request validation failed');
    this.name = 'RequestValidationError';
  }
}
