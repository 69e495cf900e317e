import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentPending1763800500000 implements MigrationInterface {
  name = 'PaymentPending1763800500000';

  async up(q: QueryRunner): Promise<void> {
    // Which payment holds a PAYMENT_PENDING fine, so only that payment's end releases it.
    await q.query(`ALTER TABLE fine ADD COLUMN pending_payment_number text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE fine DROP COLUMN pending_payment_number`);
  }
}
