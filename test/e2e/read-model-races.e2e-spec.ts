import 'reflect-metadata';
import { Client } from 'pg';
import { PLATE_FINE_SUMMARY_DRIFT } from '../../apps/violations/src/migrations/1763800600000-inquiry-read-model';
import { FINE_OWNER_DRIFT } from '../../apps/violations/src/migrations/1763800700000-fines-by-owner';
import { COMPANY_FINE_TOTALS_DRIFT } from '../../apps/violations/src/migrations/1763800800000-company-fine-totals';
import { COMPANY_FINE_TOTALS_FOLD } from '../../apps/violations/src/inquiry/company-totals';
import { fineRows } from '../../apps/violations/src/settlement/fine-settlement.service';
import { sleep } from './support/stack';
import { migratedViolationsDatabase } from './support/violations-db';

/**
 * The triggers that keep violations' read models (plate_fine_summary, and each fine's owner) on real
 * PostgreSQL, with two transactions interleaved the way PGlite's single connection never can: a fine
 * recorded while its plate changes owner, in both orders, a transfer while a settlement holds the
 * plate's fines, a transfer of two plates while a settlement of their fines waits behind it, fines on
 * one company's plates and folds of its totals at once. Each ends with no drift, and nothing waits for a deadlock (lock_timeout fails a test that would).
 */
describe('violations read models under concurrent writers (real PostgreSQL)', () => {
  let URL: string;
  let a: Client;
  let b: Client;
  let watcher: Client;
  let plateNo = 1000;

  beforeAll(async () => {
    const migrated = await migratedViolationsDatabase('_races');
    await migrated.dataSource.destroy();
    URL = migrated.url;
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

  const drift = async (): Promise<{ plates: number; fines: number; companies: number }> => ({
    plates: (await a.query<{ v: number }>(PLATE_FINE_SUMMARY_DRIFT)).rows[0].v,
    fines: (await a.query<{ v: number }>(FINE_OWNER_DRIFT)).rows[0].v,
    companies: (await a.query<{ v: number }>(COMPANY_FINE_TOTALS_DRIFT)).rows[0].v,
  });
  const NO_DRIFT = { plates: 0, fines: 0, companies: 0 };

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
    expect(await drift()).toEqual(NO_DRIFT);
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
    expect(await drift()).toEqual(NO_DRIFT);
  });

  it('a transfer of two plates and a settlement of their fines in another order lock them in one order, and neither deadlocks', async () => {
    const [first, second] = [newPlate(), newPlate()];
    for (const plate of [first, second]) await own(a, plate, '200001');
    const [a1, a2, b1] = [`R-${first}-1`, `R-${first}-2`, `R-${second}-1`];
    await insertFine(a, first, a1);
    await insertFine(a, first, a2);
    await insertFine(a, second, b1);
    const holder = new Client({ connectionString: URL });
    await holder.connect();
    const settler = new Client({ connectionString: URL });
    await settler.connect();
    try {
      // The transfer is held up halfway through the fines it moves...
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM fine WHERE fine_number = $1 FOR NO KEY UPDATE`, [a2]);
      await b.query('BEGIN');
      const transferring = b.query(
        `UPDATE plate_ownership SET owner_id = '200002', last_event_id = gen_random_uuid() WHERE plate_type = 'TRUCK' AND plate_number = ANY($1)`,
        [[first, second]],
      );
      await blocked(b);
      // ...when a payment that names the second plate's fine first is settled, as violations settles a run of payments.
      const payment = { paymentNumber: 'P-RACE-2', items: [{ fineNumber: b1 }, { fineNumber: a1 }] };
      const rows = fineRows([{ traceId: 't', payload: payment } as never], true);
      // The plan of a large fine table: a nested loop over the arrays, by primary key (this small one would be scanned instead).
      await settler.query('SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off');
      await settler.query('BEGIN');
      const settling = settler.query(
        `UPDATE fine f SET status = 'PAID', paid_at = now(), payment_number = v.payment_number
           FROM unnest($1::text[], $2::text[]) AS v(fine_number, payment_number) WHERE f.fine_number = v.fine_number`,
        [rows.map((r) => r.fineNumber), rows.map(() => payment.paymentNumber)],
      );
      await blocked(settler);
      await holder.query('COMMIT');
      await transferring;
      await b.query('COMMIT');
      await settling;
      await settler.query('COMMIT');
    } finally {
      await holder.end();
      await settler.end();
    }
    const { rows } = await a.query(`SELECT fine_number, owner_id, status FROM fine WHERE fine_number = ANY($1) ORDER BY fine_number`, [[a1, a2, b1]]);
    expect(rows).toEqual([
      { fine_number: a1, owner_id: '200002', status: 'PAID' },
      { fine_number: a2, owner_id: '200002', status: 'UNPAID' },
      { fine_number: b1, owner_id: '200002', status: 'PAID' },
    ]);
    expect(await drift()).toEqual(NO_DRIFT);
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
    expect(await drift()).toEqual(NO_DRIFT);
  });
  it('fines on two plates of one company are recorded at once without waiting for each other, and two folds at once count each once', async () => {
    const [first, second] = [newPlate(), newPlate()];
    for (const plate of [first, second]) await own(a, plate, '200003');
    const totals = async () =>
      (await a.query<{ fines: string }>(`SELECT sum(unpaid_count)::text AS fines FROM company_fine_totals WHERE company_no = '200003'`)).rows[0].fines;
    await b.query('BEGIN');
    await insertFine(b, first, `R-${first}-1`); // holds the first plate's summary row until it commits
    await insertFine(a, second, `R-${second}-1`); // the same company's totals: no row to wait for
    await a.query(COMPANY_FINE_TOTALS_FOLD, [1000]); // folds what is committed; the open transaction's delta stays
    await b.query('COMMIT');
    expect(await totals()).toBe('1');
    expect(await drift()).toEqual(NO_DRIFT);
    // Two folds at once: the second skips the delta the first holds, and waits only for the company's row.
    await insertFine(a, first, `R-${first}-2`);
    await insertFine(a, second, `R-${second}-2`);
    await b.query('BEGIN');
    const heldByB = (await b.query<{ taken: number }>(COMPANY_FINE_TOTALS_FOLD, [1])).rows[0].taken;
    const folding = a.query<{ taken: number }>(COMPANY_FINE_TOTALS_FOLD, [1000]);
    await blocked(a);
    await b.query('COMMIT');
    expect([heldByB, (await folding).rows[0].taken]).toEqual([1, 2]);
    expect(await totals()).toBe('4');
    expect(await drift()).toEqual(NO_DRIFT);
  });
});
