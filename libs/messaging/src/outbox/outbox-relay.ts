import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { QueryRunner } from 'typeorm';
import { TransactionHost } from '@app/persistence';
import { Metrics, PlatformConfig } from '@app/platform';
import { EventTransport, OutboundMessage } from '../transport';

interface OutboxRow {
  id: string;
  event_id: string;
  event_type: string;
  topic: string;
  message_key: string;
  envelope: string;
  trace_id: string | null;
}

const RETENTION_SWEEP_MS = 60 * 60 * 1000;
const LEADER_CHECK_MS = 5000;

/**
 * Publishes a service's outbox in id order, so one aggregate's events leave in the order they were
 * written. It is woken at once by each commit that wrote events, and also polls for rows it was not
 * woken for (written before a restart, or by another replica). Rows are marked only after the
 * transport has acknowledged them: a crash in between publishes them again, and consumers' inboxes
 * absorb the duplicates. With PostgreSQL one relay per service holds an advisory lock and publishes;
 * the others wait, so order holds with several replicas.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private running = false;
  private loop?: Promise<void>;
  private wakeRequested = false;
  private wakeUp?: () => void;
  private leader?: QueryRunner;
  private lastSweep = 0;
  /** Published by the last pass and not marked yet (the next pass marks them as it reads). */
  private unmarked: string[] = [];
  private leaderCheckedAt = 0;

  constructor(
    private readonly service: string,
    private readonly tx: TransactionHost,
    private readonly transport: EventTransport,
    private readonly config: PlatformConfig,
    private readonly metrics: Metrics,
  ) {
    this.logger = new Logger(`OutboxRelay:${service}`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.markUnmarked().catch((error: unknown) =>
      this.logger.warn({ err: (error as Error).message }, 'could not mark the last published rows; they will be published again'),
    );
    // The session goes back to the pool: drop the lock so another replica can take over at once.
    await this.leader?.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await this.leader?.release().catch(() => undefined);
    this.leader = undefined;
  }

  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let backoff = 100;
    let full = false;
    while (this.running) {
      // Rows committed while the relay waits go out with these in one pass: fewer reads, marks and produce requests.
      if (!full && this.config.messaging.OUTBOX_LINGER_MS > 0) {
        await delay(this.config.messaging.OUTBOX_LINGER_MS);
        if (!this.running) break;
      }
      let published = 0;
      this.wakeRequested = false;
      try {
        if (await this.isLeader()) {
          published = await this.publishBatch();
          await this.sweep();
        } else {
          await this.markUnmarked();
        }
        backoff = 100;
      } catch (error) {
        this.logger.warn({ err: (error as Error).message, retryInMs: backoff }, 'outbox relay pass failed; will retry');
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
        continue;
      }
      full = published === this.config.messaging.OUTBOX_BATCH_SIZE;
      if (!full && !this.wakeRequested) {
        await this.sleep(this.config.messaging.OUTBOX_POLL_INTERVAL_MS);
      }
    }
  }

  /** Publishes up to one batch; answers how many rows went out. */
  async publishBatch(): Promise<number> {
    const limit = this.config.messaging.OUTBOX_BATCH_SIZE;
    const rows = await this.readBatch(limit);
    this.metrics.outboxPending.set({ service: this.service }, rows.length);
    if (rows.length === 0) return 0;
    const messages: OutboundMessage[] = rows.map((row) => ({
      topic: row.topic,
      key: row.message_key,
      eventId: row.event_id,
      eventType: row.event_type,
      traceId: row.trace_id ?? '',
      value: row.envelope,
    }));
    await this.transport.publish(messages);
    if (this.config.messaging.OUTBOX_FAULT === 'exit-after-publish') {
      this.logger.error({ count: rows.length }, 'OUTBOX_FAULT=exit-after-publish: exiting after publishing, before marking');
      process.kill(process.pid, 'SIGKILL');
    }
    const ids = rows.map((r) => r.id);
    // When the next pass follows at once, it marks these rows in the statement that reads its own.
    if (rows.length === limit || this.wakeRequested) this.unmarked = ids;
    else await this.mark(ids);
    this.metrics.outboxPublished.inc({ service: this.service }, rows.length);
    return rows.length;
  }

  /**
   * The oldest unpublished rows. Rows the previous pass published are marked by the same statement;
   * its read sees the table as it was before the marking, so those rows are left out by id.
   *
   * `id >= min(id)` changes nothing in the answer; it is there for the planner. With few rows
   * unpublished it prefers a bitmap scan of the partial index, which reads again every entry of a
   * row published since the last vacuum (thousands per pass, more with every row published). min()
   * is an ordered index scan that skips such entries once they are known dead, and the read then
   * starts at the first unpublished row.
   */
  private async readBatch(limit: number): Promise<OutboxRow[]> {
    const columns = `id, event_id, event_type, topic, message_key, envelope::text AS envelope, envelope->>'traceId' AS trace_id`;
    if (this.unmarked.length === 0) {
      return this.tx.dataSource.query(
        `SELECT ${columns} FROM outbox_message
          WHERE published_at IS NULL AND id >= (SELECT min(id) FROM outbox_message WHERE published_at IS NULL)
          ORDER BY id LIMIT $1`,
        [limit],
      );
    }
    const rows: OutboxRow[] = await this.tx.dataSource.query(
      `WITH marked AS (UPDATE outbox_message SET published_at = now() WHERE id = ANY($2::bigint[]))
       SELECT ${columns} FROM outbox_message
        WHERE published_at IS NULL AND NOT (id = ANY($2::bigint[]))
          AND id >= (SELECT min(id) FROM outbox_message WHERE published_at IS NULL AND NOT (id = ANY($2::bigint[])))
        ORDER BY id LIMIT $1`,
      [limit, this.unmarked],
    );
    this.unmarked = [];
    return rows;
  }

  private async mark(ids: string[]): Promise<void> {
    await this.tx.dataSource.query(`UPDATE outbox_message SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Marks the rows published by the last pass, if no pass marked them yet. */
  private async markUnmarked(): Promise<void> {
    if (this.unmarked.length === 0) return;
    await this.mark(this.unmarked);
    this.unmarked = [];
  }

  /** With PostgreSQL, only the holder of the service's advisory lock publishes. PGlite has one process. */
  private async isLeader(): Promise<boolean> {
    if (this.config.database.DB_DRIVER === 'pglite') return true;
    if (this.leader) {
      // A lost session loses the lock with it; looking every few seconds is enough (a second
      // leader in between only publishes duplicates, which inboxes absorb).
      if (Date.now() - this.leaderCheckedAt < LEADER_CHECK_MS) return true;
      try {
        await this.leader.query('SELECT 1');
        this.leaderCheckedAt = Date.now();
        return true;
      } catch {
        await this.leader.release().catch(() => undefined);
        this.leader = undefined;
      }
    }
    const runner = this.tx.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [`outbox-relay:${this.service}`])) as { locked: boolean }[];
    if (locked) {
      this.leader = runner;
      this.leaderCheckedAt = Date.now();
      this.logger.log('this process now relays the outbox');
      return true;
    }
    await runner.release();
    return false;
  }

  /** Published rows are kept a week for investigations, then removed. */
  private async sweep(): Promise<void> {
    if (Date.now() - this.lastSweep < RETENTION_SWEEP_MS) return;
    this.lastSweep = Date.now();
    await this.tx.dataSource.query(`DELETE FROM outbox_message WHERE published_at < now() - interval '7 days'`);
    await this.tx.dataSource.query(`DELETE FROM inbox_message WHERE handled_at < now() - interval '30 days'`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
      if (this.wakeRequested) done();
    });
  }
}
