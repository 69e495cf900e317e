import { statusesFor } from '../fines/dto/fine.dto';
import type { FineStatus } from '../fines/fine.entity';

/**
 * A company's totals (company_fine_totals, migration 1763800800000): its fines by status, what of
 * them is outstanding, and on how many of its plates; kept as one row per company plus the deltas
 * that writers append to company_fine_delta, which CompanyTotalsFold adds into the row.
 */
export const COMPANY_TOTALS = [
  'unpaid_count',
  'pending_count',
  'paid_count',
  'cancelled_count',
  'unpaid_minor',
  'pending_minor',
  'outstanding_plates',
  'paid_plates',
  'fined_plates',
] as const;

const LIST = COMPANY_TOTALS.join(', ');

/** `sum(a.x) AS x` for every total. */
export const sumsOf = (alias: string) => COMPANY_TOTALS.map((c) => `sum(${alias}.${c}) AS ${c}`).join(', ');

/** True when some total of `alias` is not 0. */
export const notZero = (alias: string) =>
  `(${COMPANY_TOTALS.map((c) => `${alias}.${c}`).join(', ')}) IS DISTINCT FROM (${COMPANY_TOTALS.map(() => '0').join(', ')})`;

/**
 * Per company, the sums of its plates' rows in `rows` (plate_fine_summary rows with a `sign`): +1
 * for a row as it is now, -1 for a row as it was. A plate counts among a status filter's plates
 * while it has a fine of that filter (the API's three: unpaid or pending, paid, any).
 */
export function companySums(rows: string): string {
  return `SELECT owner_id AS company_no,
          sum(sign * unpaid_count) AS unpaid_count, sum(sign * pending_count) AS pending_count,
          sum(sign * paid_count) AS paid_count, sum(sign * cancelled_count) AS cancelled_count,
          sum(sign * unpaid_minor) AS unpaid_minor, sum(sign * pending_minor) AS pending_minor,
          sum(sign * (unpaid_count + pending_count > 0)::int) AS outstanding_plates,
          sum(sign * (paid_count > 0)::int) AS paid_plates,
          sum(sign * (unpaid_count + pending_count + paid_count + cancelled_count > 0)::int) AS fined_plates
     FROM (${rows}) r WHERE owner_type = 'COMPANY' GROUP BY owner_id`;
}

/** The plates column of company_fine_totals for each status filter of the API: plates with at least one matching fine. */
const COMPANY_PLATES: [readonly FineStatus[], string][] = [
  [statusesFor('UNPAID'), 'outstanding_plates'],
  [statusesFor('PAID'), 'paid_plates'],
  [statusesFor('ALL'), 'fined_plates'],
];

/** The plates column for a status filter of the API; none for any other set of statuses. */
export function companyPlatesColumn(statuses: readonly FineStatus[]): string | undefined {
  const wanted = [...statuses].sort().join();
  return COMPANY_PLATES.find(([filter]) => [...filter].sort().join() === wanted)?.[1];
}

/**
 * Adds up to `$1` deltas into their companies' rows and deletes them, in one statement. Deltas
 * another fold holds are skipped, not waited for; rows are upserted in company order, so two
 * folds at once (two replicas) neither deadlock nor count a delta twice. Answers how many it took.
 */
export const COMPANY_FINE_TOTALS_FOLD = `WITH taken AS (
    SELECT id FROM company_fine_delta ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED),
  gone AS (DELETE FROM company_fine_delta d USING taken t WHERE d.id = t.id RETURNING d.*),
  added AS (
    INSERT INTO company_fine_totals AS c (company_no, ${LIST})
    SELECT company_no, ${sumsOf('g')} FROM gone g GROUP BY company_no ORDER BY company_no
    ON CONFLICT (company_no) DO UPDATE SET ${COMPANY_TOTALS.map((c) => `${c} = c.${c} + EXCLUDED.${c}`).join(', ')})
  SELECT count(*)::int AS taken FROM gone`;

/** A company's totals: its row and its deltas not yet folded, summed in one row (all null when it never had a fine). */
export const COMPANY_FINE_TOTALS_OF = `SELECT ${sumsOf('t')} FROM (
    SELECT ${LIST} FROM company_fine_totals WHERE company_no = $1
    UNION ALL SELECT ${LIST} FROM company_fine_delta WHERE company_no = $1) t`;
