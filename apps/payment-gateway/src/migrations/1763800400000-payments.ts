import { MigrationInterface, QueryRunner } from 'typeorm';
import { CREATE_PLATE_OWNER_TABLE } from '@app/persistence';

export class Payments1763800400000 implements MigrationInterface {
  name = 'Payments1763800400000';

  async up(q: QueryRunner): Promise<void> {
    // Read models fed by violations' and the registry's events.
    await q.query(`CREATE TABLE payable_fine (
      fine_number varchar(20) PRIMARY KEY,
      plate_type varchar(20) NOT NULL,
      plate_number varchar(7) NOT NULL,
      amount_minor integer NOT NULL CHECK (amount_minor >= 0),
      currency varchar(3) NOT NULL,
      status varchar(16) NOT NULL CHECK (status IN ('UNPAID', 'PAID', 'CANCELLED')),
      driver_civil_id varchar(12),
      paid_by_payment varchar(20)
    )`);
    await q.query(`CREATE INDEX payable_fine_plate ON payable_fine (plate_type, plate_number)`);
    await q.query(CREATE_PLATE_OWNER_TABLE);
    await q.query(`CREATE SEQUENCE payment_number_seq`);
    await q.query(`CREATE TABLE payment (
      payment_number varchar(20) PRIMARY KEY,
      status varchar(16) NOT NULL CHECK (status IN ('PENDING', 'PAID', 'FAILED', 'CANCELLED', 'EXPIRED', 'REFUND_REQUIRED')),
      payer_type varchar(10) NOT NULL CHECK (payer_type IN ('CIVIL_ID', 'COMPANY_NO')),
      payer_id varchar(12) NOT NULL,
      created_by text NOT NULL,
      mobile varchar(16) NOT NULL,
      email text,
      language varchar(2) NOT NULL,
      return_url text,
      total_minor bigint NOT NULL CHECK (total_minor >= 0),
      currency varchar(3) NOT NULL,
      bank_code text,
      bank_reference text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      paid_at timestamptz,
      ended_at timestamptz
    )`);
    await q.query(`CREATE INDEX payment_pending_expiry ON payment (expires_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE TABLE payment_item (
      payment_number varchar(20) NOT NULL REFERENCES payment (payment_number),
      fine_number varchar(20) NOT NULL,
      amount_minor integer NOT NULL CHECK (amount_minor >= 0),
      reserved boolean NOT NULL DEFAULT true,
      PRIMARY KEY (payment_number, fine_number)
    )`);
    // The rule that no fine is ever in two pending payments, kept by the database itself.
    await q.query(`CREATE UNIQUE INDEX payment_item_one_reservation ON payment_item (fine_number) WHERE reserved`);
    await q.query(`CREATE TABLE idempotency_record (
      principal text NOT NULL,
      idempotency_key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (principal, idempotency_key)
    )`);
    // Every callback as received, whatever its fate.
    await q.query(`CREATE TABLE bank_callback (
      id bigserial PRIMARY KEY,
      bank_code text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      signature_header text,
      raw_body text NOT NULL,
      http_status integer,
      outcome text,
      payment_number text,
      bank_reference text,
      result text
    )`);
    await q.query(`CREATE INDEX bank_callback_payment ON bank_callback (payment_number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['bank_callback', 'idempotency_record', 'payment_item', 'payment', 'plate_owner', 'payable_fine']) await q.query(`DROP TABLE ${table}`);
    await q.query(`DROP SEQUENCE payment_number_seq`);
  }
}
