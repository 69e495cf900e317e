/**
 * npm run bench:data [-- --persons N --vehicles N --fines N --companies N --fleet-plates N --suffix _bench --indexes rebuild|keep]
 *
 * Fills the PostgreSQL databases of the distributed run (fines_registry<suffix>, fines_violations<suffix>)
 * with a large, consistent data set for the inquiry benchmark (npm run bench:inquiry), as the events
 * would have left it:
 *   registry:   person, company, vehicle (one owner each), ownership_period (one open period per
 *               vehicle), outstanding_fine = exactly the UNPAID fines;
 *   violations: owner_name (every person and company), plate_ownership (the registry's owner of every
 *               plate, make/model/year/color, owned_since = registered_at, last_event_id), one
 *               plate_ownership_change per registration (same event id), fine (codes and amounts from
 *               violation_type, statuses UNPAID / PAID / CANCELLED, occurred over the two years before
 *               the anchor, some with a driver, each with its plate's owner and, on a company's plate, its CSV line), fine_number_seq moved past the generated numbers, and
 *               plate_fine_summary (per plate: its owner, its fines by status, what is unpaid or pending),
 *               and company_fine_totals (per company: the sums of its plates' rows), which the service's
 *               triggers keep: they are off during the load, and both are filled once afterwards by the
 *               migrations' own backfill queries and checked against the fines.
 * Civil IDs pass the check digit. One company, 100001, owns the first --fleet-plates plates (the fleet);
 * of the other vehicles 10 % belong to the other companies (100002...) and 90 % to persons.
 * Not generated: inbox/outbox rows, payments and notification data, ownership transfers (one owner
 * per plate for its whole life), PAYMENT_PENDING fines.
 *
 * HOW: generate_series INSIDE PostgreSQL instead of COPY. The brief asked for COPY ... FROM STDIN;
 * node-postgres cannot stream COPY without pg-copy-streams (not installed), and piping through psql
 * would still build every row in Node and push it through the socket. INSERT ... SELECT FROM
 * generate_series builds the rows where they are stored: no client transfer, no parsing of text
 * rows, one statement per table (per million fines), and it is at least as fast as COPY here. Every
 * value is a pure function of the row number (hashint8extended(n, stream)), the spec and the anchor
 * time, so each database computes its half on its own and both halves agree without any row
 * crossing between them (see lib/datagen.ts); the two databases load in parallel.
 *
 * STEPS: 1. scripts/infra/db-create.sh --drop-first (DB_SUFFIX, the two databases only);
 * 2. the schema comes from the services' own migrations: the built vehicle-registry and violations
 * (dist/apps/<service>/src/main.js) are started once (DB_DRIVER=postgres, EVENT_TRANSPORT=inprocess:
 * no Kafka; ports 3221/3222) until /health/ready answers 200, then stopped with SIGTERM;
 * 3. --indexes keep (default): the rows go into the tables with every key, index and foreign key in
 * place, as a live table's indexes grow (the brief's preference; 1M/2M/5M took ~4.5 min here).
 * --indexes rebuild: the data tables' primary keys, unique constraints, indexes and foreign keys are
 * saved as PostgreSQL prints them (pg_get_constraintdef / pg_get_indexdef), dropped, and recreated
 * under the same names after the load (~2x faster; the indexes come out packed, ~15 % smaller);
 * either way the structural fingerprint of the tables must come out identical or the run fails;
 * 4. the load; 5. VACUUM (ANALYZE) of the data tables (this server runs
 * with autovacuum off, and hint bits / the visibility map should not be set by the benchmark's first
 * readers); 6. consistency checks across the two databases; 7. a summary, sample IDs to query, and
 * JSON in bench-results/data-<timestamp>.json.
 *
 * Session settings for the load only: work_mem 512MB, maintenance_work_mem 1GB, temp_buffers 1GB,
 * synchronous_commit off, jit off. The server's own settings are not changed.
 */
import 'reflect-metadata'; // the CSV line builders import @app/contracts, whose payload classes carry class-validator decorators
import { Client } from 'pg';
import {
  DataSpec,
  FINE_INSERT_COLUMNS,
  FLEET_COMPANY_NO,
  SavedIndexes,
  ViolationTypeRow,
  benchDatabases,
  createTempTables,
  fineParams,
  fineSelect,
  prepareSession,
  saveIndexes,
  schemaFingerprint,
} from './lib/datagen';
import { PLATE_FINE_SUMMARY_DRIFT, PLATE_FINE_SUMMARY_FILL } from '../../apps/violations/src/migrations/1763800600000-inquiry-read-model';
import { FINE_OWNER_DRIFT } from '../../apps/violations/src/migrations/1763800700000-fines-by-owner';
import { COMPANY_FINE_TOTALS_DRIFT, COMPANY_FINE_TOTALS_FILL } from '../../apps/violations/src/migrations/1763800800000-company-fine-totals';
import { csvHeadSql, csvTailSql } from '../../apps/violations/src/inquiry/fine-csv';
import { gitState } from './lib/git';
import { writeBenchResult } from './lib/run';
import { ServiceProcess } from './lib/services';
import { fmtInt, table } from './lib/stats';
import { log, machineInfo, portOpen, recreateDatabases, round } from './lib/system';

