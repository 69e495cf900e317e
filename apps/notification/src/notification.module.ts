import { Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';

/**
 * notification: SMS, email and fleet webhooks. This module holds its database and messaging; the
 * delivery features land with the notifications issue.
 */
@Module({
  imports: [MessagingModule.forService('notification', { entities: [], migrations: [] })],
})
export class NotificationModule {}
