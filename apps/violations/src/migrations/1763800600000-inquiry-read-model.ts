import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inquiry's read model. Partial indexes of the unpaid and pending fines (the default filter) by
 * plate and by driver, so those inquiries read no paid or cancelled fine.
 *
 * plate_fine_summary: per plate, its current owner, how many fines it has by status and what is
 * unpaid or pending on it. A company's totals and the plates of one page of its fines are read from
 * the owner index (one small index entry per plate) instead of from every fine of the fleet.
 *
 * Kept by statement-level triggers rather than by each writer, so that issuing, cancelling,
 * reserving, settling and releasing fines (and the demo seeder, tests and bench data) change it in
 * the same statement and transaction as the fines, and it cannot drift from them:
 * - on fine: the statement's rows are summed per plate and added (removed for old rows); a new
 *   summary row takes its owner from plate_ownership; an existing row's owner is never touched here;
 * - on plate_ownership: the plate's row is created or given its new owner (an upsert, so it waits
 *   for a fine statement that is creating the same row, and neither loses the other's change).
 * Rows are written in plate order, so concurrent statements lock them in the same order.
 */
export class InquiryReadModel1763800600000 implements MigrationInterface {
  name = 'InquiryReadModel1763800600000';

  async up(q: QueryRunner): Promise<void> {
    // The predicate in the form PostgreSQL prints it back (pg_get_indexdef), so bench:data can drop and recreate the index unchanged.
    const outstanding = `(status)::text = ANY (ARRAY['UNPAID'::text, 'PAYMENT_PENDING'::text])`;
    await q.query(`CREATE INDEX fine_plate_outstanding ON fine (plate_type, plate_number, occurred_at DESC) WHERE ${outstanding}`);
    await q.query(`CREATE INDEX fine_driver_outstanding ON fine (driver_civil_id, occurred_at DESC) WHERE driver_civil_id IS NOT NULL AND ${outstanding}`);
    await q.query(`CREATE TABLE plate_fine_summary (
      plate_type varchar(20) NOT NULL,
      plate_number varchar(7) NOT NULL,
      owner_type varchar(7),
      owner_id varchar(12),
      unpaid_count integer NOT NULL DEFAULT 0,
      pending_count integer NOT NULL DEFAULT 0,
      paid_count integer NOT NULL DEFAULT 0,
      cancelled_count integer NOT NULL DEFAULT 0,
      unpaid_minor bigint NOT NULL DEFAULT 0,
      pending_minor bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (plate_type, plate_number)
    )`);
    await q.query(fineSummaryFunction());
    await q.query(ownersFunction());
    // Transition tables need one trigger per event. CREATE TRIGGER keeps writers of the table out until this migration commits.
    for (const [event, referencing] of [
      ['INSERT', 'NEW TABLE AS new_fines'],
      ['UPDATE', 'OLD TABLE AS old_fines NEW TABLE AS new_fines'],
      ['DELETE', 'OLD TABLE AS old_fines'],
    ]) {
      await q.query(`CREATE TRIGGER fine_summary_${event.toLowerCase()} AFTER ${event} ON fine REFERENCING ${referencing}
        FOR EACH STATEMENT EXECUTE FUNCTION plate_fine_summary_apply_fines()`);
    }
    for (const [event, referencing] of [
      ['INSERT', 'NEW TABLE AS new_owners'],
      ['UPDATE', 'NEW TABLE AS new_owners'],
      ['DELETE', 'OLD TABLE AS old_owners'],
    ]) {
      await q.query(`CREATE TRIGGER plate_ownership_summary_${event.toLowerCase()} AFTER ${event} ON plate_ownership REFERENCING ${referencing}
        FOR EACH STATEMENT EXECUTE FUNCTION plate_fine_summary_apply_owners()`);
    }
    await q.query(PLATE_FINE_SUMMARY_FILL);
    // Covering: a company's totals and the walk to one page's plates are index-only scans.
    await q.query(`CREATE INDEX plate_fine_summary_owner ON plate_fine_summary (owner_type, owner_id, plate_type, plate_number)
      INCLUDE (unpaid_count, pending_count, paid_count, cancelled_count, unpaid_minor, pending_minor)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER plate_ownership_summary_${event} ON plate_ownership`);
      await q.query(`DROP TRIGGER fine_summary_${event} ON fine`);
    }
    await q.query(`DROP FUNCTION plate_fine_summary_apply_owners()`);
    await q.query(`DROP FUNCTION plate_fine_summary_apply_fines()`);
    await q.query(`DROP TABLE plate_fine_summary`);
    await q.query(`DROP INDEX fine_driver_outstanding`);
    await q.query(`DROP INDEX fine_plate_outstanding`);
  }
}