interface Flags {
  persons: number;
  vehicles: number;
  fines: number;
  companies: number;
  fleetPlates: number;
  suffix: string;
  indexes: 'rebuild' | 'keep';
  chunk: number;
  anchor: string;
}

const USAGE = `npm run bench:data -- [--persons N] [--vehicles N] [--fines N] [--companies N] [--fleet-plates N] [--suffix S] [--indexes rebuild|keep] [--chunk N] [--anchor ISO]
  --persons N       persons in the registry (default 1,000,000; at most 18,480,000)
  --vehicles N      vehicles, one plate each (default 2,000,000; at most 9,999,999)
  --fines N         fines (default 5,000,000)
  --companies N     companies, the fleet 100001 included (default 2,000)
  --fleet-plates N  plates of company 100001 (default 10,000)
  --suffix S        database suffix (default _bench): fines_registry_bench, fines_violations_bench
  --indexes M       keep (default): load with the data tables' keys and indexes in place; rebuild: drop them, load, recreate them (about 2x faster at 5M fines)
  --chunk N         fines per INSERT statement (default 1,000,000)
  --anchor ISO      the instant every time is relative to (default: today 00:00 UTC)`;

const REGISTRY_TABLES = ['person', 'company', 'vehicle', 'ownership_period', 'outstanding_fine'];
const VIOLATIONS_TABLES = ['owner_name', 'plate_ownership', 'plate_ownership_change', 'fine', 'plate_fine_summary', 'company_fine_totals'];
const PORTS = { registry: 3221, violations: 3222 };

function parseFlags(argv: string[]): Flags {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const flags: Flags = {
    persons: 1_000_000,
    vehicles: 2_000_000,
    fines: 5_000_000,
    companies: 2_000,
    fleetPlates: 10_000,
    suffix: '_bench',
    indexes: 'keep',
    chunk: 1_000_000,
    anchor: today.toISOString(),
  };
  const numeric: Record<string, keyof Flags> = {
    '--persons': 'persons',
    '--vehicles': 'vehicles',
    '--fines': 'fines',
    '--companies': 'companies',
    '--fleet-plates': 'fleetPlates',
    '--chunk': 'chunk',
  };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    if (name === '--help' || name === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
    if (name === '--suffix') flags.suffix = raw;
    else if (name === '--indexes' && (raw === 'rebuild' || raw === 'keep')) flags.indexes = raw;
    else if (name === '--anchor' && !Number.isNaN(Date.parse(raw))) flags.anchor = new Date(raw).toISOString();
    else if (numeric[name]) {
      const value = Number(raw.replace(/[_,]/g, ''));
      if (!Number.isInteger(value) || value < 0) throw new Error(`bad value for ${name}: ${raw}\n${USAGE}`);
      (flags as unknown as Record<string, number>)[numeric[name]] = value;
    } else throw new Error(`bad argument ${argv[i]}\n${USAGE}`);
  }
  if (flags.persons < 1 || flags.persons > 18_480_000) throw new Error('--persons must be 1..18,480,000');
  if (flags.vehicles < 1 || flags.vehicles > 9_999_999) throw new Error('--vehicles must be 1..9,999,999');
  if (flags.fleetPlates > flags.vehicles) throw new Error('--fleet-plates cannot exceed --vehicles');
  if (flags.companies < 1) throw new Error('--companies must be 1 or more (100001 is the fleet)');
  if (flags.fines > 999_999_999) throw new Error('--fines must be below 1e9 (9-digit issue numbers)');
  if (flags.chunk < 1) throw new Error('--chunk must be 1 or more');
  return flags;
}

interface Step {
  db: 'registry' | 'violations';
  step: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
}

async function timed(steps: Step[], db: Step['db'], step: string, run: () => Promise<number>): Promise<number> {
  const t0 = performance.now();
  const rows = await run();
  const seconds = (performance.now() - t0) / 1000;
  steps.push({ db, step, rows, seconds: round(seconds, 2), rowsPerSec: rows > 0 ? Math.round(rows / seconds) : 0 });
  log(`${db}: ${step}: ${fmtInt(rows)} rows in ${seconds.toFixed(1)} s`);
  return rows;
}

async function exec(db: Client, sql: string, params: unknown[] = []): Promise<number> {
  return (await db.query(sql, params)).rowCount ?? 0;
}

