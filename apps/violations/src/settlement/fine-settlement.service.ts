import { Injectable } from '@nestjs/common';
import { EventEnvelope, PaymentEnded, PaymentInitiated, PaymentSucceeded, plateKey } from '@app/contracts';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';

/**
 * One row per fine and payment of a run of payment events. With `firstPerFine`, a fine named by
 * several events of the run keeps the first (as applying them one by one would: the first reserves
 * or settles it, the later ones find it taken); UPDATE ... FROM would otherwise pick any of them.
 */
export function fineRows<P extends { paymentNumber: string; items: { fineNumber: string }[] }>(events: EventEnvelope<P>[], firstPerFine: boolean) {
  const rows: { fineNumber: string; payment: P; traceId: string }[] = [];
  const seen = new Set<string>();
  for (const event of events)
    for (const item of event.payload.items) {
      if (firstPerFine && seen.has(item.fineNumber)) continue;
      seen.add(item.fineNumber);
      rows.push({ fineNumber: item.fineNumber, payment: event.payload, traceId: event.traceId });
    }
  // In fine-number order, the order the statements then lock the fines in (a nested loop over the arrays): the
  // order in which a transfer of their plates locks them too (migration 1763800700000), so neither deadlocks the other.
  return rows.sort((a, b) => (a.fineNumber < b.fineNumber ? -1 : a.fineNumber > b.fineNumber ? 1 : 0));
}

/**
 * What payments do to fines: pending while reserved, paid when captured, unpaid again otherwise.
 * Each takes a run of events and applies it in one statement.
 */
@Injectable()
export class FineSettlement {
  constructor(
    @InjectTransactionHost('violations') private readonly tx: TransactionHost,
    @InjectEventPublisher('violations') private readonly events: EventPublisher,
  ) {}

  async markPending(events: EventEnvelope<PaymentInitiated>[]): Promise<void> {
    const rows = fineRows(events, true);
    await this.tx.manager.query(
      `UPDATE fine f SET status = 'PAYMENT_PENDING', pending_payment_number = v.payment_number
         FROM unnest($1::text[], $2::text[]) AS v(fine_number, payment_number)
        WHERE f.fine_number = v.fine_number AND f.status = 'UNPAID'`,
      [rows.map((r) => r.fineNumber), rows.map((r) => r.payment.paymentNumber)],
    );
  }

  /** Settles the payments' fines that are not paid yet, each with its fine.settled event. */
  async settleFinesForPayments(events: EventEnvelope<PaymentSucceeded>[]): Promise<void> {
    const rows = fineRows(events, true);
    const settled = await this.tx.manager.query<
      { fine_number: string; plate_type: string; plate_number: string; amount_minor: number; currency: string; payment_number: string; paid_at: Date }[]
    >(
      `WITH settled AS (
         UPDATE fine f SET status = 'PAID', paid_at = v.paid_at, payment_number = v.payment_number, pending_payment_number = NULL
           FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS v(fine_number, payment_number, paid_at)
          WHERE f.fine_number = v.fine_number AND f.status IN ('UNPAID', 'PAYMENT_PENDING')
          RETURNING f.fine_number, f.plate_type, f.plate_number, f.amount_minor, f.currency, f.payment_number, f.paid_at)
       SELECT * FROM settled ORDER BY fine_number`,
      [rows.map((r) => r.fineNumber), rows.map((r) => r.payment.paymentNumber), rows.map((r) => r.payment.paidAt)],
    );
    const traceOf = new Map(rows.map((r) => [r.fineNumber, r.traceId]));
    await this.events.publishAll(
      settled.map((fine) => ({
        name: 'fineSettled' as const,
        aggregateId: plateKey(fine.plate_type as never, fine.plate_number),
        traceId: traceOf.get(fine.fine_number),
        payload: {
          fineNumber: fine.fine_number,
          plateType: fine.plate_type as never,
          plateNumber: fine.plate_number,
          amountMinor: fine.amount_minor,
          currency: fine.currency,
          paymentNumber: fine.payment_number,
          paidAt: new Date(fine.paid_at).toISOString(),
        },
      })),
    );
  }

  /** Each (fine, payment) pair releases the fine only if that payment still holds it: no pair is dropped. */
  async releaseFines(events: EventEnvelope<PaymentEnded>[]): Promise<void> {
    const rows = fineRows(events, false);
    await this.tx.manager.query(
      `UPDATE fine f SET status = 'UNPAID', pending_payment_number = NULL
         FROM unnest($1::text[], $2::text[]) AS v(fine_number, payment_number)
        WHERE f.fine_number = v.fine_number AND f.status = 'PAYMENT_PENDING' AND f.pending_payment_number = v.payment_number`,
      [rows.map((r) => r.fineNumber), rows.map((r) => r.payment.paymentNumber)],
    );
  }
}