/**
 * The fine trigger's function: the statement's fines summed per plate into plate_fine_summary, then
 * `afterInsert` (SQL run after an INSERT's summary upsert, with the rows in new_fines; a later migration's hook).
 */
export function fineSummaryFunction(afterInsert = ''): string {
  return `CREATE OR REPLACE FUNCTION plate_fine_summary_apply_fines() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${applyFineDelta(`SELECT plate_type, plate_number, status, amount_minor, 1 AS sign FROM new_fines`)}
          ${afterInsert}
        ELSIF TG_OP = 'UPDATE' THEN
          ${applyFineDelta(`SELECT plate_type, plate_number, status, amount_minor, 1 AS sign FROM new_fines
                            UNION ALL SELECT plate_type, plate_number, status, amount_minor, -1 FROM old_fines`)}
        ELSE
          ${applyFineDelta(`SELECT plate_type, plate_number, status, amount_minor, -1 AS sign FROM old_fines`)}
        END IF;
        RETURN NULL;
      END
    $$`;
}

/**
 * The plate_ownership trigger's function: the plates' summary rows given their new owner (none for
 * deleted rows), with `around(summaryChange, rows)` wrapping that change (a later migration's hook;
 * rows is old_owners or new_owners).
 */
export function ownersFunction(around: (summaryChange: string, rows: 'old_owners' | 'new_owners') => string = (change) => change): string {
  return `CREATE OR REPLACE FUNCTION plate_fine_summary_apply_owners() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          ${around(
            `UPDATE plate_fine_summary t SET owner_type = NULL, owner_id = NULL
            FROM old_owners o WHERE t.plate_type = o.plate_type AND t.plate_number = o.plate_number;`,
            'old_owners',
          )}
        ELSE
          ${around(
            `INSERT INTO plate_fine_summary AS t (plate_type, plate_number, owner_type, owner_id)
          SELECT plate_type, plate_number, owner_type, owner_id FROM new_owners ORDER BY plate_type, plate_number
          ON CONFLICT (plate_type, plate_number) DO UPDATE SET owner_type = EXCLUDED.owner_type, owner_id = EXCLUDED.owner_id
           WHERE (t.owner_type, t.owner_id) IS DISTINCT FROM (EXCLUDED.owner_type, EXCLUDED.owner_id);`,
            'new_owners',
          )}
        END IF;
        RETURN NULL;
      END
    $$`;
}

const COUNTS = `unpaid_count, pending_count, paid_count, cancelled_count, unpaid_minor, pending_minor`;