/** The registry's half: persons, companies, vehicles, ownership periods, outstanding fines. */
async function loadRegistry(db: Client, spec: DataSpec, types: ViolationTypeRow[], chunk: number, steps: Step[]): Promise<void> {
  await timed(steps, 'registry', 'temp tables (bench_person, bench_company, bench_vehicle)', async () => {
    await createTempTables(db, spec);
    return 0;
  });
  await timed(steps, 'registry', 'person', () =>
    exec(
      db,
      `INSERT INTO person (civil_id, name_ar, name_en, mobile, email, language, created_at, updated_at)
       SELECT civil_id, name_ar, name_en, mobile, email, language, created_at, created_at FROM bench_person ORDER BY i`,
    ),
  );
  await timed(steps, 'registry', 'company', () =>
    exec(
      db,
      `INSERT INTO company (company_no, name_ar, name_en, mobile, email, language, created_at, updated_at)
       SELECT company_no, name_ar, name_en, mobile, email, language, created_at, created_at FROM bench_company ORDER BY k`,
    ),
  );
  await timed(steps, 'registry', 'vehicle', () =>
    exec(
      db,
      `INSERT INTO vehicle (id, plate_type, plate_number, owner_type, owner_id, make, model, year, color, registered_at, updated_at)
       SELECT id, plate_type, plate_number, owner_type, owner_id, make, model, year, color, registered_at, registered_at FROM bench_vehicle ORDER BY v`,
    ),
  );
  await timed(steps, 'registry', 'ownership_period', () =>
    exec(
      db,
      `INSERT INTO ownership_period (vehicle_id, owner_type, owner_id, started_at)
       SELECT id, owner_type, owner_id, registered_at FROM bench_vehicle ORDER BY v`,
    ),
  );
  await timed(steps, 'registry', 'outstanding_fine (the UNPAID fines)', async () => {
    let rows = 0;
    for (let from = 0; from < spec.fines; from += chunk) {
      rows += await exec(
        db,
        `INSERT INTO outstanding_fine (fine_number, plate_type, plate_number, amount_minor, currency)
         SELECT fine_number, plate_type, plate_number, amount_minor, currency FROM (${fineSelect(false)}) f WHERE status = 'UNPAID' ORDER BY fine_number`,
        fineParams(spec, types, from, Math.min(spec.fines, from + chunk)),
      );
    }
    return rows;
  });
}

/** The violations tables whose triggers keep the read models (plate_fine_summary, fines' owners and lines, company_fine_delta). */
const TRIGGERED_TABLES = ['fine', 'plate_ownership', 'plate_fine_summary'];

/** Violations' half: owner names, the plate ownership read model and its history, the fines, the per-plate fine summary, the companies' totals. */
async function loadViolations(db: Client, spec: DataSpec, types: ViolationTypeRow[], chunk: number, steps: Step[]): Promise<void> {
  // The read models' triggers (the only user triggers) would add each million-fine statement to them plate by plate:
  // off for the load, and the summary and the companies' totals filled once from the loaded tables, by the migrations' own backfills.
  for (const table of TRIGGERED_TABLES) await db.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  await timed(steps, 'violations', 'temp tables (bench_person, bench_company, bench_vehicle)', async () => {
    await createTempTables(db, spec);
    return 0;
  });
  await timed(steps, 'violations', 'owner_name', () =>
    exec(
      db,
      `INSERT INTO owner_name (owner_type, owner_id, name_ar, name_en)
       SELECT 'PERSON', civil_id, name_ar, name_en FROM (SELECT * FROM bench_person ORDER BY i) p
       UNION ALL SELECT 'COMPANY', company_no, name_ar, name_en FROM (SELECT * FROM bench_company ORDER BY k) c`,
    ),
  );
  await timed(steps, 'violations', 'plate_ownership', () =>
    exec(
      db,
      `INSERT INTO plate_ownership (plate_type, plate_number, owner_type, owner_id, make, model, year, color, owned_since, last_event_id)
       SELECT plate_type, plate_number, owner_type, owner_id, make, model, year, color, registered_at, event_id FROM bench_vehicle ORDER BY v`,
    ),
  );
  await timed(steps, 'violations', 'plate_ownership_change', () =>
    exec(
      db,
      `INSERT INTO plate_ownership_change (event_id, plate_type, plate_number, owner_type, owner_id, effective_at)
       SELECT event_id, plate_type, plate_number, owner_type, owner_id, registered_at FROM bench_vehicle ORDER BY v`,
    ),
  );
  await timed(steps, 'violations', 'fine', async () => {
    let rows = 0;
    for (let from = 0; from < spec.fines; from += chunk) {
      const to = Math.min(spec.fines, from + chunk);
      rows += await exec(
        db,
        // The service's triggers are off: the lines of company fines are written here, by the trigger's own expressions.
        `INSERT INTO fine (${FINE_INSERT_COLUMNS}, csv_head, csv_tail)
         SELECT ${FINE_INSERT_COLUMNS}, CASE WHEN f.owner_type = 'COMPANY' THEN ${csvHeadSql('f')} END, CASE WHEN f.owner_type = 'COMPANY' THEN ${csvTailSql('f')} END
           FROM (${fineSelect(true)}) f ORDER BY fine_number`,
        fineParams(spec, types, from, to),
      );
      if (to < spec.fines) log(`violations: fine: ${fmtInt(to)} / ${fmtInt(spec.fines)}`);
    }
    // The service numbers the next fine YY + lpad(nextval, 9): past every generated number whatever the year.
    await db.query(`SELECT setval('fine_number_seq', $1::bigint)`, [Math.max(1, spec.fines)]);
    return rows;
  });
  await timed(steps, 'violations', 'plate_fine_summary', () => exec(db, PLATE_FINE_SUMMARY_FILL));
  await timed(steps, 'violations', 'company_fine_totals', () => exec(db, COMPANY_FINE_TOTALS_FILL));
  for (const table of TRIGGERED_TABLES) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
}

