import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PaymentRow } from '../payments/payments.service';

export interface BankOutcome {
  bankCode: string;
  paymentNumber: string;
  bankReference: string;
  result: 'CAPTURED' | 'DECLINED' | 'CANCELLED';
  amountMinor: number;
  currency: string;
  occurredAt: string;
}

interface CaptureItem {
  fine_number: string;
  amount_minor: number;
  status: string;
  paid_by_payment: string | null;
}

export type SettlementResult = 'SETTLED' | 'REFUND_REQUIRED' | 'FAILED' | 'CANCELLED' | 'DUPLICATE' | 'IGNORED' | 'NOT_FOUND' | 'AMOUNT_MISMATCH';

/**
 * What a bank's answer does to a payment, whichever adapter it came through. One transaction with
 * the payment row locked: a duplicate sees the first one's result and changes nothing.
 */
@Injectable()
export class SettlementService {
  private readonly logger = new Logger(SettlementService.name);

  constructor(
    @InjectTransactionHost('payment-gateway') private readonly tx: TransactionHost,
    @InjectEventPublisher('payment-gateway') private readonly events: EventPublisher,
  ) {}

  async apply(outcome: BankOutcome): Promise<SettlementResult> {
    return this.tx.run(async (m) => {
      // One round trip: the payment locked and, for a capture, its fines locked with it.
      const [payment] = await m.query<(PaymentRow & { items: CaptureItem[] })[]>(
        `WITH p AS (SELECT * FROM payment WHERE payment_number = $1 FOR UPDATE),
              f AS (SELECT i.fine_number, i.amount_minor, f.status, f.paid_by_payment
                      FROM payment_item i JOIN payable_fine f ON f.fine_number = i.fine_number
                     WHERE i.payment_number = $1 AND $2 ORDER BY i.fine_number FOR UPDATE OF f)
         SELECT p.*, coalesce((SELECT json_agg(f ORDER BY f.fine_number) FROM f), '[]') AS items FROM p`,
        [outcome.paymentNumber, outcome.result === 'CAPTURED'],
      );
      if (!payment) return 'NOT_FOUND';
      if (BigInt(payment.total_minor) !== BigInt(outcome.amountMinor) || payment.currency !== outcome.currency) return 'AMOUNT_MISMATCH';
      if (payment.status === 'PAID' || payment.status === 'REFUND_REQUIRED') return 'DUPLICATE';
      if (outcome.result === 'CAPTURED') return this.capture(m, payment, payment.items, outcome);
      if (payment.status !== 'PENDING') return payment.status === 'FAILED' || payment.status === 'CANCELLED' ? 'DUPLICATE' : 'IGNORED';
      return this.end(m, payment, outcome.result === 'DECLINED' ? 'FAILED' : 'CANCELLED');
    });
  }

  /**
   * Money was captured: settle every fine of the payment that is still unpaid, even after expiry.
   * A fine another payment already settled makes this one REFUND_REQUIRED.
   */
  private async capture(m: EntityManager, payment: PaymentRow, items: CaptureItem[], outcome: BankOutcome): Promise<SettlementResult> {
    const settle = items.filter((i) => i.status !== 'PAID' || i.paid_by_payment === payment.payment_number);
    const paidElsewhere = items.length - settle.length;
    const status = paidElsewhere > 0 ? 'REFUND_REQUIRED' : 'PAID';
    // One statement: the fines paid, the reservations dropped, the payment closed.
    await m.query(
      `WITH fines AS (UPDATE payable_fine SET status = 'PAID', paid_by_payment = $1 WHERE fine_number = ANY($2::text[]) RETURNING 1),
            items AS (UPDATE payment_item SET reserved = false WHERE payment_number = $1 RETURNING 1),
            paid AS (UPDATE payment SET status = $3, bank_code = $4, bank_reference = $5, paid_at = $6, ended_at = now() WHERE payment_number = $1 RETURNING 1)
       SELECT (SELECT count(*) FROM fines) AS fines, (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM paid) AS paid`,
      [payment.payment_number, settle.map((i) => i.fine_number), status, outcome.bankCode, outcome.bankReference, outcome.occurredAt],
    );
    await this.events.publish('paymentSucceeded', payment.payment_number, {
      paymentNumber: payment.payment_number,
      items: settle.map((i) => ({ fineNumber: i.fine_number, amountMinor: i.amount_minor })),
      totalMinor: Number(payment.total_minor),
      currency: payment.currency,
      bankCode: outcome.bankCode,
      bankReference: outcome.bankReference,
      paidAt: new Date(outcome.occurredAt).toISOString(),
      payer: { idType: payment.payer_type, idNumber: payment.payer_id },
      mobile: payment.mobile,
      email: payment.email,
      language: payment.language,
    });
    if (paidElsewhere > 0)
      this.logger.warn({ paymentNumber: payment.payment_number, paidElsewhere }, 'captured payment has fines already paid elsewhere: refund required');
    return status === 'PAID' ? 'SETTLED' : 'REFUND_REQUIRED';
  }

  /** Ends a pending payment without money: its fines are released. */
  async end(m: EntityManager, payment: PaymentRow, status: 'FAILED' | 'CANCELLED' | 'EXPIRED'): Promise<SettlementResult> {
    const items = await m.query<{ fine_number: string; amount_minor: number }[]>(
      `WITH released AS (UPDATE payment_item SET reserved = false WHERE payment_number = $1 RETURNING fine_number, amount_minor),
            ended AS (UPDATE payment SET status = $2, ended_at = now() WHERE payment_number = $1 RETURNING 1)
       SELECT fine_number, amount_minor FROM released WHERE (SELECT count(*) FROM ended) = 1`,
      [payment.payment_number, status],
    );
    await this.events.publish('paymentEnded', payment.payment_number, {
      paymentNumber: payment.payment_number,
      outcome: status,
      items: items.map((i) => ({ fineNumber: i.fine_number, amountMinor: i.amount_minor })),
      payer: { idType: payment.payer_type, idNumber: payment.payer_id },
      mobile: payment.mobile,
      language: payment.language,
    });
    return status === 'FAILED' ? 'FAILED' : 'CANCELLED';
  }
}
