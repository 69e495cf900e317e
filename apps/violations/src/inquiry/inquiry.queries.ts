import { createHash } from 'node:crypto';
import type { OwnerType, PlateType } from '@app/contracts';
import { FINE_STATUSES, FineStatus } from '../fines/fine.entity';
import { FINE_COLUMNS } from '../fines/fine-view';
import { COMPANY_FINE_TOTALS_OF, companyPlatesColumn } from './company-totals';
import { CSV_TYPES_SQL } from './fine-csv';

/**
 * The SQL of the inquiry read path, in one place (the service runs it, bench:inquiry explains it).
 * A status filter is written into the text as a literal list from FINE_STATUSES, never a
 * parameter: the planner then uses the partial indexes of unpaid fines for the default filter.
 */
export interface InquiryQuery {
  /** Set on the queries of the JSON answers: a named prepared statement, planned once per connection (TransactionHost.read). */
  name?: string;
  text: string;
  values: unknown[];
}

const statements = new Map<string, { name: string; text: string }>();

/**
 * A query PostgreSQL may plan once per connection and then only execute: named after its text, so
 * one text has one name in every process (the service's and bench:inquiry's bare route alike).
 * Planning cost more than running: a civil ID's fines took 0.9 ms to plan and 0.2 ms to execute.
 * The text is built once per `key`, which names the builder and all its text depends on (the status
 * filter, say), so there are a few dozen statements in all and none is built per request.
 */
