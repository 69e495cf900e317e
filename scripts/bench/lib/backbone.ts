import { Client } from 'pg';
import { EVENTS } from '@app/contracts';
import { vehicleRegistered } from './events';
import { EffectListener } from './effects';
import { LatencySummary, summarize } from './stats';
import { now } from './system';

export type Phase = 'warmup' | 'peak' | 'steady';

export interface WrittenEvent {
  eventId: string;
  phase: Phase;
  /** When the INSERT's transaction had committed (Date.now() right after PostgreSQL answered). */
  committedAt: number;
}

interface Row {
  eventId: string;
  key: string;
  envelope: string;
}

/**
 * Writes outbox rows exactly as EventPublisher.publish does (same table, columns and envelope JSON),
 * many per statement: each multi-row INSERT is its own transaction. The relay of the registry
 * process is not woken by these commits (that wake-up is in-process); it finds them by polling.
 */
export class OutboxWriter {
  readonly written: WrittenEvent[] = [];
  private seq = 0;

  constructor(private readonly client: Client) {}

  /** Envelopes for the next `count` events, built ahead so the harness stays out of the timed path. */
  prepare(count: number): Row[] {
    const rows: Row[] = [];
    for (let i = 0; i < count; i++) {
      const envelope = vehicleRegistered(this.seq++);
      rows.push({ eventId: envelope.eventId, key: envelope.aggregateId, envelope: JSON.stringify(envelope) });
    }
    return rows;
  }

  async write(rows: Row[], phase: Phase): Promise<number> {
    await this.client.query(
      `INSERT INTO outbox_message (event_id, event_type, topic, message_key, envelope)
       SELECT id, $2, $3, key, envelope FROM unnest($1::uuid[], $4::text[], $5::jsonb[]) AS r(id, key, envelope)`,
      [rows.map((r) => r.eventId), EVENTS.vehicleRegistered.type, EVENTS.vehicleRegistered.topic, rows.map((r) => r.key), rows.map((r) => r.envelope)],
    );
    const committedAt = now();
    for (const r of rows) this.written.push({ eventId: r.eventId, phase, committedAt });
    return committedAt;
  }

  get total(): number {
    return this.written.length;
  }
}

export interface PeakResult {
  events: number;
  firstCommitAt: number;
  writesDoneAt: number;
  lastEffectAt: number;
  throughput: number;
  writeRate: number;
}

/** Writes `n` events as fast as PostgreSQL takes them, in transactions of `batch`, and waits for all effects. */
export async function runBackbonePeak(writer: OutboxWriter, effects: EffectListener, n: number, batch: number, timeoutMs: number): Promise<PeakResult> {
  const chunks: Row[][] = [];
  for (let i = 0; i < n; i += batch) chunks.push(writer.prepare(Math.min(batch, n - i)));
  let firstCommitAt = 0;
  for (const chunk of chunks) {
    const at = await writer.write(chunk, 'peak');
    firstCommitAt ||= at;
  }
  const writesDoneAt = now();
  await effects.waitFor(writer.total, timeoutMs, 'backbone peak');
  let lastEffectAt = 0;
  for (const e of writer.written) if (e.phase === 'peak') lastEffectAt = Math.max(lastEffectAt, effects.doneAt.get(e.eventId) ?? 0);
  return {
    events: n,
    firstCommitAt,
    writesDoneAt,
    lastEffectAt,
    throughput: (n / (lastEffectAt - firstCommitAt)) * 1000,
    writeRate: (n / Math.max(1, writesDoneAt - firstCommitAt)) * 1000,
  };
}

export interface BackboneLatency {
  /** Outbox commit -> the consumer's effect transaction committed (its NOTIFY arrived). */
  endToEnd: LatencySummary;
  /** Outbox commit -> start of the consumer's transaction (inbox_message.handled_at DEFAULT now()). */
  toConsumerTxStart: LatencySummary;
  /** Outbox commit -> outbox row marked published (relay poll wait + SELECT + Kafka acks=-1 + UPDATE). */
  relay: LatencySummary;
  /** Marked published -> effect committed (Kafka fetch, waiting for the batch in hand, the consumer transaction). */
  consumer: LatencySummary;
  /** Start of the consumer's transaction -> its commit: the batch's time in PostgreSQL. */
  consumerTx: LatencySummary;
  missing: number;
}

export interface DbTimes {
  publishedAt: Map<string, number>;
  handledAt: Map<string, number>;
}

/** Published and handled times, from the registry's outbox and violations' inbox. */
export async function readDbTimes(registry: Client, violations: Client): Promise<DbTimes> {
  const published = await registry.query<{ id: string; at: number }>(
    `SELECT event_id::text AS id, (extract(epoch FROM published_at) * 1000)::float8 AS at FROM outbox_message WHERE published_at IS NOT NULL`,
  );
  const handled = await violations.query<{ id: string; at: number }>(
    `SELECT event_id::text AS id, (extract(epoch FROM handled_at) * 1000)::float8 AS at FROM inbox_message WHERE consumer = 'violations'`,
  );
  return { publishedAt: new Map(published.rows.map((r) => [r.id, r.at])), handledAt: new Map(handled.rows.map((r) => [r.id, r.at])) };
}

export function backboneLatency(events: WrittenEvent[], effects: EffectListener, db: DbTimes): BackboneLatency {
  const endToEnd: number[] = [];
  const lower: number[] = [];
  const relay: number[] = [];
  const consumer: number[] = [];
  const consumerTx: number[] = [];
  let missing = 0;
  for (const e of events) {
    const done = effects.doneAt.get(e.eventId);
    const published = db.publishedAt.get(e.eventId);
    const handled = db.handledAt.get(e.eventId);
    if (done === undefined || published === undefined || handled === undefined) {
      missing++;
      continue;
    }
    endToEnd.push(done - e.committedAt);
    lower.push(handled - e.committedAt);
    relay.push(published - e.committedAt);
    consumer.push(done - published);
    consumerTx.push(done - handled);
  }
  return {
    endToEnd: summarize(endToEnd),
    toConsumerTxStart: summarize(lower),
    relay: summarize(relay),
    consumer: summarize(consumer),
    consumerTx: summarize(consumerTx),
    missing,
  };
}
