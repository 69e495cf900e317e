import { Client } from 'pg';
import { log, now, sleep } from './system';

/**
 * Instrumentation of violations' bench database, the only change the benchmark makes to the system
 * under test: a DEFERRED constraint trigger on inbox_message. Deferred triggers run while the
 * transaction commits, after all of its statements, so the first inbox row of each consumer
 * transaction stamps clock_timestamp() into bench_commit_stamp, keyed by the transaction id (the
 * inbox rows' xmin). That stamp is the moment the consumer's effect (its inbox rows and the handler's
 * writes, one transaction per batch) commits, minus only the WAL flush of the commit record.
 * Cost: one PL/pgSQL call per inbox row at commit and one small insert per transaction. (A NOTIFY
 * would arrive after the flush, but PostgreSQL serializes the commits of notifying transactions,
 * which would slow the concurrent consumer transactions down.)
 */
export async function installEffectStamps(db: Client): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS bench_commit_stamp (xid bigint PRIMARY KEY, at timestamptz NOT NULL)`);
  await db.query(`CREATE OR REPLACE FUNCTION bench_stamp_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('bench.stamped', true) IS DISTINCT FROM 'y' THEN
        PERFORM set_config('bench.stamped', 'y', true);
        INSERT INTO bench_commit_stamp (xid, at) VALUES (txid_current() % 4294967296, clock_timestamp());
      END IF;
      RETURN NULL;
    END $$`);
  await db.query(`DROP TRIGGER IF EXISTS bench_stamp_commit ON inbox_message`);
  await db.query(`CREATE CONSTRAINT TRIGGER bench_stamp_commit AFTER INSERT ON inbox_message DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bench_stamp_commit()`);
}

/** Waits until violations' inbox holds `expected` rows (polled every 100 ms: only to know when to stop). */
export async function waitForEffects(db: Client, expected: number, timeoutMs: number, label: string): Promise<void> {
  const deadline = now() + timeoutMs;
  let lastReport = now();
  for (;;) {
    const [{ n }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox_message WHERE consumer = 'violations'`)).rows;
    if (n >= expected) return;
    if (now() > deadline) throw new Error(`${label}: only ${n} of ${expected} events applied after ${timeoutMs} ms`);
    if (now() - lastReport > 5000) {
      log(`${label}: ${n.toLocaleString('en-US')} / ${expected.toLocaleString('en-US')} applied`);
      lastReport = now();
    }
    await sleep(100);
  }
}

export interface EffectTimes {
  /** Start of the consumer transaction that applied the event (inbox_message.handled_at DEFAULT now()). */
  startedAt: number;
  /** That transaction committing (its deferred-trigger stamp). */
  committedAt: number;
}

export async function readEffectTimes(db: Client): Promise<Map<string, EffectTimes>> {
  const { rows } = await db.query<{ id: string; started: number; committed: number }>(
    `SELECT i.event_id::text AS id, (extract(epoch FROM i.handled_at) * 1000)::float8 AS started, (extract(epoch FROM s.at) * 1000)::float8 AS committed
     FROM inbox_message i JOIN bench_commit_stamp s ON s.xid = i.xmin::text::bigint
     WHERE i.consumer = 'violations'`,
  );
  return new Map(rows.map((r) => [r.id, { startedAt: r.started, committedAt: r.committed }]));
}
