import { Client } from 'pg';
import { COLORS, COMPANY_NAMES, FAMILY_NAMES, FIRST_NAMES, VEHICLES } from '../../../apps/vehicle-registry/src/demo/demo-names';
import { LOCATIONS } from '../../../apps/violations/src/demo/demo-locations';
import { PG_BASE } from './system';

/**
 * The SQL that generates the benchmark data set inside PostgreSQL (see scripts/bench/data.ts).
 *
 * Every value is a pure function of a row's number in generate_series and of the spec (and the
 * anchor time), hashed with hashint8extended(n, stream): the registry's and violations' sessions
 * run the same statements on their own database and get the same persons, plates, owners and
 * fines without a byte crossing between them. Each session first materializes its own TEMP tables
 * bench_person, bench_company and bench_vehicle (session-local, not WAL-logged, gone at disconnect)
 * that the INSERTs into the real tables join.
 *
 * Expressions are computed in stages separated by `OFFSET 0` subqueries: without the fence the
 * planner flattens the stages and copies each expression into every place it is used (the civil ID
 * check digit then costs ~20 us a row instead of ~0.8 us).
 */

export const FLEET_COMPANY_NO = '100001';
/** Share of the non-fleet vehicles owned by the other companies, percent. */
export const COMPANY_SHARE = 10;
/** Fines that occurred over the two years before the anchor. */
const WINDOW_SECONDS = 730 * 86400;
const H = `9223372036854775807`; // mask: non-negative hash
const h = (col: string, stream: number) => `(hashint8extended(${col}::bigint, ${stream}) & ${H})`;

export interface DataSpec {
  persons: number;
  vehicles: number;
  fines: number;
  companies: number;
  fleetPlates: number;
  /** Every time is relative to this instant (ISO), so the same spec and anchor give the same rows. */
  anchor: string;
}

export interface ViolationTypeRow {
  code: string;
  amount_minor: number;
}

