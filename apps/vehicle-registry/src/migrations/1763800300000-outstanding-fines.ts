import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutstandingFines1763800300000 implements MigrationInterface {
  name = 'OutstandingFines1763800300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE outstanding_fine (
      fine_number varchar(20) PRIMARY KEY,
      plate_type varchar(20) NOT NULL,
      plate_number varchar(7) NOT NULL,
      amount_minor integer NOT NULL,
      currency varchar(3) NOT NULL
    )`);
    await q.query(`CREATE INDEX outstanding_fine_plate ON outstanding_fine (plate_type, plate_number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outstanding_fine`);
  }
}