async function rebuild(db: Client, name: Step['db'], saved: SavedIndexes, steps: Step[]): Promise<void> {
  for (const { label, sql } of saved.recreate) await timed(steps, name, label, () => exec(db, sql));
}

/**
 * VACUUM (ANALYZE) each data table, so the benchmark's readers find hint bits set and index-only scans
 * find pages all-visible. With synchronous_commit off, a commit's clog group keeps an unflushed LSN
 * for a while, VACUUM may not set hint bits then, and pages stay not all-visible: the vacuum runs with
 * synchronous commits (after one flushing commit), is checked, and is repeated while a table lags.
 */
async function vacuumAnalyze(db: Client, name: Step['db'], tables: string[], steps: Step[]): Promise<Record<string, string>> {
  await db.query(`SET synchronous_commit = on`);
  await db.query(`SELECT txid_current()`); // a synchronous commit: flushes the WAL of every earlier asynchronous one
  const visible: Record<string, string> = {};
  for (const t of tables) {
    for (let attempt = 1; ; attempt++) {
      await timed(steps, name, `VACUUM (ANALYZE) ${t}${attempt > 1 ? ` (again, ${attempt})` : ''}`, () => exec(db, `VACUUM (ANALYZE) ${t}`));
      const { rows } = await db.query<{ pages: number; visible: number }>(
        `SELECT relpages AS pages, relallvisible AS visible FROM pg_class WHERE oid = $1::regclass`,
        [t],
      );
      visible[t] = `${rows[0].visible}/${rows[0].pages}`;
      if (rows[0].visible >= rows[0].pages * 0.99 || attempt === 3) break;
    }
  }
  return visible;
}

interface Check {
  name: string;
  registry: string;
  violations: string;
  ok: boolean;
}

async function one(db: Client, sql: string, params: unknown[] = []): Promise<string> {
  const { rows } = await db.query<{ v: string }>(sql, params);
  return String(rows[0]?.v);
}

