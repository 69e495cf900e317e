import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PLATFORM_CONFIG, PlatformConfig, retryDelayMs } from '@app/platform';
import { CHANNELS, CHANNEL_SENDERS, Channel, ChannelSender, DeliveryError, DeliveryRow, maskRecipient } from './delivery';

interface Outcome {
  id: string;
  /** The claim this outcome belongs to: a send that outlived its lease must not overwrite a later claim's outcome. */
  attempts: number;
  status: 'SENT' | 'PENDING' | 'FAILED';
  error: string | null;
  delayMs: number;
}

/**
 * Sends what the delivery log holds. Due rows are claimed in batches with FOR UPDATE SKIP LOCKED
 * and leased (their next attempt moved past the send timeout), so replicas share the work and a
 * process that dies mid-send leaves the row to be tried again. Sends run outside any transaction,
 * a bounded number at a time; their outcomes are written together, one statement for all that
 * finished meanwhile (group commit). A failure is retried with exponential back-off and jitter
 * until the last attempt, then the row is FAILED, with its error, for people to see.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeliveryDispatcher');
  private readonly senders: Map<Channel, ChannelSender>;
  private timer?: NodeJS.Timeout;
  // Per channel, so that a slow provider (SMTP, say) does not hold back the others.
  private readonly inFlight = new Map<Channel, number>(CHANNELS.map((c) => [c, 0]));
  private readonly queues = new Map<Channel, DeliveryRow[]>(CHANNELS.map((c) => [c, []]));
  private readonly sends = new Set<Promise<void>>();
  private readonly outcomes: Outcome[] = [];
  /** Rows this process has claimed and not yet recorded: never claimed again meanwhile, even if their lease ran out. */
  private readonly inHand = new Set<string>();
  private pumping?: Promise<void>;
  private flushing?: Promise<void>;
  private wokenWhilePumping = false;
  private stopped = true;

  constructor(
    @InjectTransactionHost('notification') private readonly tx: TransactionHost,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
  ) {
    this.senders = new Map(senders.map((s) => [s.channel, s]));
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.config.notification.NOTIFY_POLL_INTERVAL_MS);
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pumping;
    // Sends in flight finish (each is bounded by the send timeout) and their outcomes are written.
    await Promise.allSettled([...this.sends]);
    // A database that stays away is not waited for forever: the rows' leases make them go again later.
    for (let tries = 0; (this.flushing || this.outcomes.length > 0) && tries < 10; tries++) await (this.flushing ?? this.flush());
    // Claimed but not started: hand them back at once rather than at the end of their lease.
    const unsent = [...this.queues.values()].flatMap((q) => q.splice(0)).map((r) => r.id);
    if (unsent.length > 0)
      await this.tx.manager
        .query(`UPDATE delivery SET attempts = attempts - 1, next_attempt_at = now() WHERE id = ANY($1::bigint[])`, [unsent])
        .catch(() => undefined);
  }

  /** Something is (or may be) due: claim and send it now. */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.wokenWhilePumping = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error: unknown) => this.logger.warn({ err: (error as Error).message }, 'dispatch pass failed; will retry'))
      .finally(() => {
        this.pumping = undefined;
        if (this.wokenWhilePumping) {
          this.wokenWhilePumping = false;
          this.wake();
        }
      });
  }

  /** Keeps up to NOTIFY_CONCURRENCY sends running per channel, and about as many claimed rows in hand. */
  private async pump(): Promise<void> {
    const concurrency = this.config.notification.NOTIFY_CONCURRENCY;
    const idle = new Set<Channel>();
    while (!this.stopped && idle.size < CHANNELS.length) {
      for (const channel of CHANNELS) {
        if (idle.has(channel)) continue;
        const queue = this.queues.get(channel)!;
        while (this.inFlight.get(channel)! < concurrency && queue.length > 0) this.start(queue.shift()!);
        const room = 2 * concurrency - this.inFlight.get(channel)! - queue.length;
        if (room < Math.ceil(concurrency / 2)) {
          idle.add(channel);
          continue;
        }
        const claimed = await this.claim(channel, room);
        if (claimed.length === 0) idle.add(channel);
        for (const row of claimed) this.inHand.add(row.id);
        queue.push(...claimed);
      }
    }
  }

  private start(row: DeliveryRow): void {
    this.inFlight.set(row.channel, this.inFlight.get(row.channel)! + 1);
    const send = this.deliver(row).then(
      (outcome) => {
        this.inFlight.set(row.channel, this.inFlight.get(row.channel)! - 1);
        this.sends.delete(send);
        this.outcomes.push(outcome);
        this.scheduleFlush();
        this.wake();
      },
      () => undefined,
    );
    this.sends.add(send);
  }

  /** Due rows, leased to this process for longer than a send can take. */
  private claim(channel: Channel, limit: number): Promise<DeliveryRow[]> {
    const leaseMs = this.config.notification.NOTIFY_SEND_TIMEOUT_MS * 2 + 5000;
    return this.tx.manager.query<DeliveryRow[]>(
      // Wrapped in a CTE so that the driver answers the rows (an UPDATE answers [rows, count]).
      `WITH claimed AS (
         UPDATE delivery d SET attempts = d.attempts + 1, next_attempt_at = now() + $2::int * interval '1 millisecond'
          WHERE d.id IN (SELECT id FROM delivery WHERE status = 'PENDING' AND next_attempt_at <= now() AND channel = $3
                            AND id <> ALL($4::bigint[])
                          ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING d.*)
       SELECT * FROM claimed ORDER BY id`,
      [limit, leaseMs, channel, [...this.inHand]],
    );
  }

  private async deliver(row: DeliveryRow): Promise<Outcome> {
    const log = { deliveryId: row.id, eventId: row.event_id, channel: row.channel, recipient: maskRecipient(row.recipient), attempt: row.attempts };
    try {
      const sender = this.senders.get(row.channel);
      if (!sender) throw new DeliveryError(`no sender for channel ${row.channel}`, true);
      await sender.send(row);
      this.logger.log({ ...log, template: row.template }, 'message sent');
      return { id: row.id, attempts: row.attempts, status: 'SENT', error: null, delayMs: 0 };
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.permanent;
      const message = (error as Error).message.slice(0, 500);
      const last = permanent || row.attempts >= this.config.notification.NOTIFY_MAX_ATTEMPTS;
      const delayMs = last ? 0 : retryDelayMs(this.config.notification, row.attempts);
      if (last) this.logger.error({ ...log, err: message, permanent }, 'message FAILED');
      else this.logger.warn({ ...log, err: message, retryInMs: delayMs }, 'send failed; will retry');
      return { id: row.id, attempts: row.attempts, status: last ? 'FAILED' : 'PENDING', error: message, delayMs };
    }
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.outcomes.length > 0) this.scheduleFlush();
    });
  }

  /**
   * Writes the outcomes of the sends that finished since the last flush, in one statement, each
   * only if its row still holds the claim it was sent under. If the write fails, the outcomes go
   * back to the front of the queue and are written again shortly, well within the lease, so a
   * message that went out is not sent again.
   */
  private async flush(): Promise<void> {
    const batch = this.outcomes.splice(0);
    if (batch.length === 0) return;
    try {
      await this.tx.manager.query(
        `UPDATE delivery d SET status = x.status, last_error = x.error,
                sent_at = CASE WHEN x.status = 'SENT' THEN now() END,
                next_attempt_at = now() + x.delay * interval '1 millisecond'
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::int[]) AS x(id, status, error, delay, attempts)
          WHERE d.id = x.id AND d.status = 'PENDING' AND d.attempts = x.attempts`,
        [batch.map((o) => o.id), batch.map((o) => o.status), batch.map((o) => o.error), batch.map((o) => o.delayMs), batch.map((o) => o.attempts)],
      );
      for (const o of batch) this.inHand.delete(o.id);
    } catch (error) {
      this.outcomes.unshift(...batch);
      this.logger.warn({ err: (error as Error).message, deliveries: batch.length }, 'could not record send outcomes; retrying');
      await new Promise((r) => setTimeout(r, FLUSH_RETRY_MS));
    }
  }
}

const FLUSH_RETRY_MS = 500;
