import { Client } from 'pg';
import { log, now, sleep } from './system';

const CHANNEL = 'bench_effects';

/**
 * Instrumentation of violations' bench database (the only change the benchmark makes to the
 * system under test): a statement-level AFTER INSERT trigger on inbox_message that NOTIFYs the
 * event ids each statement inserted. PostgreSQL delivers a notification only once its transaction
 * has committed, so its arrival here is the moment the consumer's effect (the inbox row with the
 * handler's writes, in one transaction) became durable and visible, late by the delivery only.
 * Cost to the consumer: one trigger call per batch statement (ids sent 200 per notification, under
 * the 8000-byte payload limit), and commits that notify are serialized by PostgreSQL's notify lock.
 */
export async function installEffectTrigger(db: Client): Promise<void> {
  await db.query(`CREATE OR REPLACE FUNCTION bench_notify_effects() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE ids text;
    BEGIN
      FOR ids IN SELECT string_agg(event_id::text, ',') FROM (SELECT event_id, (row_number() OVER () - 1) / 200 AS chunk FROM inserted) t GROUP BY chunk LOOP
        PERFORM pg_notify('${CHANNEL}', ids);
      END LOOP;
      RETURN NULL;
    END $$`);
  await db.query(`DROP TRIGGER IF EXISTS bench_notify_effects ON inbox_message`);
  await db.query(`CREATE TRIGGER bench_notify_effects AFTER INSERT ON inbox_message REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION bench_notify_effects()`);
}

/** Listens on its own connection and stamps each event id with the arrival of its first notification. */
export class EffectListener {
  readonly doneAt = new Map<string, number>();

  constructor(private readonly client: Client) {}

  async start(): Promise<void> {
    this.client.on('notification', (n) => {
      const at = now();
      for (const id of (n.payload ?? '').split(',')) if (id && !this.doneAt.has(id)) this.doneAt.set(id, at);
    });
    await this.client.query(`LISTEN ${CHANNEL}`);
  }

  get count(): number {
    return this.doneAt.size;
  }

  /** Resolves once `expected` distinct events have their effect committed. */
  async waitFor(expected: number, timeoutMs: number, label: string): Promise<void> {
    const deadline = now() + timeoutMs;
    let lastReport = now();
    while (this.count < expected) {
      if (now() > deadline) throw new Error(`${label}: only ${this.count} of ${expected} effects committed after ${timeoutMs} ms`);
      if (now() - lastReport > 5000) {
        log(`${label}: ${this.count.toLocaleString('en-US')} / ${expected.toLocaleString('en-US')} effects committed`);
        lastReport = now();
      }
      await sleep(5);
    }
  }
}
