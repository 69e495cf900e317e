import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PeriodicPass } from '@app/platform';
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
  private readonly periodic: PeriodicPass;

  constructor(@InjectTransactionHost('violations') private readonly tx: TransactionHost) {
    // Readers sum the deltas not folded yet, so a failing fold costs them a few rows, never a wrong total.
    this.periodic = new PeriodicPass('folding company totals', FOLD_EVERY_MS, () => this.foldAll(), new Logger(CompanyTotalsFold.name));
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
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
