import { DomainError } from '@app/platform';

export enum ViolationsErrorCode {
  UnknownViolationType = 'violations.unknown-violation-type',
  FineNotFound = 'violations.fine-not-found',
  FineNotCancellable = 'violations.fine-not-cancellable',
  OutOfScope = 'violations.out-of-scope',
}

export const ViolationsErrors = {
  unknownViolationType: (code: string) =>
    new DomainError(
      ViolationsErrorCode.UnknownViolationType,
      422,
      { ar: 'نوع المخالفة غير معروف', en: 'Unknown violation type' },
      { ar: `لا توجد مخالفة بالرمز ${code} في دليل المخالفات.`, en: `The catalogue has no violation with code ${code}.` },
    ),
  fineNotFound: (fineNumber: string) =>
    new DomainError(
      ViolationsErrorCode.FineNotFound,
      404,
      { ar: 'المخالفة غير موجودة', en: 'Fine not found' },
      { ar: `لا توجد مخالفة بالرقم ${fineNumber}.`, en: `No fine has number ${fineNumber}.` },
    ),
  fineNotCancellable: (fineNumber: string, status: string) =>
    new DomainError(
      ViolationsErrorCode.FineNotCancellable,
      409,
      { ar: 'لا يمكن إلغاء المخالفة', en: 'Fine cannot be cancelled' },
      {
        ar: status === 'PAID' ? `المخالفة ${fineNumber} مدفوعة ولا يمكن إلغاؤها.` : `المخالفة ${fineNumber} قيد الدفع ولا يمكن إلغاؤها الآن.`,
        en:
          status === 'PAID'
            ? `Fine ${fineNumber} is paid and cannot be cancelled.`
            : `Fine ${fineNumber} has a payment in progress and cannot be cancelled now.`,
      },
      { fineStatus: status },
    ),
  outOfScope: () =>
    new DomainError(
      ViolationsErrorCode.OutOfScope,
      403,
      { ar: 'غير مسموح', en: 'Forbidden' },
      { ar: 'لا تغطي صلاحيتك هذه المخالفات.', en: 'Your token does not cover these fines.' },
    ),
};
