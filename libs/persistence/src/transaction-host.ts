import { AsyncLocalStorage } from 'node:async_hooks';
import { DatabaseError, type Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A read: with a name, a prepared statement that PostgreSQL plans once per connection. */
export interface ReadQuery {
  name?: string;
  text: string;
  values: unknown[];
}

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
  /** `prepare`: run named reads as prepared statements (off behind a pooler that does not keep them per client). */
  constructor(
    readonly dataSource: DataSource,
    private readonly prepare = true,
  ) {}

  get manager(): EntityManager {
    return active.getStore()?.get(this.dataSource)?.manager ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return active.getStore()?.has(this.dataSource) ?? false;
  }

  /**
   * A read-only query. Outside a transaction a named one runs as a prepared statement, which each
   * connection parses and plans once (TypeORM's query() cannot name one). Inside a transaction it
   * runs unnamed on the transaction's connection.
   */
  async read<T>(query: ReadQuery): Promise<T[]> {
    if (query.name === undefined || !this.prepare || this.inTransaction) return this.manager.query<T[]>(query.text, query.values);
    const client = await ((this.dataSource.driver as PostgresDriver).master as Pool).connect();
    const started = Date.now();
    let lost: Error | undefined;
    try {
      return (await client.query({ name: query.name, text: query.text, values: query.values })).rows as T[];
    } catch (error) {
      // An error PostgreSQL answered leaves the connection and its prepared statements usable; only a lost connection is dropped.
      if (!(error instanceof DatabaseError)) lost = error as Error;
      throw error;
    } finally {
      client.release(lost);
      const elapsed = Date.now() - started;
      const slow = this.dataSource.options.maxQueryExecutionTime;
      if (slow && elapsed > slow) this.dataSource.logger.logQuerySlow(elapsed, query.text, query.values, undefined);
    }
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
