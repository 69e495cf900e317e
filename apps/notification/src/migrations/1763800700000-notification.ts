import { MigrationInterface, QueryRunner } from 'typeorm';
import { CREATE_PLATE_OWNER_TABLE } from '@app/persistence';

export class Notification1763800700000 implements MigrationInterface {
  name = 'Notification1763800700000';

  async up(q: QueryRunner): Promise<void> {
    // Read models fed by the registry's and violations' events: who to tell, and what about.
    await q.query(`CREATE TABLE contact (
      owner_type varchar(7) NOT NULL CHECK (owner_type IN ('PERSON', 'COMPANY')),
      owner_id varchar(12) NOT NULL,
      name_ar text,
      name_en text,
      mobile varchar(20),
      email text,
      language varchar(2) NOT NULL DEFAULT 'ar',
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (owner_type, owner_id)
    )`);
    await q.query(CREATE_PLATE_OWNER_TABLE);
    await q.query(`CREATE TABLE fine_fact (
      fine_number varchar(20) PRIMARY KEY,
      plate_type varchar(20) NOT NULL,
      plate_number varchar(7) NOT NULL,
      violation_code varchar(20) NOT NULL,
      title_ar text NOT NULL,
      title_en text NOT NULL,
      points integer NOT NULL,
      amount_minor integer NOT NULL CHECK (amount_minor >= 0),
      currency varchar(3) NOT NULL,
      occurred_at timestamptz NOT NULL,
      location_ar text NOT NULL,
      location_en text,
      status varchar(10) NOT NULL DEFAULT 'UNPAID' CHECK (status IN ('UNPAID', 'PAID', 'CANCELLED'))
    )`);
    // A company's fleet endpoint; the secret signs each post and is never sent back or logged.
    await q.query(`CREATE TABLE company_webhook (
      company_no varchar(12) PRIMARY KEY,
      url text NOT NULL,
      secret text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // One row per message. The unique key makes a redelivered event send nothing twice.
    await q.query(`CREATE TABLE delivery (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL,
      channel varchar(7) NOT NULL CHECK (channel IN ('SMS', 'EMAIL', 'WEBHOOK')),
      recipient text NOT NULL,
      template varchar(40) NOT NULL,
      language varchar(2) NOT NULL CHECK (language IN ('ar', 'en')),
      status varchar(7) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      subject text,
      body text NOT NULL,
      html text,
      payment_number varchar(20),
      fine_numbers text[] NOT NULL DEFAULT '{}',
      company_no varchar(12),
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      CONSTRAINT delivery_once UNIQUE (event_id, channel, recipient)
    )`);
    await q.query(`CREATE INDEX delivery_due ON delivery (channel, next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX delivery_recipient ON delivery (recipient, id)`);
    await q.query(`CREATE INDEX delivery_payment ON delivery (payment_number) WHERE payment_number IS NOT NULL`);
    await q.query(`CREATE INDEX delivery_fines ON delivery USING gin (fine_numbers)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['delivery', 'company_webhook', 'fine_fact', 'plate_owner', 'contact']) await q.query(`DROP TABLE ${table}`);
  }
}
