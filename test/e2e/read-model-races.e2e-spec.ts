import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { VIOLATIONS_MIGRATIONS } from '../../apps/violations/src/violations.module';
import { PLATE_FINE_SUMMARY_DRIFT } from '../../apps/violations/src/migrations/1763800600000-inquiry-read-model';
import { FINE_OWNER_DRIFT } from '../../apps/violations/src/migrations/1763800700000-fines-by-owner';
import { ROOT, sleep } from './support/stack';

/**
 * The triggers that keep violations' read models (plate_fine_summary, and each fine's owner) on real
 * PostgreSQL, with two transactions interleaved the way PGlite's single connection never can: a fine
 * recorded while its plate changes owner, in both orders, and a transfer while a settlement holds the
 * plate's fines. Each ends with no drift, and nothing waits for a deadlock.
 */
const SUFFIX = '_races';
const URL = `${process.env.E2E_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432'}/fines_violations${SUFFIX}`;

describe('violations read models under concurrent writers (real PostgreSQL)', () => {
  let a: Client;
  let b: Client;
  let watcher: Client;
  let plateNo = 1000;

  beforeAll(async () => {
    execFileSync('bash', [join(ROOT, 'scripts/infra/db-create.sh'), '--drop-first'], {
      env: { ...process.env, DB_SUFFIX: SUFFIX, DB_NAMES: 'fines_violations' },
      stdio: 'pipe',
    });
    const migrated = new DataSource({ type: 'postgres', url: URL, migrations: VIOLATIONS_MIGRATIONS, migrationsRun: false });
    await migrated.initialize();
    await migrated.runMigrations({ transaction: 'each' });
    await migrated.destroy();
    [a, b, watcher] = [new Client({ connectionString: URL }), new Client({ connectionString: URL }), new Client({ connectionString: URL })];
    for (const c of [a, b, watcher]) {
      await c.connect();
      // A wait that would otherwise end only at a deadlock check fails the test instead.
      await c.query(`SET lock_timeout = '20s'`);
    }
  });

  afterAll(async () => {
    for (const c of [a, b, watcher]) await c?.end();
  });

  const drift = async (): Promise<{ plates: number; fines: number }> => ({
    plates: (await a.query<{ v: number }>(PLATE_FINE_SUMMARY_DRIFT)).rows[0].v,
    fines: (await a.query<{ v: number }>(FINE_OWNER_DRIFT)).rows[0].v,
  });

  const newPlate = () => String(++plateNo);
  const insertFine = (c: Client, plate: string, n: string) =>
    c.query(
      `INSERT INTO fine (fine_number, external_ref, plate_type, plate_number, violation_code, amount_minor, currency, status, occurred_at,
         location_ar, source_type, source_id, issued_at)
       SELECT $1::text, 'RACE-' || $1::text, 'TRUCK', $2::text, code, amount_minor, 'KWD', 'UNPAID', now(), 'الدائري الأول', 'CAMERA', 'CAM-1', now() FROM violation_type LIMIT 1`,
      [n, plate],
    );
  const own = (c: Client, plate: string, companyNo: string) =>
    c.query(
      `INSERT INTO plate_ownership (plate_type, plate_number, owner_type, owner_id, make, model, year, color, owned_since, last_event_id)
       VALUES ('TRUCK', $1, 'COMPANY', $2, 'Volvo', 'FH16', 2022, 'white', now(), gen_random_uuid())
       ON CONFLICT (plate_type, plate_number) DO UPDATE SET owner_id = EXCLUDED.owner_id, last_event_id = EXCLUDED.last_event_id`,
      [plate, companyNo],
    );
  const ownerOfFine = async (n: string) =>
    (await a.query<{ owner_id: string | null }>(`SELECT owner_id FROM fine WHERE fine_number = $1`, [n])).rows[0].owner_id;

  /** Resolves once `client`'s backend waits for a lock, so the interleaving is the one the test means (asked on a third connection). */
  const blocked = async (client: Client): Promise<void> => {
    const pid = (client as unknown as { processID: number }).processID;
    for (let i = 0; i < 200; i++) {
      const { rows } = await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [pid]);
      if (rows.length > 0) return;
      await sleep(25);
    }
    throw new Error(`backend ${pid} never waited for a lock`);
  };

  it('a fine recorded while its unknown plate is registered ends with the new owner', async () => {
    const plate = newPlate();
    await b.query('BEGIN');
    await insertFine(b, plate, `R-${plate}-1`); // no owner known yet; holds the plate's new summary row
    const registering = own(a, plate, '200001');
    await blocked(a);
    await b.query('COMMIT');
    await registering;
    expect(await ownerOfFine(`R-${plate}-1`)).toBe('200001');
    expect(await drift()).toEqual({ plates: 0, fines: 0 });
  });

  it('a fine recorded while its plate is being transferred ends with the new owner', async () => {
    const plate = newPlate();
    await own(a, plate, '200001');
    await insertFine(a, plate, `R-${plate}-1`);
    await b.query('BEGIN');
    await own(b, plate, '200002'); // the transfer holds the plate's fines and summary row
    const recording = insertFine(a, plate, `R-${plate}-2`); // read the old owner; waits for the summary row
    await blocked(a);
    await b.query('COMMIT');
    await recording;
    expect([await ownerOfFine(`R-${plate}-1`), await ownerOfFine(`R-${plate}-2`)]).toEqual(['200002', '200002']);
    expect(await drift()).toEqual({ plates: 0, fines: 0 });
  });

  it('a transfer while a settlement holds the plate’s fines waits for it, then moves them', async () => {
    const plate = newPlate();
    await own(a, plate, '200001');
    await insertFine(a, plate, `R-${plate}-1`);
    await insertFine(a, plate, `R-${plate}-2`);
    await b.query('BEGIN');
    await b.query(`UPDATE fine SET status = 'PAID', paid_at = now(), payment_number = 'P-RACE' WHERE plate_number = $1`, [plate]);
    const transferring = own(a, plate, '200002');
    await blocked(a);
    await b.query('COMMIT');
    await transferring;
    const { rows } = await a.query(
      `SELECT owner_id, status, split_part(csv_head, ',', 2) AS line_status FROM fine WHERE plate_number = $1 ORDER BY fine_number`,
      [plate],
    );
    expect(rows).toEqual([
      { owner_id: '200002', status: 'PAID', line_status: 'PAID' },
      { owner_id: '200002', status: 'PAID', line_status: 'PAID' },
    ]);
    expect(await drift()).toEqual({ plates: 0, fines: 0 });
  });
});
