import { DomainError } from '@app/platform';

export enum PaymentsErrorCode {
  FinesNotPayable = 'payments.fines-not-payable',
  IdempotencyKeyRequired = 'payments.idempotency-key-required',
  IdempotencyKeyReused = 'payments.idempotency-key-reused',
  PaymentNotFound = 'payments.payment-not-found',
  OutOfScope = 'payments.out-of-scope',
}

export type NotPayableReason = 'UNKNOWN' | 'PAID' | 'CANCELLED' | 'RESERVED' | 'OUT_OF_SCOPE';

const REASONS_AR: Record<NotPayableReason, string> = {
  UNKNOWN: 'غير معروفة',
  PAID: 'مدفوعة',
  CANCELLED: 'ملغاة',
  RESERVED: 'قيد الدفع في عملية أخرى',
  OUT_OF_SCOPE: 'لا تخصك',
};

export const PaymentsErrors = {
  finesNotPayable: (fines: { fineNumber: string; reason: NotPayableReason }[]) =>
    new DomainError(
      PaymentsErrorCode.FinesNotPayable,
      409,
      { ar: 'مخالفات لا يمكن دفعها', en: 'Fines cannot be paid' },
      {
        ar: `لا يمكن دفع: ${fines.map((f) => `${f.fineNumber} (${REASONS_AR[f.reason]})`).join('، ')}.`,
        en: `These fines cannot be paid: ${fines.map((f) => `${f.fineNumber} (${f.reason.toLowerCase().replace(/_/g, ' ')})`).join(', ')}.`,
      },
      { fines },
    ),
  idempotencyKeyRequired: () =>
    new DomainError(
      PaymentsErrorCode.IdempotencyKeyRequired,
      400,
      { ar: 'مفتاح عدم التكرار مطلوب', en: 'Idempotency-Key required' },
      { ar: 'أرسل الترويسة Idempotency-Key مع كل طلب دفع.', en: 'Send an Idempotency-Key header with every payment request.' },
    ),
  idempotencyKeyReused: () =>
    new DomainError(
      PaymentsErrorCode.IdempotencyKeyReused,
      422,
      { ar: 'مفتاح عدم التكرار مستخدم', en: 'Idempotency-Key reused' },
      { ar: 'استُخدم هذا المفتاح لطلب مختلف. استخدم مفتاحًا جديدًا.', en: 'This key was used for a different request. Use a new key.' },
    ),
  paymentNotFound: (paymentNumber: string) =>
    new DomainError(
      PaymentsErrorCode.PaymentNotFound,
      404,
      { ar: 'عملية الدفع غير موجودة', en: 'Payment not found' },
      { ar: `لا توجد عملية دفع بالرقم ${paymentNumber}.`, en: `No payment has number ${paymentNumber}.` },
    ),
  outOfScope: () =>
    new DomainError(
      PaymentsErrorCode.OutOfScope,
      403,
      { ar: 'غير مسموح', en: 'Forbidden' },
      { ar: 'لا تغطي صلاحيتك هذا الدافع.', en: 'Your token does not cover this payer.' },
    ),
};
