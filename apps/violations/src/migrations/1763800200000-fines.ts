import { MigrationInterface, QueryRunner } from 'typeorm';
import { VIOLATION_TYPES } from '../catalogue/violation-types.data';

export class Fines1763800200000 implements MigrationInterface {
  name = 'Fines1763800200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE violation_type (
      code varchar(20) PRIMARY KEY,
      title_ar text NOT NULL,
      title_en text NOT NULL,
      amount_minor integer NOT NULL CHECK (amount_minor >= 0),
      points smallint NOT NULL CHECK (points >= 0),
      active boolean NOT NULL DEFAULT true
    )`);
    for (const t of VIOLATION_TYPES) {
      await q.query(`INSERT INTO violation_type (code, title_ar, title_en, amount_minor, points) VALUES ($1, $2, $3, $4, $5)`, [
        t.code,
        t.titleAr,
        t.titleEn,
        t.amountMinor,
        t.points,
      ]);
    }
    await q.query(`CREATE SEQUENCE fine_number_seq`);
    await q.query(`CREATE TABLE fine (
      fine_number varchar(20) PRIMARY KEY,
      external_ref text NOT NULL UNIQUE,
      plate_type varchar(20) NOT NULL,
      plate_number varchar(7) NOT NULL,
      violation_code varchar(20) NOT NULL REFERENCES violation_type (code),
      amount_minor integer NOT NULL CHECK (amount_minor >= 0),
      currency varchar(3) NOT NULL,
      status varchar(16) NOT NULL CHECK (status IN ('UNPAID', 'PAYMENT_PENDING', 'PAID', 'CANCELLED')),
      occurred_at timestamptz NOT NULL,
      location_ar text NOT NULL,
      location_en text,
      lat double precision,
      lng double precision,
      driver_civil_id varchar(12),
      source_type varchar(10) NOT NULL CHECK (source_type IN ('CAMERA', 'OFFICER')),
      source_id text NOT NULL,
      issued_at timestamptz NOT NULL,
      paid_at timestamptz,
      payment_number text,
      cancelled_at timestamptz,
      cancellation_reason text
    )`);
    await q.query(`CREATE INDEX fine_plate ON fine (plate_type, plate_number, occurred_at DESC)`);
    await q.query(`CREATE INDEX fine_driver ON fine (driver_civil_id, occurred_at DESC) WHERE driver_civil_id IS NOT NULL`);
    await q.query(`CREATE TABLE owner_name (
      owner_type varchar(7) NOT NULL,
      owner_id varchar(12) NOT NULL,
      name_ar text NOT NULL,
      name_en text,
      PRIMARY KEY (owner_type, owner_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE owner_name`);
    await q.query(`DROP TABLE fine`);
    await q.query(`DROP SEQUENCE fine_number_seq`);
    await q.query(`DROP TABLE violation_type`);
  }
}