/** The two databases agree as the events would have made them. */
async function consistencyChecks(reg: Client, vio: Client, spec: DataSpec): Promise<Check[]> {
  const pair = async (name: string, regSql: string, vioSql: string): Promise<Check> => {
    const [r, v] = await Promise.all([one(reg, regSql), one(vio, vioSql)]);
    return { name, registry: r, violations: v, ok: r === v };
  };
  const solo = async (name: string, db: 'registry' | 'violations', sql: string, expected: string): Promise<Check> => {
    const value = await one(db === 'registry' ? reg : vio, sql);
    return {
      name,
      registry: db === 'registry' ? value : `expected ${expected}`,
      violations: db === 'violations' ? value : `expected ${expected}`,
      ok: value === expected,
    };
  };
  const plateHash = (t: string) =>
    `SELECT count(*) || ' rows, hash ' || coalesce(sum(hashtext(plate_type || ':' || plate_number || ':' || owner_type || ':' || owner_id)::bigint), 0) AS v FROM ${t}`;
  const checkDigit = (col: string) =>
    `(11 - (2 * substr(${col}, 1, 1)::int + substr(${col}, 2, 1)::int + 6 * substr(${col}, 3, 1)::int + 3 * substr(${col}, 4, 1)::int
       + 7 * substr(${col}, 5, 1)::int + 9 * substr(${col}, 6, 1)::int + 10 * substr(${col}, 7, 1)::int + 5 * substr(${col}, 8, 1)::int
       + 8 * substr(${col}, 9, 1)::int + 4 * substr(${col}, 10, 1)::int + 2 * substr(${col}, 11, 1)::int) % 11)`;
  // One query at a time per connection: the pairs run on both databases at once, the rest in turn.
  const checks = await sequence([
    () => pair('vehicles = plate_ownership (plate, owner)', plateHash('vehicle'), plateHash('plate_ownership')),
    () =>
      pair(
        'ownership_period = plate_ownership_change (plate, owner, since)',
        `SELECT count(*) || ' rows, hash ' || coalesce(sum(hashtext(v.plate_type || ':' || v.plate_number || ':' || op.owner_type || ':' || op.owner_id || ':' || op.started_at::text)::bigint), 0) AS v
         FROM ownership_period op JOIN vehicle v ON v.id = op.vehicle_id`,
        `SELECT count(*) || ' rows, hash ' || coalesce(sum(hashtext(plate_type || ':' || plate_number || ':' || owner_type || ':' || owner_id || ':' || effective_at::text)::bigint), 0) AS v
         FROM plate_ownership_change`,
      ),
    () =>
      pair(
        'persons and companies = owner_name',
        `SELECT count(*) || ' rows, hash ' || sum(hashtext(t || ':' || id || ':' || name_ar)::bigint) AS v FROM (SELECT 'PERSON' t, civil_id id, name_ar FROM person UNION ALL SELECT 'COMPANY', company_no, name_ar FROM company) o`,
        `SELECT count(*) || ' rows, hash ' || sum(hashtext(owner_type || ':' || owner_id || ':' || name_ar)::bigint) AS v FROM owner_name`,
      ),
    () =>
      pair(
        'outstanding_fine = UNPAID fines (number, plate, amount)',
        `SELECT count(*) || ' rows, ' || coalesce(sum(amount_minor), 0) || ' fils, hash ' || coalesce(sum(hashtext(fine_number || ':' || plate_type || ':' || plate_number || ':' || amount_minor)::bigint), 0) AS v FROM outstanding_fine`,
        `SELECT count(*) || ' rows, ' || coalesce(sum(amount_minor), 0) || ' fils, hash ' || coalesce(sum(hashtext(fine_number || ':' || plate_type || ':' || plate_number || ':' || amount_minor)::bigint), 0) AS v FROM fine WHERE status = 'UNPAID'`,
      ),
    () =>
      solo(
        'civil IDs failing the check digit (person)',
        'registry',
        `SELECT count(*) AS v FROM person WHERE civil_id !~ '^\\d{12}$' OR ${checkDigit('civil_id')} >= 10 OR ${checkDigit('civil_id')} <> substr(civil_id, 12, 1)::int`,
        '0',
      ),
    () => solo('persons', 'registry', `SELECT count(*) AS v FROM person`, String(spec.persons)),
    () =>
      solo(
        `plates of company ${FLEET_COMPANY_NO}`,
        'violations',
        `SELECT count(*) AS v FROM plate_ownership WHERE owner_type = 'COMPANY' AND owner_id = '${FLEET_COMPANY_NO}'`,
        String(spec.fleetPlates),
      ),
    () => solo('fines', 'violations', `SELECT count(*) AS v FROM fine`, String(spec.fines)),
    () =>
      solo(
        'fines whose amount differs from violation_type',
        'violations',
        `SELECT count(*) AS v FROM fine f JOIN violation_type vt ON vt.code = f.violation_code WHERE f.amount_minor <> vt.amount_minor`,
        '0',
      ),
    () =>
      solo(
        'fines on a plate nobody owns',
        'violations',
        `SELECT count(*) AS v FROM fine f WHERE NOT EXISTS (SELECT 1 FROM plate_ownership p WHERE p.plate_type = f.plate_type AND p.plate_number = f.plate_number)`,
        '0',
      ),
    () =>
      solo(
        'drivers who are not registered persons',
        'violations',
        `SELECT count(*) AS v FROM fine f WHERE f.driver_civil_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM owner_name o WHERE o.owner_type = 'PERSON' AND o.owner_id = f.driver_civil_id)`,
        '0',
      ),
    () => solo('fine numbers that are not 11 digits', 'violations', `SELECT count(*) AS v FROM fine WHERE fine_number !~ '^\\d{11}$'`, '0'),
    () => solo('plate_fine_summary rows that differ from the fines and plate_ownership', 'violations', PLATE_FINE_SUMMARY_DRIFT, '0'),
    () => solo('fines whose owner is not their plate’s in plate_ownership', 'violations', FINE_OWNER_DRIFT, '0'),
    () => solo('companies whose totals differ from their plates in plate_fine_summary', 'violations', COMPANY_FINE_TOTALS_DRIFT, '0'),
    () =>
      solo(
        'company fines without their CSV line, or other fines with one',
        'violations',
        `SELECT count(*) AS v FROM fine WHERE (owner_type = 'COMPANY') IS DISTINCT FROM (csv_head IS NOT NULL AND csv_tail IS NOT NULL)`,
        '0',
      ),
  ]);
  return checks;
}

async function sequence<T>(thunks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const t of thunks) out.push(await t());
  return out;
}

