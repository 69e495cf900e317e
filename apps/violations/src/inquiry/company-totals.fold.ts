import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { COMPANY_FINE_TOTALS_FOLD } from './company-totals';

/** How often the deltas are folded, and how many one statement takes. */
const FOLD_EVERY_MS = 1000;
const FOLD_BATCH = 5000;

/**
 * Adds the deltas that writers of fines append to company_fine_delta into each company's row of
 * company_fine_totals, so a company's totals stay one row and a few deltas to sum. Replicas may
 * fold at once: each statement takes only deltas nobody else holds.
 */
@Injectable()
export class CompanyTotalsFold implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CompanyTotalsFold.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private failing = false;

  constructor(@InjectTransactionHost('violations') private readonly tx: TransactionHost) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.foldAll()
        .then((folded) => {
          if (this.failing) this.logger.log({ folded }, 'folding company totals works again');
          this.failing = false;
          return folded;
        })
        .catch((error: unknown) => {
          // Once per run of failures (a database restart would otherwise log every second): readers still sum the deltas.
          if (!this.failing) this.logger.warn({ err: error }, 'folding company totals failed; retrying every second');
          this.failing = true;
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, FOLD_EVERY_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Folds every delta there is now; answers how many. */
  async foldAll(): Promise<number> {
    let folded = 0;
    for (;;) {
      const [{ taken }] = await this.tx.manager.query<{ taken: number }[]>(COMPANY_FINE_TOTALS_FOLD, [FOLD_BATCH]);
      folded += taken;
      if (taken < FOLD_BATCH) return folded;
    }
  }
}
