import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/platform';
import { DeliveryRow } from './delivery';
import { DeliveryLog } from './delivery-log';
import { NotificationList, NotificationView, NotificationsQuery } from './dto/notification.dto';

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function notificationView(row: DeliveryRow): NotificationView {
  return {
    id: String(row.id),
    eventId: row.event_id,
    channel: row.channel,
    recipient: row.recipient,
    template: row.template,
    language: row.language,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'PENDING' ? iso(row.next_attempt_at) : null,
    lastError: row.last_error,
    subject: row.subject,
    text: row.body,
    paymentNumber: row.payment_number,
    fineNumbers: row.fine_numbers,
    createdAt: iso(row.created_at)!,
    sentAt: iso(row.sent_at),
  };
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly log: DeliveryLog) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The delivery log, newest first: channel, recipient, template, language, status, attempts, last error and the text sent.' })
  @ApiOkResponse({ type: NotificationList })
  async list(@Query() query: NotificationsQuery): Promise<NotificationList> {
    const rows = await this.log.find({ ...query, limit: query.limit ?? 100 });
    return { items: rows.map(notificationView) };
  }
}