/** Session settings for a bulk load: memory for the hash joins, sorts and index builds; no wait for WAL flush per commit. */
export async function prepareSession(db: Client): Promise<void> {
  // temp_buffers can only be set before the session's first use of a temporary table.
  await db.query(`SET temp_buffers = '1GB'`);
  await db.query(`SET work_mem = '512MB'`);
  await db.query(`SET maintenance_work_mem = '1GB'`);
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET jit = off`); // compiling these one-off statements costs more than it saves
}

/**
 * Person i (0-based) -> a civil ID with a valid check digit, unique for i < 18,480,000:
 * century digit 2/3, birth date YYMMDD (years 1950-2004, days 1-28), three serial digits, a fourth
 * serial digit chosen (from a hashed start) so that Σ dᵢ·wᵢ mod 11 is not 0 or 1, and the check digit.
 * (day k, serial) is a bijection of i, and the fourth digit is a function of the first ten.
 */
function civilIdSelect(from: string): string {
  return `SELECT i, (c * 100000000000 + yy * 1000000000 + mo * 10000000 + dd * 100000 + sr * 100 + d * 10 + (11 - (s + 2 * d) % 11))::text AS civil_id
  FROM (SELECT *, CASE WHEN (s + 2 * h0) % 11 > 1 THEN h0 WHEN (s + 2 * ((h0 + 1) % 10)) % 11 > 1 THEN (h0 + 1) % 10 ELSE (h0 + 2) % 10 END AS d
  FROM (SELECT *, 2 * c + yy / 10 + 6 * (yy % 10) + 3 * (mo / 10) + 7 * (mo % 10) + 9 * (dd / 10) + 10 * (dd % 10)
                 + 5 * (sr / 100) + 8 * ((sr / 10) % 10) + 4 * (sr % 10) AS s
  FROM (SELECT i, sr, h0, CASE WHEN k % 55 < 50 THEN 2 ELSE 3 END AS c, (50 + k % 55) % 100 AS yy, 1 + (k / 55) % 12 AS mo, 1 + (k / 660) % 28 AS dd
  FROM (SELECT i, ((i % 18480) * 7919 + 4099) % 18480 AS k, ((i / 18480) * 379 + i % 18480) % 1000 AS sr, ${h('i', 1)} % 10 AS h0
    FROM ${from} OFFSET 0) a OFFSET 0) b OFFSET 0) c OFFSET 0) d`;
}

/** The session's TEMP tables: persons (with their names and contact), companies, vehicles (with owners). */
export async function createTempTables(db: Client, spec: DataSpec): Promise<void> {
  const first = FIRST_NAMES;
  const fathers = FIRST_NAMES.slice(0, 20);
  await db.query(`DROP TABLE IF EXISTS bench_person, bench_company, bench_vehicle`);
  await db.query(
    `CREATE TEMP TABLE bench_person AS
     SELECT p.i, p.civil_id,
            ($1::text[])[1 + a] || ' ' || ($3::text[])[1 + b] || ' ' || ($5::text[])[1 + c] AS name_ar,
            ($2::text[])[1 + a] || ' ' || ($4::text[])[1 + b] || ' ' || ($6::text[])[1 + c] AS name_en,
            '+965' || (ARRAY['5', '6', '9'])[1 + ${h('p.i', 3)} % 3] || lpad((${h('p.i', 4)} % 10000000)::text, 7, '0') AS mobile,
            lower(($2::text[])[1 + a]) || '.' || ($7::text[])[1 + c] || p.i || '@example.com' AS email,
            CASE WHEN ${h('p.i', 5)} % 100 < 80 THEN 'ar' ELSE 'en' END AS language,
            $9::timestamptz - make_interval(days => (2920 + ${h('p.i', 6)} % 3650)::int) AS created_at
       FROM (${civilIdSelect(`generate_series(0::bigint, $8::bigint - 1) i`)}) p,
            LATERAL (SELECT ${h('p.i', 7)} % $10 AS a, ${h('p.i', 8)} % $11 AS b, ${h('p.i', 9)} % $12 AS c) n`,
    [
      first.map((n) => n[0]),
      first.map((n) => n[1]),
      fathers.map((n) => n[0]),
      fathers.map((n) => n[1]),
      FAMILY_NAMES.map((n) => n[0]),
      FAMILY_NAMES.map((n) => n[1]),
      FAMILY_NAMES.map((n) => n[1].toLowerCase().replace(/[^a-z]/g, '')),
      spec.persons,
      spec.anchor,
      first.length,
      fathers.length,
      FAMILY_NAMES.length,
    ],
  );
  // Companies as the demo registry names them: 100001 (the fleet), 100002, ... in the order of COMPANY_NAMES, then branches.
  await db.query(
    `CREATE TEMP TABLE bench_company AS
     SELECT k, (100001 + k)::text AS company_no,
            ($1::text[])[1 + k % $3] || CASE WHEN k / $3 > 0 THEN ' - فرع ' || (k / $3 + 1) ELSE '' END AS name_ar,
            ($2::text[])[1 + k % $3] || CASE WHEN k / $3 > 0 THEN ' (branch ' || (k / $3 + 1) || ')' ELSE '' END AS name_en,
            '+9652' || lpad((2000000 + k)::text, 7, '0') AS mobile,
            'fleet' || (100001 + k) || '@example.com' AS email,
            CASE WHEN k % 3 = 0 THEN 'en' ELSE 'ar' END AS language,
            $5::timestamptz - make_interval(days => (3000 + k % 1000)::int) AS created_at
       FROM generate_series(0, $4::int - 1) k`,
    [COMPANY_NAMES.map((n) => n[0]), COMPANY_NAMES.map((n) => n[1]), COMPANY_NAMES.length, spec.companies, spec.anchor],
  );
  // Vehicle v: the first fleetPlates belong to the fleet; of the rest COMPANY_SHARE % to the other companies, the others to persons.
  // Plate numbers: an affine permutation of v modulo 9,999,999 (1000003 is prime to it), so unique whatever the type.
  await db.query(
    `CREATE TEMP TABLE bench_vehicle AS
     SELECT g.v, g.owner_type,
            CASE WHEN g.owner_type = 'COMPANY' THEN (100001 + g.company_k)::text ELSE p.civil_id END AS owner_id,
            CASE WHEN g.owner_type = 'COMPANY' THEN (ARRAY['TRUCK', 'PRIVATE', 'TAXI'])[1 + g.t % 3]
                 WHEN g.t % 100 < 95 THEN 'PRIVATE' ELSE 'MOTORCYCLE' END AS plate_type,
            ((g.v * 1000003 + 1234567) % 9999999 + 1)::text AS plate_number,
            ($1::text[])[1 + g.m] AS make, ($2::text[])[1 + g.m] AS model, (2008 + ${h('g.v', 16)} % 19)::smallint AS year,
            ($3::text[])[1 + ${h('g.v', 17)} % $4] AS color,
            $5::timestamptz - make_interval(secs => (${WINDOW_SECONDS} + ${h('g.v', 18)} % (6 * 365 * 86400))::float8) AS registered_at,
            md5('bench-vehicle:' || g.v)::uuid AS id,
            md5('bench-vehicle-registered:' || g.v)::uuid AS event_id
       FROM (SELECT v, t, m, company_k, person_i,
                    CASE WHEN company_k IS NULL THEN 'PERSON' ELSE 'COMPANY' END AS owner_type
               FROM (SELECT v, ${h('v', 14)} AS t, ${h('v', 15)} % $9 AS m,
                            CASE WHEN v < $6 THEN 0
                                 WHEN $7::int > 1 AND ${h('v', 11)} % 100 < ${COMPANY_SHARE} THEN 1 + ${h('v', 12)} % ($7::int - 1) END AS company_k,
                            ${h('v', 13)} % $8 AS person_i
                       FROM generate_series(0::bigint, $10::bigint - 1) v OFFSET 0) a) g
       LEFT JOIN bench_person p ON g.company_k IS NULL AND p.i = g.person_i
      ORDER BY g.v`,
    [
      VEHICLES.map((v) => v[0]),
      VEHICLES.map((v) => v[1]),
      COLORS,
      COLORS.length,
      spec.anchor,
      spec.fleetPlates,
      spec.companies,
      spec.persons,
      VEHICLES.length,
      spec.vehicles,
    ],
  );
  await db.query(`ANALYZE bench_person`);
  await db.query(`ANALYZE bench_company`);
  await db.query(`ANALYZE bench_vehicle`);
}

/**
 * Fines j in [from, to): in the order they were issued (fine_number and occurred_at grow with j, so the
 * heap is in time order as a live table's is); plate uniform over the vehicles; violation code and
 * amount from violation_type; status by age (3 % cancelled; paid 80 % when older than 180 days, 30 %
 * otherwise; the rest unpaid); driver: on a person's plate 40 % the owner and 10 % another person, on a
 * company's plate 20 % a person. fine_number = YY of issue + 9-digit issue number j+1 (11 digits, the
 * service's own format: YY + lpad(nextval('fine_number_seq'), 9)); external_ref BENCH-<9 digits>.
 */
export function fineSelect(withDriver: boolean): string {
  return `SELECT to_char(g.issued_at AT TIME ZONE 'UTC', 'YY') || lpad((g.j + 1)::text, 9, '0') AS fine_number,
       'BENCH-' || lpad((g.j + 1)::text, 9, '0') AS external_ref,
       bv.plate_type, bv.plate_number,
       ($4::text[])[1 + g.code_i] AS violation_code, ($5::int[])[1 + g.code_i] AS amount_minor, 'KWD' AS currency,
       g.status, g.occurred_at,
       ($6::text[])[1 + g.loc_i] AS location_ar, ($7::text[])[1 + g.loc_i] AS location_en,
       ($8::float8[])[1 + g.loc_i] AS lat, ($9::float8[])[1 + g.loc_i] AS lng,
       ${
         withDriver
           ? `CASE WHEN bv.owner_type = 'PERSON' AND g.r2 < 40 THEN bv.owner_id
               WHEN (bv.owner_type = 'PERSON' AND g.r2 < 50) OR (bv.owner_type = 'COMPANY' AND g.r2 < 20) THEN dp.civil_id END`
           : 'NULL::text'
       } AS driver_civil_id,
       CASE WHEN g.src % 100 < 70 THEN 'CAMERA' ELSE 'OFFICER' END AS source_type,
       CASE WHEN g.src % 100 < 70 THEN 'CAM-' || lpad((1 + g.src_id % 600)::text, 4, '0') ELSE 'OFF-' || (1000 + g.src_id % 9000) END AS source_id,
       g.issued_at,
       CASE WHEN g.status = 'PAID' THEN least($2::timestamptz, g.occurred_at + make_interval(days => (1 + g.pay % 60)::int)) END AS paid_at,
       CASE WHEN g.status = 'PAID' THEN 'P' || (9000000000 + g.j) END AS payment_number,
       CASE WHEN g.status = 'CANCELLED' THEN least($2::timestamptz, g.occurred_at + interval '3 days') END AS cancelled_at,
       CASE WHEN g.status = 'CANCELLED' THEN 'Appeal accepted' END AS cancellation_reason,
       bv.owner_type, bv.owner_id
  FROM (SELECT *, CASE WHEN roll < 30 THEN 'CANCELLED'
                       WHEN roll < CASE WHEN occurred_at < $2::timestamptz - interval '180 days' THEN 800 ELSE 300 END THEN 'PAID'
                       ELSE 'UNPAID' END AS status,
               occurred_at + make_interval(secs => (issue_delay % 3600)::float8) AS issued_at
          FROM (SELECT j, ${h('j', 21)} % $3 AS v, ${h('j', 22)} % $10 AS code_i, ${h('j', 23)} % $11 AS loc_i, ${h('j', 24)} % 1000 AS roll,
                       ${h('j', 25)} % 100 AS r2, ${h('j', 26)} % $12 AS driver_i, ${h('j', 27)} AS issue_delay, ${h('j', 28)} AS src,
                       ${h('j', 29)} AS src_id, ${h('j', 30)} AS pay,
                       $2::timestamptz - make_interval(secs => ${WINDOW_SECONDS}::float8)
                         + make_interval(secs => ((j + (${h('j', 20)} % 1000) / 1000.0) * ${WINDOW_SECONDS - 3600} / $13)::float8) AS occurred_at
                  FROM generate_series($1::bigint, $14::bigint - 1) j OFFSET 0) a) g
  JOIN bench_vehicle bv ON bv.v = g.v
  ${withDriver ? 'JOIN bench_person dp ON dp.i = g.driver_i' : ''}`;
}

/** The parameters of fineSelect for fines [from, to). */
export function fineParams(spec: DataSpec, types: ViolationTypeRow[], from: number, to: number): unknown[] {
  return [
    from,
    spec.anchor,
    spec.vehicles,
    types.map((t) => t.code),
    types.map((t) => t.amount_minor),
    LOCATIONS.map((l) => l.ar),
    LOCATIONS.map((l) => l.en),
    LOCATIONS.map((l) => l.lat),
    LOCATIONS.map((l) => l.lng),
    types.length,
    LOCATIONS.length,
    spec.persons,
    spec.fines,
    to,
  ];
}

export const FINE_INSERT_COLUMNS = `fine_number, external_ref, plate_type, plate_number, violation_code, amount_minor, currency, status, occurred_at,
  location_ar, location_en, lat, lng, driver_civil_id, source_type, source_id, issued_at, paid_at, payment_number, cancelled_at, cancellation_reason, owner_type, owner_id`;

/** A structural fingerprint of tables' indexes and constraints: definitions, names, validity. */
export async function schemaFingerprint(db: Client, tables: string[]): Promise<string[]> {
  const { rows } = await db.query<{ line: string }>(
    `SELECT 'index ' || i.indexrelid::regclass || ': ' || pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END AS line
       FROM pg_index i WHERE i.indrelid = ANY($1::regclass[])
     UNION ALL
     SELECT 'constraint ' || c.conname || ' on ' || c.conrelid::regclass || ': ' || pg_get_constraintdef(c.oid)
            || CASE WHEN c.convalidated THEN '' ELSE ' NOT VALID' END || CASE WHEN c.condeferrable THEN ' DEFERRABLE' ELSE '' END
       FROM pg_constraint c WHERE c.conrelid = ANY($1::regclass[])
     ORDER BY 1`,
    [tables],
  );
  return rows.map((r) => r.line);
}

export interface SavedIndexes {
  /** ALTER TABLE ... ADD CONSTRAINT for primary keys and unique constraints, then CREATE INDEX, then foreign keys. */
  recreate: { label: string; sql: string }[];
  drop: string[];
}

/**
 * The primary keys, unique constraints, plain indexes and foreign keys of `tables` (and foreign keys of
 * other tables that point at them), as PostgreSQL itself prints them, to drop before a bulk load
 * and recreate after it under the same names.
 */
export async function saveIndexes(db: Client, tables: string[]): Promise<SavedIndexes> {
  const { rows: cons } = await db.query<{ tbl: string; name: string; def: string; type: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS def, c.contype::text AS type
       FROM pg_constraint c
      WHERE c.contype IN ('p', 'u', 'f') AND (c.conrelid = ANY($1::regclass[]) OR (c.contype = 'f' AND c.confrelid = ANY($1::regclass[])))
      ORDER BY c.conrelid::regclass::text, c.conname`,
    [tables],
  );
  const { rows: idx } = await db.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
      ORDER BY 1`,
    [tables],
  );
  const fks = cons.filter((c) => c.type === 'f');
  const keys = cons.filter((c) => c.type !== 'f');
  return {
    drop: [
      ...fks.map((c) => `ALTER TABLE ${c.tbl} DROP CONSTRAINT ${c.name}`),
      ...keys.map((c) => `ALTER TABLE ${c.tbl} DROP CONSTRAINT ${c.name}`),
      ...idx.map((i) => `DROP INDEX ${i.name}`),
    ],
    recreate: [
      ...keys.map((c) => ({ label: `${c.type === 'p' ? 'primary key' : 'unique'} ${c.name}`, sql: `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${c.name} ${c.def}` })),
      ...idx.map((i) => ({ label: `index ${i.name}`, sql: i.def })),
      ...fks.map((c) => ({ label: `foreign key ${c.name}`, sql: `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${c.name} ${c.def}` })),
    ],
  };
}

/** The two databases of the distributed run that the inquiry path needs, with a suffix: fines_registry_bench, fines_violations_bench. */
export function benchDatabases(suffix: string): { registry: string; violations: string; registryUrl: string; violationsUrl: string } {
  if (!/^[a-z0-9_]*$/.test(suffix)) throw new Error(`--suffix must be [a-z0-9_]*, got ${suffix}`);
  const registry = `fines_registry${suffix}`;
  const violations = `fines_violations${suffix}`;
  return { registry, violations, registryUrl: `${PG_BASE}/${registry}`, violationsUrl: `${PG_BASE}/${violations}` };
}
