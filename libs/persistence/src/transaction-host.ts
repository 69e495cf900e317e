import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

interface ActiveTransaction {
  manager: EntityManager;
  afterCommit: (() => void)[];
}

const active = new AsyncLocalStorage<Map<DataSource, ActiveTransaction>>();

/**
 * The unit of work of one service's data source. Code that writes asks for `manager`: inside
 * `run()` it is the transaction's, so a state change, its outbox rows and its inbox row commit or
 * roll back together, without passing managers through every call.
 */
export class TransactionHost {
  constructor(readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return active.getStore()?.get(this.dataSource)?.manager ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return active.getStore()?.has(this.dataSource) ?? false;
  }

  /** Runs `work` in a transaction, joining the current one of this data source if there is one. */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const current = active.getStore()?.get(this.dataSource);
    if (current) return work(current.manager);
    const afterCommit: (() => void)[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const scope = new Map(active.getStore() ?? []);
      scope.set(this.dataSource, { manager, afterCommit });
      return active.run(scope, () => work(manager));
    });
    for (const callback of afterCommit) callback();
    return result;
  }

  /** Runs `callback` once the current transaction commits (at once outside a transaction). */
  afterCommit(callback: () => void): void {
    const current = active.getStore()?.get(this.dataSource);
    if (current) current.afterCommit.push(callback);
    else callback();
  }
}
