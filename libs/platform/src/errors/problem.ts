import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, LocalizedText } from './domain-error';
import { Lang } from './language';
import { FieldError, RequestValidationError, flattenValidationErrors } from './validation-messages';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const GENERIC: Record<number, { code: string; title: LocalizedText; detail: LocalizedText }> = {
  400: { code: 'bad-request', title: { ar: 'طلب غير صحيح', en: 'Bad request' }, detail: { ar: 'تعذّر فهم الطلب.', en: 'The request could not be understood.' } },
  401: {
    code: 'unauthenticated',
    title: { ar: 'يلزم تسجيل الدخول', en: 'Authentication required' },
    detail: { ar: 'رمز الدخول مفقود أو غير صالح أو منتهي الصلاحية.', en: 'The bearer token is missing, invalid or expired.' },
  },
  403: {
    code: 'forbidden',
    title: { ar: 'غير مسموح', en: 'Forbidden' },
    detail: { ar: 'لا تملك صلاحية الوصول إلى هذا المورد.', en: 'Your token does not cover this resource.' },
  },
  404: {
    code: 'not-found',
    title: { ar: 'غير موجود', en: 'Not found' },
    detail: { ar: 'المورد المطلوب غير موجود.', en: 'The requested resource does not exist.' },
  },
  405: {
    code: 'method-not-allowed',
    title: { ar: 'الطريقة غير مسموحة', en: 'Method not allowed' },
    detail: { ar: 'هذه الطريقة غير مسموحة لهذا المسار.', en: 'This method is not allowed on this path.' },
  },
  409: {
    code: 'conflict',
    title: { ar: 'تعارض', en: 'Conflict' },
    detail: { ar: 'يتعارض الطلب مع الحالة الحالية.', en: 'The request conflicts with the current state.' },
  },
  413: {
    code: 'payload-too-large',
    title: { ar: 'الطلب كبير جدًا', en: 'Payload too large' },
    detail: { ar: 'حجم الطلب أكبر من المسموح.', en: 'The request body is too large.' },
  },
  415: {
    code: 'unsupported-media-type',
    title: { ar: 'نوع المحتوى غير مدعوم', en: 'Unsupported media type' },
    detail: { ar: 'أرسل الطلب بصيغة JSON.', en: 'Send the request body as JSON.' },
  },
  422: {
    code: 'unprocessable',
    title: { ar: 'تعذّرت معالجة الطلب', en: 'Unprocessable request' },
    detail: { ar: 'الطلب صحيح الصيغة لكن لا يمكن تنفيذه.', en: 'The request is well formed but cannot be carried out.' },
  },
  429: {
    code: 'too-many-requests',
    title: { ar: 'طلبات كثيرة', en: 'Too many requests' },
    detail: { ar: 'أرسلت طلبات كثيرة، حاول لاحقًا.', en: 'Too many requests; try again later.' },
  },
  503: {
    code: 'unavailable',
    title: { ar: 'الخدمة غير متاحة', en: 'Service unavailable' },
    detail: { ar: 'الخدمة غير متاحة مؤقتًا، حاول لاحقًا.', en: 'The service is temporarily unavailable; try again later.' },
  },
  500: {
    code: 'internal',
    title: { ar: 'خطأ داخلي', en: 'Internal error' },
    detail: { ar: 'حدث خطأ غير متوقع. تم تسجيله وسنعالجه.', en: 'An unexpected error occurred. It has been logged.' },
  },
};

const VALIDATION = {
  title: { ar: 'بيانات غير صحيحة', en: 'Invalid request' },
  detail: { ar: 'بعض الحقول غير صحيحة، راجع قائمة الأخطاء.', en: 'Some fields are invalid; see errors.' },
};

const MALFORMED_JSON = { ar: 'نص الطلب ليس JSON صحيحًا.', en: 'The request body is not valid JSON.' };

export function problemType(code: string): string {
  return `urn:traffic-fines:problem:${code}`;
}

function generic(status: number, lang: Lang, detailOverride?: string): ProblemDetails {
  const entry = GENERIC[status] ?? (status >= 500 ? GENERIC[500] : GENERIC[400]);
  return { type: problemType(entry.code), title: entry.title[lang], status, detail: detailOverride ?? entry.detail[lang], code: entry.code };
}

/** Maps anything thrown while serving a request to RFC 9457 problem details in the caller's language. */
export function toProblem(error: unknown, lang: Lang): ProblemDetails {
  if (error instanceof DomainError) {
    return { type: problemType(error.code), title: error.title[lang], status: error.status, detail: error.detail[lang], code: error.code, ...error.extensions };
  }
  if (error instanceof RequestValidationError) {
    return {
      type: problemType('validation'),
      title: VALIDATION.title[lang],
      status: 400,
      detail: VALIDATION.detail[lang],
      code: 'validation',
      errors: flattenValidationErrors(error.errors, lang),
    };
  }
  if (error instanceof HttpException) {
    // Nest hands the body parser's error on as a 400 carrying the parser's message.
    if (error.getStatus() === 400 && /JSON|Unexpected token|Unexpected end/i.test(error.message) && !(error.getResponse() as { errors?: unknown }).errors) {
      return { ...generic(400, lang), type: problemType('malformed-json'), code: 'malformed-json', detail: MALFORMED_JSON[lang] };
    }
    return generic(error.getStatus(), lang);
  }
  return generic(HttpStatus.INTERNAL_SERVER_ERROR, lang);
}
