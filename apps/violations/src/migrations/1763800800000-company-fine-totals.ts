import { MigrationInterface, QueryRunner } from 'typeorm';
import { COMPANY_TOTALS, companySums, notZero, sumsOf } from '../inquiry/company-totals';

const LIST = COMPANY_TOTALS.join(', ');

/**
 * A company's totals without reading its plates: a fleet's first page had summed its 10,000 rows of
 * plate_fine_summary (1.5-3 ms of PostgreSQL per request, two thirds of the page's database time).
 *
 * Writers only ever append: a statement trigger on plate_fine_summary turns each statement's
 * changes into one row per company in company_fine_delta (new rows added, old rows taken away,
 * so a plate sold from one company to another moves its counts). It takes no lock on another
 * row, so it adds no wait and no deadlock between the statements that write fines, which lock
 * fines, then plates, and may now come in any number per transaction. A company's totals are its
 * row in company_fine_totals plus its deltas; CompanyTotalsFold (inquiry) adds the deltas into
 * that row every second and deletes them, in one statement, so a reader sees them in one or the
 * other, never both or neither.
 */
export class CompanyFineTotals1763800800000 implements MigrationInterface {
  name = 'CompanyFineTotals1763800800000';

  async up(q: QueryRunner): Promise<void> {
    const columns = COMPANY_TOTALS.map((c) => `${c} bigint NOT NULL`).join(', ');
    await q.query(`CREATE TABLE company_fine_totals (company_no varchar(12) PRIMARY KEY, ${columns})`);
    await q.query(`CREATE TABLE company_fine_delta (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, company_no varchar(12) NOT NULL, ${columns})`);
    await q.query(`CREATE INDEX company_fine_delta_company ON company_fine_delta (company_no)`);
    const delta = (rows: string) => `INSERT INTO company_fine_delta (company_no, ${LIST})
          SELECT * FROM (${companySums(rows)}) d WHERE ${notZero('d')};`;
    await q.query(`CREATE FUNCTION company_fine_delta_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${delta(`SELECT 1 AS sign, * FROM new_plates`)}
        ELSIF TG_OP = 'UPDATE' THEN
          ${delta(`SELECT 1 AS sign, * FROM new_plates UNION ALL SELECT -1, * FROM old_plates`)}
        ELSE
          ${delta(`SELECT -1 AS sign, * FROM old_plates`)}
        END IF;
        RETURN NULL;
      END
    $$`);
    // CREATE TRIGGER keeps writers of plate_fine_summary out until this migration commits, so the fill below misses nothing.
    for (const [event, referencing] of [
      ['INSERT', 'NEW TABLE AS new_plates'],
      ['UPDATE', 'OLD TABLE AS old_plates NEW TABLE AS new_plates'],
      ['DELETE', 'OLD TABLE AS old_plates'],
    ]) {
      await q.query(`CREATE TRIGGER company_fine_delta_${event.toLowerCase()} AFTER ${event} ON plate_fine_summary REFERENCING ${referencing}
        FOR EACH STATEMENT EXECUTE FUNCTION company_fine_delta_apply()`);
    }
    await q.query(COMPANY_FINE_TOTALS_FILL);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER company_fine_delta_${event} ON plate_fine_summary`);
    await q.query(`DROP FUNCTION company_fine_delta_apply()`);
    await q.query(`DROP TABLE company_fine_delta`);
    await q.query(`DROP TABLE company_fine_totals`);
  }
}

/** Fills an empty company_fine_totals from plate_fine_summary: the migration's backfill, and bench:data's after a load with the triggers off. */
export const COMPANY_FINE_TOTALS_FILL = `INSERT INTO company_fine_totals (company_no, ${LIST})
  SELECT * FROM (${companySums('SELECT 1 AS sign, * FROM plate_fine_summary')}) c WHERE ${notZero('c')} ORDER BY company_no`;

/** How many companies' totals differ from their plates in plate_fine_summary (0 when consistent): for tests and bench:data. */
export const COMPANY_FINE_TOTALS_DRIFT = `SELECT count(*)::int AS v FROM
    (SELECT company_no, ${sumsOf('t')} FROM (
       SELECT company_no, ${LIST} FROM company_fine_totals UNION ALL SELECT company_no, ${LIST} FROM company_fine_delta) t
      GROUP BY company_no) kept
    FULL JOIN (${companySums('SELECT 1 AS sign, * FROM plate_fine_summary')}) plates USING (company_no)
   WHERE (${COMPANY_TOTALS.map((c) => `coalesce(kept.${c}, 0)`).join(', ')}) IS DISTINCT FROM (${COMPANY_TOTALS.map((c) => `coalesce(plates.${c}, 0)`).join(', ')})`;
