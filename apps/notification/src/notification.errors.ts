import { DomainError } from '@app/platform';

export enum NotificationErrorCode {
  OutOfScope = 'notification.out-of-scope',
  WebhookUrlNotAllowed = 'notification.webhook-url-not-allowed',
  WebhookNotFound = 'notification.webhook-not-found',
}

export const NotificationErrors = {
  outOfScope: () =>
    new DomainError(
      NotificationErrorCode.OutOfScope,
      403,
      { ar: 'غير مسموح', en: 'Forbidden' },
      { ar: 'لا تغطي صلاحيتك هذه الشركة.', en: 'Your token does not cover this company.' },
    ),
  webhookUrlNotAllowed: (production: boolean) =>
    new DomainError(
      NotificationErrorCode.WebhookUrlNotAllowed,
      422,
      { ar: 'عنوان الربط غير مقبول', en: 'Webhook URL not allowed' },
      production
        ? {
            ar: 'يجب أن يبدأ عنوان الربط بـ https:// وأن يشير إلى عنوان عام على الإنترنت، لا إلى عنوان داخلي.',
            en: 'The webhook URL must use https:// and point to a public address, not an internal one.',
          }
        : {
            ar: 'يجب أن يبدأ عنوان الربط بـ https://، أو http://127.0.0.1 أو http://localhost في بيئة التطوير.',
            en: 'The webhook URL must use https://, or http://127.0.0.1 or http://localhost outside production.',
          },
    ),
  webhookNotFound: (companyNo: string) =>
    new DomainError(
      NotificationErrorCode.WebhookNotFound,
      404,
      { ar: 'لا يوجد عنوان ربط', en: 'No webhook' },
      { ar: `لا يوجد عنوان ربط مسجل للشركة ${companyNo}.`, en: `Company ${companyNo} has no webhook.` },
    ),
};
