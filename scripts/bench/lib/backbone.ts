import { Client } from 'pg';
import { EVENTS } from '@app/contracts';
import { vehicleRegistered } from './events';
import { EffectTimes, waitForEffects } from './effects';
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

export interface PeakWrites {
  firstCommitAt: number;
  writesDoneAt: number;
}

/** Writes `n` events as fast as PostgreSQL takes them, in transactions of `batch`, and waits until all are applied. */
export async function runBackbonePeak(writer: OutboxWriter, violations: Client, n: number, batch: number, timeoutMs: number): Promise<PeakWrites> {
  const chunks: Row[][] = [];
  for (let i = 0; i < n; i += batch) chunks.push(writer.prepare(Math.min(batch, n - i)));
  let firstCommitAt = 0;
  for (const chunk of chunks) {
    const at = await writer.write(chunk, 'peak');
    firstCommitAt ||= at;
  }
  const writesDoneAt = now();
  await waitForEffects(violations, writer.total, timeoutMs, 'backbone peak');
  return { firstCommitAt, writesDoneAt };
}

export interface BackboneLatency {
  /** Outbox commit -> the consumer's effect transaction commits. */
  endToEnd: LatencySummary;
  /** Outbox commit -> outbox row marked published (relay poll wait + SELECT + Kafka acks=-1 + UPDATE). */
  relay: LatencySummary;
  /** Marked published -> effect committed (Kafka fetch, waiting for the batches in hand, the consumer transaction). */
  consumer: LatencySummary;
  /** Start of the consumer's transaction -> its commit: the batch's time in PostgreSQL. */
  consumerTx: LatencySummary;
  /** How many consumer transactions (batches) applied these events, and their mean size. */
  consumerBatches: { count: number; meanEvents: number };
  missing: number;
}

/** When the relay marked each row published (now() of its UPDATE, right after Kafka acknowledged). */
export async function readPublishedTimes(registry: Client): Promise<Map<string, number>> {
  const { rows } = await registry.query<{ id: string; at: number }>(
    `SELECT event_id::text AS id, (extract(epoch FROM published_at) * 1000)::float8 AS at FROM outbox_message WHERE published_at IS NOT NULL`,
  );
  return new Map(rows.map((r) => [r.id, r.at]));
}

export function backboneLatency(events: WrittenEvent[], effects: Map<string, EffectTimes>, publishedAt: Map<string, number>): BackboneLatency {
  const endToEnd: number[] = [];
  const relay: number[] = [];
  const consumer: number[] = [];
  const consumerTx: number[] = [];
  const batches = new Set<string>();
  let missing = 0;
  for (const e of events) {
    const effect = effects.get(e.eventId);
    if (effect) batches.add(`${effect.startedAt}/${effect.committedAt}`);
    const published = publishedAt.get(e.eventId);
    if (effect === undefined || published === undefined) {
      missing++;
      continue;
    }
    endToEnd.push(effect.committedAt - e.committedAt);
    relay.push(published - e.committedAt);
    consumer.push(effect.committedAt - published);
    consumerTx.push(effect.committedAt - effect.startedAt);
  }
  return {
    endToEnd: summarize(endToEnd),
    relay: summarize(relay),
    consumer: summarize(consumer),
    consumerTx: summarize(consumerTx),
    consumerBatches: { count: batches.size, meanEvents: Math.round((endToEnd.length / Math.max(1, batches.size)) * 10) / 10 },
    missing,
  };
}

/** Events per second from the first outbox commit to the last effect commit, and to the last row published. */
export function rates(
  events: WrittenEvent[],
  effects: Map<string, EffectTimes>,
  publishedAt: Map<string, number>,
): { throughput: number; relay: number; seconds: number } {
  let first = Infinity;
  let lastEffect = -Infinity;
  let lastPublished = -Infinity;
  for (const e of events) {
    first = Math.min(first, e.committedAt);
    lastEffect = Math.max(lastEffect, effects.get(e.eventId)?.committedAt ?? NaN);
    lastPublished = Math.max(lastPublished, publishedAt.get(e.eventId) ?? NaN);
  }
  return {
    throughput: (events.length / (lastEffect - first)) * 1000,
    relay: (events.length / (lastPublished - first)) * 1000,
    seconds: (lastEffect - first) / 1000,
  };
}
