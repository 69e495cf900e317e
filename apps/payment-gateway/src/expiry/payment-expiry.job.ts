import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PLATFORM_CONFIG, PeriodicPass, PlatformConfig } from '@app/platform';
import { SettlementService } from '../bank-callbacks/settlement.service';
import { PaymentRow } from '../payments/payments.service';

/**
 * Pending payments past their expiry release their fines. Rows are claimed with SKIP LOCKED, so
 * several replicas share the work and a payment a callback is settling right now is left to it.
 */
@Injectable()
export class PaymentExpiryJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PaymentExpiryJob.name);
  private readonly periodic: PeriodicPass;

  constructor(
    @InjectTransactionHost('payment-gateway') private readonly tx: TransactionHost,
    private readonly settlement: SettlementService,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.periodic = new PeriodicPass('expiring pending payments', config.payments.PAYMENT_EXPIRY_SWEEP_MS, () => this.expireDue(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
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
