import { MigrationInterface, QueryRunner } from 'typeorm';
import { csvHeadSql, csvTailSql } from '../inquiry/fine-csv';
import { fineSummaryFunction, ownersFunction } from './1763800600000-inquiry-read-model';

/**
 * Sets the fines of the plates in `rows` (a transition table of plate_ownership) to that row's owner
 * (none for deleted rows) where it differs, locking them in fine-number order first: the order in
 * which the settlement statements lock fines too, so that a transfer and a settlement of the same
 * fines wait for each other instead of deadlocking.
 */
function finesTakeOwner(rows: 'old_owners' | 'new_owners'): string {
  const [ownerType, ownerId] = rows === 'old_owners' ? ['NULL', 'NULL'] : ['o.owner_type', 'o.owner_id'];
  return `WITH moving AS (
            SELECT m.fine_number, ${ownerType} AS owner_type, ${ownerId} AS owner_id
              FROM fine m JOIN ${rows} o ON m.plate_type = o.plate_type AND m.plate_number = o.plate_number
             WHERE (m.owner_type, m.owner_id) IS DISTINCT FROM (${ownerType}, ${ownerId})
             ORDER BY m.fine_number FOR NO KEY UPDATE OF m)
          UPDATE fine f SET owner_type = moving.owner_type, owner_id = moving.owner_id FROM moving WHERE f.fine_number = moving.fine_number;`;
}

/**
 * Fines first, then the summary rows: the order of every writer of fines (their row locks, then the
 * statement trigger's summary rows). Then fines that a concurrent insert committed meanwhile: only a
 * plate's first registration can leave any (an insert on a plate with an owner holds that owner's
 * row, see fine_before_write), and they are the insert's own new rows.
 */
const OWNERS_FUNCTION = ownersFunction((summaryChange, rows) => `${finesTakeOwner(rows)}\n${summaryChange}\n${finesTakeOwner(rows)}`);

/** New fines whose owner differs from their plate's summary row, which the statement has just upserted and so holds. */
const FINE_SUMMARY_FUNCTION = fineSummaryFunction(`UPDATE fine f SET owner_type = s.owner_type, owner_id = s.owner_id
    FROM new_fines n JOIN plate_fine_summary s ON s.plate_type = n.plate_type AND s.plate_number = n.plate_number
   WHERE f.fine_number = n.fine_number AND (n.owner_type, n.owner_id) IS DISTINCT FROM (s.owner_type, s.owner_id);`);

/**
 * Each fine carries the current owner of its plate (owner_type, owner_id); a fine on a company's plate
 * also carries its CSV line, written with the fine (csv_head and csv_tail: fine-csv.ts); and a
 * company's fines have a covering index in the order of its CSV download: plate type, plate number,
 * newest first. A download of a 10,000-plate fleet is then a few index range scans over a run of
 * contiguous index pages (index-only where the fines' heap pages are all-visible) that hand over
 * lines already formatted, instead of 10,000 per-plate probes that each read a heap page somewhere in
 * the whole table and format fifteen fields.
 *
 * The owner is the one plate_ownership and plate_fine_summary hold for the plate:
 * - a new fine takes its owner from plate_ownership, holding that row FOR SHARE (a row trigger,
 *   before it is stored), so a transfer of the plate in flight finishes first, or waits for the fine;
 *   a plate with no owner yet has no row to hold, and for that case, after the statement, once the
 *   fine trigger has upserted the plate's summary row (and so waited for a first registration of the
 *   plate in flight), new fines whose owner differs from the summary's are corrected;
 * - a change of plate_ownership updates the plate's fines (locked in fine-number order, as the
 *   settlement statements lock them), then the summary rows, then fines that a first registration's
 *   concurrent insert committed meanwhile.
 * Locks are taken fines first, then summary rows, by every writer; the one exception is that last
 * correction, which can only meet fines inserted a moment before on a plate then first registered.
 * The lines: a row trigger before every insert, and before every update of a fine that is or was on a
 * company's plate (a status, a payment, a new owner), writes them from the row itself, or clears them.
 */
export class FinesByOwner1763800700000 implements MigrationInterface {
  name = 'FinesByOwner1763800700000';

  async up(q: QueryRunner): Promise<void> {
    // No transfer may commit between the backfill below and the new triggers: it would leave its fines with the old owner.
    await q.query(`LOCK TABLE plate_ownership IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`ALTER TABLE fine ADD COLUMN owner_type varchar(7), ADD COLUMN owner_id varchar(12), ADD COLUMN csv_head text, ADD COLUMN csv_tail text`);
    await q.query(`CREATE FUNCTION fine_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          -- FOR SHARE: a transfer of the plate waits for this fine, or this fine for the transfer (and then reads the new owner).
          SELECT p.owner_type, p.owner_id INTO NEW.owner_type, NEW.owner_id
            FROM plate_ownership p WHERE p.plate_type = NEW.plate_type AND p.plate_number = NEW.plate_number FOR SHARE;
        END IF;
        IF NEW.owner_type = 'COMPANY' THEN
          NEW.csv_head := ${csvHeadSql('NEW')};
          NEW.csv_tail := ${csvTailSql('NEW')};
        ELSE
          NEW.csv_head := NULL;
          NEW.csv_tail := NULL;
        END IF;
        RETURN NEW;
      END
    $$`);
    await q.query(`CREATE TRIGGER fine_before_insert BEFORE INSERT ON fine FOR EACH ROW EXECUTE FUNCTION fine_before_write()`);
    await q.query(`CREATE TRIGGER fine_before_update BEFORE UPDATE ON fine FOR EACH ROW
      WHEN (NEW.owner_type = 'COMPANY' OR OLD.owner_type = 'COMPANY') EXECUTE FUNCTION fine_before_write()`);
    // The fines already there take their owner (and, on a company's plate, their line) through the update trigger.
    await q.query(`UPDATE fine f SET owner_type = p.owner_type, owner_id = p.owner_id
                     FROM plate_ownership p WHERE p.plate_type = f.plate_type AND p.plate_number = f.plate_number`);
    await q.query(FINE_SUMMARY_FUNCTION);
    await q.query(OWNERS_FUNCTION);
    // The INCLUDE columns are what a CSV line and the status filter read: a company's download reads no heap page that is all-visible.
    await q.query(`CREATE INDEX fine_company ON fine (owner_id, plate_type, plate_number, occurred_at DESC, fine_number DESC)
      INCLUDE (status, violation_code, csv_head, csv_tail)
      WHERE (owner_type)::text = 'COMPANY'::text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX fine_company`);
    await q.query(`DROP TRIGGER fine_before_update ON fine`);
    await q.query(`DROP TRIGGER fine_before_insert ON fine`);
    await q.query(`DROP FUNCTION fine_before_write()`);
    await q.query(ownersFunction());
    await q.query(fineSummaryFunction());
    await q.query(`ALTER TABLE fine DROP COLUMN owner_type, DROP COLUMN owner_id, DROP COLUMN csv_head, DROP COLUMN csv_tail`);
  }
}

/** How many fines carry another owner than plate_ownership gives their plate (0 when consistent): for tests and bench:data. */
export const FINE_OWNER_DRIFT = `SELECT count(*)::int AS v FROM fine f
  LEFT JOIN plate_ownership p ON p.plate_type = f.plate_type AND p.plate_number = f.plate_number
 WHERE (f.owner_type, f.owner_id) IS DISTINCT FROM (p.owner_type, p.owner_id)`;