function prepared(key: string, build: () => string, values: unknown[]): InquiryQuery {
  let statement = statements.get(key);
  if (statement === undefined) {
    const text = build();
    statement = { name: `inquiry_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
    statements.set(key, statement);
  }
  return { ...statement, values };
}

/** Plates per CSV chunk: a few thousand fines read in one query and written to the client in one write. */
export const CSV_PLATES_PER_CHUNK = 5000;

function statusList(statuses: readonly FineStatus[]): string {
  if (statuses.length === 0 || statuses.some((s) => !FINE_STATUSES.includes(s))) throw new Error(`bad status filter ${statuses.join(',')}`);
  return statuses.map((s) => `'${s}'`).join(', ');
}

const SUMMARY_COUNT: Record<FineStatus, string> = {
  UNPAID: 'unpaid_count',
  PAYMENT_PENDING: 'pending_count',
  PAID: 'paid_count',
  CANCELLED: 'cancelled_count',
};
const SUMMARY_OUTSTANDING: Partial<Record<FineStatus, string>> = { UNPAID: 'unpaid_minor', PAYMENT_PENDING: 'pending_minor' };

/** From plate_fine_summary s: how many of a plate's fines match the filter, and what of them is outstanding. */
function summaryOf(statuses: readonly FineStatus[]): { count: string; outstanding: string } {
  statusList(statuses);
  const outstanding = statuses.flatMap((s) => (SUMMARY_OUTSTANDING[s] ? [`s.${SUMMARY_OUTSTANDING[s]}`] : []));
  return { count: statuses.map((s) => `s.${SUMMARY_COUNT[s]}`).join(' + '), outstanding: outstanding.length > 0 ? outstanding.join(' + ') : '0' };
}

/** FINE_COLUMNS for a row that is not a fine: NULL each, but the plate's two columns from `plateOf` when given (a vehicle). */
function notAFine(plateOf?: string): string {
  return FINE_COLUMNS.split(',')
    .map((column) => column.trim())
    .map((column) => (plateOf && (column === 'f.plate_type' || column === 'f.plate_number') ? column.replace('f.', `${plateOf}.`) : 'NULL'))
    .join(', ');
}

/**
 * A person's whole answer in one statement, one row per part (`part`, CivilIdRow): the fines on the
 * plates the person owns, then the fines where the person drove someone else's plate (UNION ALL with
 * the overlap left out of the second half, so no row-wide duplicate removal), newest first; then the
 * person's name; then the vehicles in plate order. Three statements run in parallel cost three round
 * trips: on these machines a write to a loopback socket took about 70 µs of CPU on each side, which
 * was a third of the service's CPU per answer.
 */
export function civilIdInquiry(civilId: string, statuses: readonly FineStatus[]): InquiryQuery {
  const build = () => {
    const list = statusList(statuses);
    return `WITH owned AS MATERIALIZED (
             SELECT plate_type, plate_number, make, model FROM plate_ownership WHERE owner_type = 'PERSON' AND owner_id = $1)
           SELECT 'fine' AS part, ${FINE_COLUMNS}, NULL AS make, NULL AS model, NULL AS name_ar, NULL AS name_en
             FROM owned p
             JOIN fine f ON f.plate_type = p.plate_type AND f.plate_number = p.plate_number
             JOIN violation_type vt ON vt.code = f.violation_code
            WHERE f.status IN (${list})
           UNION ALL
           SELECT 'fine', ${FINE_COLUMNS}, NULL, NULL, NULL, NULL
             FROM fine f JOIN violation_type vt ON vt.code = f.violation_code
            WHERE f.driver_civil_id = $1 AND f.status IN (${list})
              AND NOT EXISTS (SELECT 1 FROM owned p WHERE p.plate_type = f.plate_type AND p.plate_number = f.plate_number)
           UNION ALL
           SELECT 'subject', ${notAFine()}, NULL, NULL, n.name_ar, n.name_en
             FROM owner_name n WHERE n.owner_type = 'PERSON' AND n.owner_id = $1
           UNION ALL
           SELECT 'vehicle', ${notAFine('p')}, p.make, p.model, NULL, NULL FROM owned p
           ORDER BY part, occurred_at DESC, fine_number DESC, plate_type, plate_number`;
  };
  return prepared(`civil-id:${statuses.join()}`, build, [civilId]);
}

/**
 * A plate's whole answer in one statement, as civilIdInquiry: its matching fines, newest first, then
 * its vehicle (none when the read model does not know the plate) with its current owner. `reader`
 * is the owner a driver's or fleet's token stands for (none for admin): the fines are read only when
 * the plate is the reader's now (a condition PostgreSQL checks once, not per fine), so a caller the
 * controller then refuses has cost one index lookup, not the plate's fines. The ownership check, the
 * fines and the vehicle were three round trips.
 */
export function plateInquiry(plateType: PlateType, plateNumber: string, statuses: readonly FineStatus[], reader?: readonly [OwnerType, string]): InquiryQuery {
  const build = () => `SELECT 'fine' AS part, ${FINE_COLUMNS}, NULL AS make, NULL AS model, NULL AS owner_type, NULL AS owner_id
             FROM fine f JOIN violation_type vt ON vt.code = f.violation_code
            WHERE f.plate_type = $1 AND f.plate_number = $2 AND f.status IN (${statusList(statuses)})
              AND ($3::text IS NULL OR EXISTS (
                    SELECT 1 FROM plate_ownership r WHERE r.plate_type = $1 AND r.plate_number = $2 AND r.owner_type = $3 AND r.owner_id = $4))
           UNION ALL
           SELECT 'vehicle', ${notAFine('o')}, o.make, o.model, o.owner_type, o.owner_id
             FROM plate_ownership o WHERE o.plate_type = $1 AND o.plate_number = $2
           ORDER BY part, occurred_at DESC, fine_number DESC`;
  return prepared(`plate:${statuses.join()}`, build, [plateType, plateNumber, reader?.[0] ?? null, reader?.[1] ?? null]);
}

/**
 * One fine with its plate's current owner (which the fine carries: fines-by-owner migration), so
 * `GET /v1/fines/{fineNumber}` decides who may read it from the same row, in one round trip.
 */
export function fineWithOwner(fineNumber: string): InquiryQuery {
  return prepared(
    'fine',
    () => `SELECT ${FINE_COLUMNS}, f.owner_type, f.owner_id FROM fine f JOIN violation_type vt ON vt.code = f.violation_code WHERE f.fine_number = $1`,
    [fineNumber],
  );
}

/** A company's plates in plate_fine_summary s, optionally one plate number, with at least one matching fine. */
function companyPlates(statuses: readonly FineStatus[]): string {
  return `s.owner_type = 'COMPANY' AND s.owner_id = $1 AND ($2::text IS NULL OR s.plate_number = $2) AND ${summaryOf(statuses).count} > 0`;
}

/**
 * One page of a company's fines, in plate order (plate type, plate number), each plate's newest
 * first. The plates are walked in the summary's owner index with a running count of their matching
 * fines until the page is covered (a plate has at least one), so only the fines of the page's
 * plates are read, whatever the fleet's size. Each row carries its vehicle's make, model, count
 * and outstanding amount over all its matching fines.
 */
export function companyPage(companyNo: string, statuses: readonly FineStatus[], page: number, pageSize: number, plateNumber?: string): InquiryQuery {
  const build = () => {
    const { count, outstanding } = summaryOf(statuses);
    return `WITH plates AS (
             SELECT plate_type, plate_number, fine_count, outstanding_minor, upto - fine_count AS before FROM (
               SELECT s.plate_type, s.plate_number, ${count} AS fine_count, ${outstanding} AS outstanding_minor,
                      sum(${count}) OVER (ORDER BY s.plate_type, s.plate_number) AS upto
                 FROM plate_fine_summary s WHERE ${companyPlates(statuses)}
             ) w WHERE upto > $3 LIMIT $4)
           SELECT ${FINE_COLUMNS}, o.make, o.model, p.fine_count, p.outstanding_minor
             FROM plates p
             JOIN fine f ON f.plate_type = p.plate_type AND f.plate_number = p.plate_number
             JOIN violation_type vt ON vt.code = f.violation_code
             LEFT JOIN plate_ownership o ON o.plate_type = p.plate_type AND o.plate_number = p.plate_number
            WHERE p.before < $3 + $4 AND f.status IN (${statusList(statuses)})
            ORDER BY p.plate_type, p.plate_number, f.occurred_at DESC, f.fine_number DESC
           OFFSET $3 - (SELECT coalesce(min(before), 0) FROM plates) LIMIT $4`;
  };
  return prepared(`company-page:${statuses.join()}`, build, [companyNo, plateNumber ?? null, (page - 1) * pageSize, pageSize]);
}

/**
 * A company's name and totals over every matching fine: how many, outstanding, on how many vehicles.
 * For the API's status filters, its totals row and pending deltas (company_fine_totals: a few rows,
 * whatever the fleet's size); for one plate number, from the summary's owner index.
 */
export function companyTotals(companyNo: string, statuses: readonly FineStatus[], plateNumber?: string): InquiryQuery {
  const platesColumn = plateNumber === undefined ? companyPlatesColumn(statuses) : undefined;
  const build = () => {
    const { count, outstanding } = summaryOf(statuses);
    const totals = platesColumn
      ? `SELECT coalesce(s.${platesColumn}, 0)::int AS vehicles, coalesce(${count}, 0)::bigint AS fines, coalesce(${outstanding}, 0)::bigint AS outstanding_minor
           FROM (${COMPANY_FINE_TOTALS_OF}) s`
      : `SELECT count(*)::int AS vehicles, coalesce(sum(${count}), 0)::bigint AS fines, coalesce(sum(${outstanding}), 0)::bigint AS outstanding_minor
           FROM plate_fine_summary s WHERE ${companyPlates(statuses)}`;
    return `SELECT n.name_ar, n.name_en, t.vehicles, t.fines, t.outstanding_minor
              FROM (${totals}) t
              LEFT JOIN owner_name n ON n.owner_type = 'COMPANY' AND n.owner_id = $1`;
  };
  return prepared(`company-totals:${statuses.join()}:${platesColumn ?? 'by plate'}`, build, platesColumn ? [companyNo] : [companyNo, plateNumber ?? null]);
}

/** The violation types' titles as CSV fields, read once per CSV download (csvLines joins them to each fine). */
export function csvTitles(): InquiryQuery {
  return prepared('csv-titles', () => CSV_TYPES_SQL, []);
}

/**
 * The last of a company's next `plates` plates with a matching fine after `after` (plate type,
 * plate number), from the summary's owner index: where one CSV chunk ends. No row when fewer are
 * left, and the chunk then runs to the company's last plate.
 */
export function companyCsvChunkEnd(
  companyNo: string,
  statuses: readonly FineStatus[],
  plateNumber: string | undefined,
  after: [string, string],
  plates: number,
): InquiryQuery {
  return prepared(
    `company-csv-end:${statuses.join()}`,
    () => `SELECT s.plate_type, s.plate_number FROM plate_fine_summary s
            WHERE ${companyPlates(statuses)} AND (s.plate_type, s.plate_number) > ($3, $4)
            ORDER BY s.plate_type, s.plate_number OFFSET $5 LIMIT 1`,
    [companyNo, plateNumber ?? null, ...after, plates - 1],
  );
}

/**
 * The stored CSV parts (fine-csv.ts) of a company's matching fines on the plates after `after` up
 * to `upto` (or the last), one row per fine in the CSV's order. They come from one range of the
 * company index of fines (fine_company: the company's fines in this order, with every column a line
 * needs) in its order: no sort, no join, no string built in the database. PostgreSQL aggregating
 * each chunk into one string cost four times the database CPU of sending its rows (a sort that
 * spilled to disk, and some 14,000 page faults per download for the growing string); the service
 * joins the lines instead, and services scale out where the database does not.
 */
export function companyCsvRows(
  companyNo: string,
  statuses: readonly FineStatus[],
  plateNumber: string | undefined,
  after: [string, string],
  upto: [string, string] | undefined,
): InquiryQuery {
  const build = () => `SELECT f.csv_head, f.violation_code, f.csv_tail FROM fine f
            WHERE f.owner_type = 'COMPANY' AND f.owner_id = $1 AND ($2::text IS NULL OR f.plate_number = $2)
              AND (f.plate_type, f.plate_number) > ($3, $4) ${upto ? 'AND (f.plate_type, f.plate_number) <= ($5, $6)' : ''}
              AND f.status IN (${statusList(statuses)})
            ORDER BY f.plate_type, f.plate_number, f.occurred_at DESC, f.fine_number DESC`;
  return prepared(`company-csv-rows:${statuses.join()}:${upto ? 'upto' : 'to the end'}`, build, [companyNo, plateNumber ?? null, ...after, ...(upto ?? [])]);
}
