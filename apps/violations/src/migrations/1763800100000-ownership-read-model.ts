import { MigrationInterface, QueryRunner } from 'typeorm';

export class OwnershipReadModel1763800100000 implements MigrationInterface {
  name = 'OwnershipReadModel1763800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE plate_ownership (
      plate_type varchar(20) NOT NULL,
      plate_number varchar(7) NOT NULL,
      owner_type varchar(7) NOT NULL,
      owner_id varchar(12) NOT NULL,
      make text NOT NULL,
      model text NOT NULL,
      year smallint NOT NULL,
      color text NOT NULL,
      owned_since timestamptz NOT NULL,
      last_event_id uuid NOT NULL,
      PRIMARY KEY (plate_type, plate_number)
    )`);
    await q.query(`CREATE INDEX plate_ownership_owner ON plate_ownership (owner_type, owner_id, plate_type, plate_number)`);
    await q.query(`CREATE TABLE plate_ownership_change (
      event_id uuid PRIMARY KEY,
      plate_type varchar(20) NOT NULL,
      plate_number varchar(7) NOT NULL,
      owner_type varchar(7) NOT NULL,
      owner_id varchar(12) NOT NULL,
      effective_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX plate_ownership_change_plate ON plate_ownership_change (plate_type, plate_number, effective_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE plate_ownership_change`);
    await q.query(`DROP TABLE plate_ownership`);
  }
}