/** Per plate, the signed sums of `delta` (rows of plate_type, plate_number, status, amount_minor, sign), leaving out plates it does not change. */
function sumPerPlate(delta: string): string {
  return `SELECT * FROM (
      SELECT plate_type, plate_number,
             coalesce(sum(sign) FILTER (WHERE status = 'UNPAID'), 0) AS unpaid_count,
             coalesce(sum(sign) FILTER (WHERE status = 'PAYMENT_PENDING'), 0) AS pending_count,
             coalesce(sum(sign) FILTER (WHERE status = 'PAID'), 0) AS paid_count,
             coalesce(sum(sign) FILTER (WHERE status = 'CANCELLED'), 0) AS cancelled_count,
             coalesce(sum(sign * amount_minor::bigint) FILTER (WHERE status = 'UNPAID'), 0) AS unpaid_minor,
             coalesce(sum(sign * amount_minor::bigint) FILTER (WHERE status = 'PAYMENT_PENDING'), 0) AS pending_minor
        FROM (${delta}) d GROUP BY plate_type, plate_number) s
    WHERE unpaid_count <> 0 OR pending_count <> 0 OR paid_count <> 0 OR cancelled_count <> 0 OR unpaid_minor <> 0 OR pending_minor <> 0`;
}

function applyFineDelta(delta: string): string {
  return `INSERT INTO plate_fine_summary AS t (plate_type, plate_number, owner_type, owner_id, ${COUNTS})
    SELECT s.plate_type, s.plate_number, p.owner_type, p.owner_id, ${prefixed('s', COUNTS)}
      FROM (${sumPerPlate(delta)}) s
      LEFT JOIN plate_ownership p ON p.plate_type = s.plate_type AND p.plate_number = s.plate_number
     ORDER BY s.plate_type, s.plate_number
    ON CONFLICT (plate_type, plate_number) DO UPDATE SET
      ${COUNTS.split(', ')
        .map((c) => `${c} = t.${c} + EXCLUDED.${c}`)
        .join(', ')};`;
}

function prefixed(alias: string, columns: string): string {
  return columns
    .split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');
}

/**
 * Fills an empty plate_fine_summary from the fines and plate_ownership: every owned plate, and every
 * plate with fines. The migration's backfill, and bench:data's after a load with the triggers off.
 */
export const PLATE_FINE_SUMMARY_FILL = `INSERT INTO plate_fine_summary (plate_type, plate_number, owner_type, owner_id, ${COUNTS})
  SELECT coalesce(s.plate_type, p.plate_type), coalesce(s.plate_number, p.plate_number), p.owner_type, p.owner_id,
         ${COUNTS.split(', ')
           .map((c) => `coalesce(s.${c}, 0)`)
           .join(', ')}
    FROM (${sumPerPlate(`SELECT plate_type, plate_number, status, amount_minor, 1 AS sign FROM fine`)}) s
    FULL JOIN plate_ownership p ON p.plate_type = s.plate_type AND p.plate_number = s.plate_number
   ORDER BY 1, 2`;

/** How many plates the summary gets wrong against the fines and plate_ownership (0 when it is consistent): for tests and bench:data. */
export const PLATE_FINE_SUMMARY_DRIFT = `SELECT count(*)::int AS v
   FROM (SELECT plate_type, plate_number, count(*) FILTER (WHERE status = 'UNPAID') AS unpaid, count(*) FILTER (WHERE status = 'PAYMENT_PENDING') AS pending,
                count(*) FILTER (WHERE status = 'PAID') AS paid, count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled,
                coalesce(sum(amount_minor) FILTER (WHERE status = 'UNPAID'), 0) AS unpaid_minor,
                coalesce(sum(amount_minor) FILTER (WHERE status = 'PAYMENT_PENDING'), 0) AS pending_minor
           FROM fine GROUP BY plate_type, plate_number) f
   FULL JOIN plate_ownership p USING (plate_type, plate_number)
   FULL JOIN plate_fine_summary s USING (plate_type, plate_number)
  WHERE s.plate_type IS NULL
     OR (s.owner_type, s.owner_id) IS DISTINCT FROM (p.owner_type, p.owner_id)
     OR (s.unpaid_count, s.pending_count, s.paid_count, s.cancelled_count, s.unpaid_minor, s.pending_minor)
        IS DISTINCT FROM (coalesce(f.unpaid, 0), coalesce(f.pending, 0), coalesce(f.paid, 0), coalesce(f.cancelled, 0), coalesce(f.unpaid_minor, 0), coalesce(f.pending_minor, 0))`;
