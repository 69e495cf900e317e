import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegistrySchema1763800000000 implements MigrationInterface {
  name = 'RegistrySchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE person (
      civil_id varchar(12) PRIMARY KEY,
      name_ar text NOT NULL,
      name_en text,
      mobile varchar(16) NOT NULL,
      email text,
      language varchar(2) NOT NULL CHECK (language IN ('ar', 'en')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE company (
      company_no varchar(12) PRIMARY KEY,
      name_ar text NOT NULL,
      name_en text,
      mobile varchar(16),
      email text,
      language varchar(2) NOT NULL CHECK (language IN ('ar', 'en')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE vehicle (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      plate_type varchar(20) NOT NULL,
      plate_number varchar(7) NOT NULL,
      owner_type varchar(7) NOT NULL CHECK (owner_type IN ('PERSON', 'COMPANY')),
      owner_id varchar(12) NOT NULL,
      make text NOT NULL,
      model text NOT NULL,
      year smallint NOT NULL,
      color text NOT NULL,
      registered_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT vehicle_plate UNIQUE (plate_type, plate_number)
    )`);
    await q.query(`CREATE INDEX vehicle_owner ON vehicle (owner_type, owner_id)`);
    await q.query(`CREATE TABLE ownership_period (
      id bigserial PRIMARY KEY,
      vehicle_id uuid NOT NULL REFERENCES vehicle (id),
      owner_type varchar(7) NOT NULL,
      owner_id varchar(12) NOT NULL,
      started_at timestamptz NOT NULL,
      ended_at timestamptz
    )`);
    await q.query(`CREATE INDEX ownership_period_vehicle ON ownership_period (vehicle_id, started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ownership_period`);
    await q.query(`DROP TABLE vehicle`);
    await q.query(`DROP TABLE company`);
    await q.query(`DROP TABLE person`);
  }
}
