import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PLATFORM_CONFIG, PlatformConfig, retryDelayMs } from '@app/platform';
import { CHANNEL_SENDERS, Channel, ChannelSender, DeliveryError, DeliveryRow, maskRecipient } from './delivery';

/**
 * Sends what the delivery log holds. Due rows are claimed with FOR UPDATE SKIP LOCKED and leased
 * (their next attempt moved past the send timeout), so replicas share the work and a process that
 * dies mid-send leaves the row to be tried again. Sends run outside any transaction, a bounded
 * number at a time; a failure is retried with exponential back-off and jitter until the last
 * attempt, then the row is FAILED, with its error, for people to see.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeliveryDispatcher');
  private readonly senders: Map<Channel, ChannelSender>;
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private readonly sends = new Set<Promise<void>>();
  private pumping?: Promise<void>;
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
    // Sends in flight finish (each is bounded by the send timeout); an unfinished lease would only delay them.
    await Promise.allSettled([...this.sends]);
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

  private async pump(): Promise<void> {
    const concurrency = this.config.notification.NOTIFY_CONCURRENCY;
    while (!this.stopped && this.inFlight < concurrency) {
      const claimed = await this.claim(concurrency - this.inFlight);
      for (const row of claimed) {
        this.inFlight++;
        const send = this.deliver(row).finally(() => {
          this.inFlight--;
          this.sends.delete(send);
          this.wake();
        });
        this.sends.add(send);
      }
      if (claimed.length === 0) break;
    }
  }

  /** Due rows, leased to this process for longer than a send can take. */
  private claim(limit: number): Promise<DeliveryRow[]> {
    const leaseMs = this.config.notification.NOTIFY_SEND_TIMEOUT_MS * 2 + 5000;
    return this.tx.manager.query<DeliveryRow[]>(
      // Wrapped in a CTE so that the driver answers the rows (an UPDATE answers [rows, count]).
      `WITH claimed AS (
         UPDATE delivery d SET attempts = d.attempts + 1, next_attempt_at = now() + $2::int * interval '1 millisecond'
          WHERE d.id IN (SELECT id FROM delivery WHERE status = 'PENDING' AND next_attempt_at <= now()
                          ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING d.*)
       SELECT * FROM claimed ORDER BY id`,
      [limit, leaseMs],
    );
  }

  private async deliver(row: DeliveryRow): Promise<void> {
    const log = { deliveryId: row.id, eventId: row.event_id, channel: row.channel, recipient: maskRecipient(row.recipient), attempt: row.attempts };
    try {
      const sender = this.senders.get(row.channel);
      if (!sender) throw new DeliveryError(`no sender for channel ${row.channel}`, true);
      await sender.send(row);
      await this.tx.manager.query(`UPDATE delivery SET status = 'SENT', sent_at = now(), last_error = NULL WHERE id = $1`, [row.id]);
      this.logger.log({ ...log, template: row.template }, 'message sent');
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.permanent;
      const message = (error as Error).message.slice(0, 500);
      const last = permanent || row.attempts >= this.config.notification.NOTIFY_MAX_ATTEMPTS;
      const delay = last ? 0 : retryDelayMs(this.config.notification, row.attempts);
      await this.tx.manager
        .query(`UPDATE delivery SET status = $2, last_error = $3, next_attempt_at = now() + $4::int * interval '1 millisecond' WHERE id = $1`, [
          row.id,
          last ? 'FAILED' : 'PENDING',
          message,
          delay,
        ])
        .catch((e: unknown) => this.logger.warn({ ...log, err: (e as Error).message }, 'could not record a failed send; the lease will retry it'));
      if (last) this.logger.error({ ...log, err: message, permanent }, 'message FAILED');
      else this.logger.warn({ ...log, err: message, retryInMs: delay }, 'send failed; will retry');
    }
  }
}
