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
    while (this.running) {
      let published = 0;
      this.wakeRequested = false;
      try {
        if (await this.isLeader()) {
          published = await this.publishBatch();
          await this.sweep();
        }
        backoff = 100;
      } catch (error) {
        this.logger.warn({ err: (error as Error).message, retryInMs: backoff }, 'outbox relay pass failed; will retry');
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
        continue;
      }
      if (published < this.config.messaging.OUTBOX_BATCH_SIZE && !this.wakeRequested) {
        await this.sleep(this.config.messaging.OUTBOX_POLL_INTERVAL_MS);
      }
    }
  }

  /** Publishes up to one batch; answers how many rows went out. */
  async publishBatch(): Promise<number> {
    const rows: OutboxRow[] = await this.tx.dataSource.query(
      `SELECT id, event_id, event_type, topic, message_key, envelope::text AS envelope, envelope->>'traceId' AS trace_id FROM outbox_message
       WHERE published_at IS NULL ORDER BY id LIMIT $1`,
      [this.config.messaging.OUTBOX_BATCH_SIZE],
    );
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
    await this.tx.dataSource.query(`UPDATE outbox_message SET published_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    this.metrics.outboxPublished.inc({ service: this.service }, rows.length);
    return rows.length;
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
