import { Injectable } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { DeliveryRow, NewDelivery } from './delivery';

export interface DeliveryFilter {
  recipient?: string;
  paymentNumber?: string;
  fineNumber?: string;
  status?: string;
  channel?: string;
  limit: number;
}

/**
 * The delivery log: consumers add PENDING messages in their own transaction (so an event and the
 * messages it causes commit together), and a duplicate of the same event, channel and recipient
 * adds nothing. The dispatcher is woken once the transaction commits.
 */
@Injectable()
export class DeliveryLog {
  constructor(
    @InjectTransactionHost('notification') private readonly tx: TransactionHost,
    private readonly dispatcher: DeliveryDispatcher,
  ) {}

  /** Adds the messages not already logged; answers how many were new. */
  async enqueue(messages: NewDelivery[]): Promise<number> {
    if (messages.length === 0) return 0;
    const rows = await this.tx.manager.query<{ id: string; status: string }[]>(
      `INSERT INTO delivery (event_id, channel, recipient, template, language, subject, body, html, payment_number, fine_numbers, company_no, status, last_error)
       SELECT e, c, r, t, l, s, b, h, p, coalesce(string_to_array(f, ','), '{}'), co, st, le
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
           AS x(e, c, r, t, l, s, b, h, p, f, co, st, le)
       ON CONFLICT ON CONSTRAINT delivery_once DO NOTHING
       RETURNING id, status`,
      [
        messages.map((m) => m.eventId),
        messages.map((m) => m.channel),
        messages.map((m) => m.recipient),
        messages.map((m) => m.template),
        messages.map((m) => m.language),
        messages.map((m) => m.subject ?? null),
        messages.map((m) => m.body),
        messages.map((m) => m.html ?? null),
        messages.map((m) => m.paymentNumber ?? null),
        messages.map((m) => (m.fineNumbers?.length ? m.fineNumbers.join(',') : null)),
        messages.map((m) => m.companyNo ?? null),
        messages.map((m) => m.status ?? 'PENDING'),
        messages.map((m) => m.lastError ?? null),
      ],
    );
    if (rows.some((r) => r.status === 'PENDING')) this.tx.afterCommit(() => this.dispatcher.wake());
    return rows.length;
  }

  /** The newest messages first, as GET /v1/notifications shows them. */
  async find(filter: DeliveryFilter): Promise<DeliveryRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.recipient) add('recipient = ?', filter.recipient);
    if (filter.paymentNumber) add('payment_number = ?', filter.paymentNumber);
    if (filter.fineNumber) add('fine_numbers @> ARRAY[?]::text[]', filter.fineNumber);
    if (filter.status) add('status = ?', filter.status);
    if (filter.channel) add('channel = ?', filter.channel);
    params.push(filter.limit);
    return this.tx.manager.query<DeliveryRow[]>(
      `SELECT * FROM delivery ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
  }
}
