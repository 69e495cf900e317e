import { Injectable } from '@nestjs/common';
import { PaymentEnded, PaymentInitiated, PaymentSucceeded, plateKey } from '@app/contracts';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';

/** What payments do to fines: pending while reserved, paid when captured, unpaid again otherwise. */
@Injectable()
export class FineSettlement {
  constructor(
    @InjectTransactionHost('violations') private readonly tx: TransactionHost,
    @InjectEventPublisher('violations') private readonly events: EventPublisher,
  ) {}

  async markPending(payment: PaymentInitiated): Promise<void> {
    await this.tx.manager.query(
      `UPDATE fine SET status = 'PAYMENT_PENDING', pending_payment_number = $2 WHERE fine_number = ANY($1::text[]) AND status = 'UNPAID'`,
      [payment.items.map((i) => i.fineNumber), payment.paymentNumber],
    );
  }

  /** Settles the payment's fines that are not paid yet, each with its fine.settled event. */
  async settleFinesForPayment(payment: PaymentSucceeded): Promise<void> {
    const settled = await this.tx.manager.query<{ fine_number: string; plate_type: string; plate_number: string; amount_minor: number; currency: string }[]>(
      `WITH settled AS (
         UPDATE fine SET status = 'PAID', paid_at = $3, payment_number = $2, pending_payment_number = NULL
          WHERE fine_number = ANY($1::text[]) AND status IN ('UNPAID', 'PAYMENT_PENDING')
          RETURNING fine_number, plate_type, plate_number, amount_minor, currency)
       SELECT * FROM settled ORDER BY fine_number`,
      [payment.items.map((i) => i.fineNumber), payment.paymentNumber, payment.paidAt],
    );
    for (const fine of settled) {
      await this.events.publish('fineSettled', plateKey(fine.plate_type as never, fine.plate_number), {
        fineNumber: fine.fine_number,
        plateType: fine.plate_type as never,
        plateNumber: fine.plate_number,
        amountMinor: fine.amount_minor,
        currency: fine.currency,
        paymentNumber: payment.paymentNumber,
        paidAt: payment.paidAt,
      });
    }
  }

  async releaseFines(payment: PaymentEnded): Promise<void> {
    await this.tx.manager.query(
      `UPDATE fine SET status = 'UNPAID', pending_payment_number = NULL WHERE fine_number = ANY($1::text[]) AND status = 'PAYMENT_PENDING' AND pending_payment_number = $2`,
      [payment.items.map((i) => i.fineNumber), payment.paymentNumber],
    );
  }
}