interface Samples {
  companyNo: string;
  fleetPlates: number;
  fleetFines: { all: number; unpaid: number };
  civilIdsWithFines: { civilId: string; plate: string; unpaidOnPlate: number }[];
  drivers: string[];
  statusMix: Record<string, number>;
  finesWithDriver: number;
}

async function samples(vio: Client): Promise<Samples> {
  const owners = await vio.query<{ owner_id: string; plate_type: string; plate_number: string }>(
    `SELECT p.owner_id, p.plate_type, p.plate_number FROM fine f
       JOIN plate_ownership p ON p.plate_type = f.plate_type AND p.plate_number = f.plate_number
      WHERE p.owner_type = 'PERSON' AND f.status = 'UNPAID' ORDER BY f.fine_number DESC LIMIT 3`,
  );
  const civilIdsWithFines = [];
  for (const o of owners.rows) {
    const n = await one(vio, `SELECT count(*) AS v FROM fine WHERE plate_type = $1 AND plate_number = $2 AND status = 'UNPAID'`, [
      o.plate_type,
      o.plate_number,
    ]);
    civilIdsWithFines.push({ civilId: o.owner_id, plate: `${o.plate_type}/${o.plate_number}`, unpaidOnPlate: Number(n) });
  }
  const drivers = await vio.query<{ d: string }>(`SELECT driver_civil_id AS d FROM fine WHERE driver_civil_id IS NOT NULL ORDER BY fine_number DESC LIMIT 2`);
  const fleet = await vio.query<{ all: number; unpaid: number }>(
    `SELECT count(*)::int AS all, (count(*) FILTER (WHERE f.status IN ('UNPAID', 'PAYMENT_PENDING')))::int AS unpaid FROM fine f
       JOIN plate_ownership p ON p.plate_type = f.plate_type AND p.plate_number = f.plate_number WHERE p.owner_type = 'COMPANY' AND p.owner_id = $1`,
    [FLEET_COMPANY_NO],
  );
  const mix = await vio.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM fine GROUP BY status ORDER BY status`);
  return {
    companyNo: FLEET_COMPANY_NO,
    fleetPlates: Number(await one(vio, `SELECT count(*) AS v FROM plate_ownership WHERE owner_type = 'COMPANY' AND owner_id = $1`, [FLEET_COMPANY_NO])),
    fleetFines: fleet.rows[0],
    civilIdsWithFines,
    drivers: drivers.rows.map((r) => r.d),
    statusMix: Object.fromEntries(mix.rows.map((r) => [r.status, r.n])),
    finesWithDriver: Number(await one(vio, `SELECT count(*) AS v FROM fine WHERE driver_civil_id IS NOT NULL`)),
  };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const spec: DataSpec = {
    persons: flags.persons,
    vehicles: flags.vehicles,
    fines: flags.fines,
    companies: flags.companies,
    fleetPlates: flags.fleetPlates,
    anchor: flags.anchor,
  };
  const dbs = benchDatabases(flags.suffix);
  const startedAt = new Date();
  const t0 = performance.now();
  const steps: Step[] = [];
  for (const port of Object.values(PORTS)) if (await portOpen('127.0.0.1', port)) throw new Error(`port ${port} is in use`);

  // ------------------------------------------------------------------ databases and schema (the services' own migrations)
  log(`recreating ${dbs.registry} and ${dbs.violations}`);
  recreateDatabases(flags.suffix, ['fines_registry', 'fines_violations']);
  const serviceEnv = {
    NODE_ENV: 'production',
    AUTH_JWT_SECRET: 'bench-data-migrations-only-secret-0123456789',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DB_DRIVER: 'postgres',
    EVENT_TRANSPORT: 'inprocess',
    DEMO_DATA: 'false',
    SHUTDOWN_GRACE_MS: '5000',
  };
  const services = [
    new ServiceProcess('vehicle-registry', PORTS.registry, serviceEnv, { databaseUrl: dbs.registryUrl }),
    new ServiceProcess('violations', PORTS.violations, serviceEnv, { databaseUrl: dbs.violationsUrl }),
  ];
  const tSchema = performance.now();
  try {
    for (const s of services) s.start();
    await Promise.all(services.map((s) => s.ready()));
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
  const schemaSeconds = (performance.now() - tSchema) / 1000;
  log(`schema migrated by the services in ${schemaSeconds.toFixed(1)} s`);

  const reg = new Client({ connectionString: dbs.registryUrl, application_name: 'bench:data' });
  const vio = new Client({ connectionString: dbs.violationsUrl, application_name: 'bench:data' });
  await Promise.all([reg.connect(), vio.connect()]);
  try {
    await Promise.all([prepareSession(reg), prepareSession(vio)]);
    const types = (await vio.query<ViolationTypeRow>(`SELECT code, amount_minor FROM violation_type WHERE active ORDER BY code`)).rows;
    if (types.length === 0) throw new Error('violation_type is empty: the violations migration did not run');
    const before = { registry: await schemaFingerprint(reg, REGISTRY_TABLES), violations: await schemaFingerprint(vio, VIOLATIONS_TABLES) };

    let saved: { registry: SavedIndexes; violations: SavedIndexes } | undefined;
    if (flags.indexes === 'rebuild') {
      saved = { registry: await saveIndexes(reg, REGISTRY_TABLES), violations: await saveIndexes(vio, VIOLATIONS_TABLES) };
      for (const sql of saved.registry.drop) await reg.query(sql);
      for (const sql of saved.violations.drop) await vio.query(sql);
      log(`dropped ${saved.registry.drop.length + saved.violations.drop.length} keys, indexes and foreign keys of the data tables for the load`);
    }

    // ------------------------------------------------------------------ load: the two databases in parallel
    const tLoad = performance.now();
    await Promise.all([loadRegistry(reg, spec, types, flags.chunk, steps), loadViolations(vio, spec, types, flags.chunk, steps)]);
    const loadSeconds = (performance.now() - tLoad) / 1000;
    // The session's temporary tables live in the database's directory until dropped: gone before the sizes are taken.
    await Promise.all([reg.query(`DROP TABLE bench_person, bench_company, bench_vehicle`), vio.query(`DROP TABLE bench_person, bench_company, bench_vehicle`)]);

    const tIndex = performance.now();
    if (saved) {
      await Promise.all([rebuild(reg, 'registry', saved.registry, steps), rebuild(vio, 'violations', saved.violations, steps)]);
    }
    const indexSeconds = (performance.now() - tIndex) / 1000;

    const tVacuum = performance.now();
    const [regVisible, vioVisible] = await Promise.all([
      vacuumAnalyze(reg, 'registry', REGISTRY_TABLES, steps),
      vacuumAnalyze(vio, 'violations', VIOLATIONS_TABLES, steps),
    ]);
    const allVisiblePages = { ...regVisible, ...vioVisible };
    log(`all-visible pages after VACUUM: ${JSON.stringify(allVisiblePages)}`);
    const vacuumSeconds = (performance.now() - tVacuum) / 1000;

    const after = { registry: await schemaFingerprint(reg, REGISTRY_TABLES), violations: await schemaFingerprint(vio, VIOLATIONS_TABLES) };
    const schemaIdentical = JSON.stringify(before) === JSON.stringify(after);
    if (!schemaIdentical) {
      log(`SCHEMA DIFFERS after the load:\nbefore ${JSON.stringify(before, null, 1)}\nafter ${JSON.stringify(after, null, 1)}`);
      process.exitCode = 1;
    }

    const tCheck = performance.now();
    const checks = await consistencyChecks(reg, vio, spec);
    const checkSeconds = (performance.now() - tCheck) / 1000;
    if (checks.some((c) => !c.ok)) process.exitCode = 1;
    const sample = await samples(vio);

    const rowCounts: Record<string, number> = {};
    for (const [db, tables] of [
      [reg, REGISTRY_TABLES],
      [vio, VIOLATIONS_TABLES],
    ] as const) {
      for (const t of tables) rowCounts[t] = Number(await one(db, `SELECT count(*) AS v FROM ${t}`));
    }
    const sizes = {
      registry: await one(reg, `SELECT pg_size_pretty(pg_database_size(current_database())) AS v`),
      violations: await one(vio, `SELECT pg_size_pretty(pg_database_size(current_database())) AS v`),
      fineTable: await one(vio, `SELECT pg_size_pretty(pg_table_size('fine')) AS v`),
      fineIndexes: await one(vio, `SELECT pg_size_pretty(pg_indexes_size('fine')) AS v`),
    };
    const totalRows = Object.values(rowCounts).reduce((a, b) => a + b, 0);
    const dataSeconds = loadSeconds + indexSeconds + vacuumSeconds;
    const totalSeconds = (performance.now() - t0) / 1000;
    const result = {
      benchmark: 'data',
      startedAt: startedAt.toISOString(),
      machine: machineInfo(),
      git: gitState(),
      flags,
      databases: { registry: dbs.registry, violations: dbs.violations },
      rows: rowCounts,
      totalRows,
      seconds: {
        schema: round(schemaSeconds, 1),
        load: round(loadSeconds, 1),
        indexes: round(indexSeconds, 1),
        vacuumAnalyze: round(vacuumSeconds, 1),
        loadIndexesVacuum: round(dataSeconds, 1),
        checks: round(checkSeconds, 1),
        total: round(totalSeconds, 1),
      },
      rowsPerSec: { load: Math.round(totalRows / loadSeconds), loadIndexesVacuum: Math.round(totalRows / dataSeconds), finesLoad: fineRate(steps) },
      steps,
      schemaIdentical,
      allVisiblePages,
      checks,
      sizes,
      samples: sample,
    };
    const file = writeBenchResult('data', startedAt, result);
    process.stdout.write(render(result));
    process.stdout.write(`\nJSON: ${file}\n`);
  } finally {
    await Promise.all([reg.end(), vio.end()]);
  }
}

function fineRate(steps: Step[]): number {
  return steps.find((s) => s.db === 'violations' && s.step === 'fine')?.rowsPerSec ?? 0;
}

function render(r: {
  flags: Flags;
  databases: { registry: string; violations: string };
  rows: Record<string, number>;
  totalRows: number;
  seconds: Record<string, number>;
  rowsPerSec: Record<string, number>;
  steps: Step[];
  schemaIdentical: boolean;
  allVisiblePages: Record<string, string>;
  checks: Check[];
  sizes: Record<string, string>;
  samples: Samples;
}): string {
  const f = r.flags;
  const out: string[] = [''];
  out.push(
    `Bench data: ${fmtInt(f.persons)} persons, ${fmtInt(f.companies)} companies, ${fmtInt(f.vehicles)} vehicles (${fmtInt(f.fleetPlates)} of company ${FLEET_COMPANY_NO}), ` +
      `${fmtInt(f.fines)} fines into ${r.databases.registry} + ${r.databases.violations} (indexes: ${f.indexes}, anchor ${f.anchor})`,
  );
  out.push('');
  out.push(
    table([
      ['database', 'step', 'rows', 'seconds', 'rows/s'],
      ...[...r.steps.filter((s) => s.db === 'registry'), ...r.steps.filter((s) => s.db === 'violations')].map((s) => [
        s.db,
        s.step,
        s.rows ? fmtInt(s.rows) : '',
        s.seconds.toFixed(1),
        s.rowsPerSec ? fmtInt(s.rowsPerSec) : '',
      ]),
    ]),
  );
  out.push('');
  out.push(
    `Rows: ${Object.entries(r.rows)
      .map(([t, n]) => `${t} ${fmtInt(n)}`)
      .join(', ')}; ${fmtInt(r.totalRows)} in all.`,
  );
  out.push(
    `Time: schema (services' migrations) ${r.seconds.schema} s; load ${r.seconds.load} s (${fmtInt(r.rowsPerSec.load)} rows/s; fines ${fmtInt(r.rowsPerSec.finesLoad)}/s); ` +
      `indexes ${r.seconds.indexes} s; VACUUM ANALYZE ${r.seconds.vacuumAnalyze} s; load+indexes+vacuum ${r.seconds.loadIndexesVacuum} s = ${fmtInt(r.rowsPerSec.loadIndexesVacuum)} rows/s; ` +
      `checks ${r.seconds.checks} s; total ${r.seconds.total} s.`,
  );
  out.push(`Sizes: registry ${r.sizes.registry}, violations ${r.sizes.violations} (fine ${r.sizes.fineTable} + indexes ${r.sizes.fineIndexes}).`);
  out.push(`Schema of the data tables identical before and after the load: ${r.schemaIdentical ? 'yes' : 'NO'}`);
  out.push(
    `All-visible pages after VACUUM: ${Object.entries(r.allVisiblePages)
      .map(([t, v]) => `${t} ${v}`)
      .join(', ')}`,
  );
  out.push('');
  out.push(table([['check', 'registry', 'violations', ''], ...r.checks.map((c) => [c.name, c.registry, c.violations, c.ok ? 'ok' : 'FAILED'])]));
  out.push('');
  const s = r.samples;
  out.push(
    `Status mix: ${Object.entries(s.statusMix)
      .map(([k, v]) => `${k} ${fmtInt(v)}`)
      .join(', ')}; ${fmtInt(s.finesWithDriver)} fines with a driver.`,
  );
  out.push(`Fleet: company ${s.companyNo}, ${fmtInt(s.fleetPlates)} plates, ${fmtInt(s.fleetFines.all)} fines (${fmtInt(s.fleetFines.unpaid)} unpaid).`);
  out.push('Sample IDs to query:');
  for (const c of s.civilIdsWithFines)
    out.push(`  civil ID ${c.civilId} owns ${c.plate} (${c.unpaidOnPlate} unpaid on it): GET /v1/inquiry/civil-id/${c.civilId}, /v1/inquiry/plate/${c.plate}`);
  for (const d of s.drivers) out.push(`  driver ${d}: GET /v1/inquiry/civil-id/${d}`);
  out.push(`  company: GET /v1/inquiry/company/${s.companyNo}?page=1&pageSize=50 (npm run token -- --role fleet --company-no ${s.companyNo})`);
  return `${out.join('\n')}\n`;
}

main().catch((error: unknown) => {
  log(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
