import { Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';
import { FineAlertsService } from './alerts/fine-alerts.service';
import { FineEventsController } from './alerts/fine-events.controller';
import { EmailSender } from './channels/email.sender';
import { SmsSender } from './channels/sms.sender';
import { WebhookSender } from './channels/webhook.sender';
import { CHANNEL_SENDERS, ChannelSender } from './delivery/delivery';
import { DeliveryDispatcher } from './delivery/delivery-dispatcher';
import { DeliveryLog } from './delivery/delivery-log';
import { NotificationsController } from './delivery/notifications.controller';
import { Notification1763800700000 } from './migrations/1763800700000-notification';
import { PaymentEventsController } from './payment-notices/payment-events.controller';
import { PaymentNoticesService } from './payment-notices/payment-notices.service';
import { RecipientEventsController } from './recipients/recipient-events.controller';
import { RecipientsService } from './recipients/recipients.service';
import { SimulatorsController } from './simulators/simulators.controller';
import { SmtpSink } from './simulators/smtp-sink';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';

export const NOTIFICATION_MIGRATIONS = [Notification1763800700000];

/**
 * notification: fine alerts, payment receipts and notices by SMS, email and fleet webhooks, in
 * Arabic and English. Consumers write messages to the delivery log in their transaction; the
 * dispatcher sends them with retries. Outside production an SMS simulator and an SMTP sink stand
 * in for the providers.
 */
@Module({
  imports: [MessagingModule.forService('notification', { entities: [], migrations: NOTIFICATION_MIGRATIONS })],
  controllers: [RecipientEventsController, FineEventsController, PaymentEventsController, NotificationsController, WebhooksController, SimulatorsController],
  providers: [
    RecipientsService,
    FineAlertsService,
    PaymentNoticesService,
    DeliveryLog,
    DeliveryDispatcher,
    WebhooksService,
    SmtpSink,
    SmsSender,
    EmailSender,
    WebhookSender,
    { provide: CHANNEL_SENDERS, inject: [SmsSender, EmailSender, WebhookSender], useFactory: (...senders: ChannelSender[]) => senders },
  ],
  exports: [DeliveryDispatcher],
})
export class NotificationModule {}
