import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PLATFORM_CONFIG, PlatformConfig } from '@app/platform';
import { SettlementService } from '../bank-callbacks/settlement.service';
import { PaymentRow } from '../payments/payments.service';

/**
 * Pending payments past their expiry release their fines. Rows are claimed with SKIP LOCKED, so
 * several replicas share the work and a payment a callback is settling right now is left to it.
 */
@Injectable()
export class PaymentExpiryJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PaymentExpiryJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @InjectTransactionHost('payment-gateway') private readonly tx: TransactionHost,
    private readonly settlement: SettlementService,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.expireDue()
        .catch((error: unknown) => {
          this.logger.warn({ err: (error as Error).message }, 'expiry pass failed; will retry');
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.config.payments.PAYMENT_EXPIRY_SWEEP_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Expires every pending payment past its time; answers how many. */
  async expireDue(): Promise<number> {
    let expired = 0;
    for (;;) {
      const done = await this.tx.run(async (m) => {
        const due = await m.query<PaymentRow[]>(
          `SELECT * FROM payment WHERE status = 'PENDING' AND expires_at < now() ORDER BY expires_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
        );
        await this.settlement.expire(m, due);
        return due.length;
      });
      expired += done;
      if (done < 100) break;
    }
    if (expired > 0) this.logger.log({ expired }, 'expired pending payments');
    return expired;
  }
}
