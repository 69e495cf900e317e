import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reconciliation1763800600000 implements MigrationInterface {
  name = 'Reconciliation1763800600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reconciliation_report (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      bank_code text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      file_rows integer NOT NULL,
      report jsonb NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciliation_report`);
  }
}
