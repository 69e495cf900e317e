import { DatabaseError } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { TransactionHost } from './transaction-host';

/**
 * A data source whose pool, manager and transactions record the queries they are given; the pool's
 * client answers `answer` (rows, or an error to throw) and records how it was released.
 */
function fakeDataSource(answer: () => unknown[] = () => [{ via: 'pool' }]) {
  const calls: { via: 'pool' | 'manager' | 'transaction'; query: unknown }[] = [];
  const released: (Error | undefined)[] = [];
  const managerOf = (via: 'manager' | 'transaction') =>
    ({
      query: (text: string, values: unknown[]) => {
        calls.push({ via, query: { text, values } });
        return Promise.resolve([{ via }]);
      },
    }) as unknown as EntityManager;
  const client = {
    query: (query: unknown) => {
      calls.push({ via: 'pool', query });
      return Promise.resolve().then(() => ({ rows: answer() }));
    },
    release: (error?: Error) => released.push(error),
  };
  const dataSource = {
    manager: managerOf('manager'),
    options: { maxQueryExecutionTime: 1000 },
    driver: { master: { connect: () => Promise.resolve(client) } },
    transaction: <T>(work: (m: EntityManager) => Promise<T>) => work(managerOf('transaction')),
  } as unknown as DataSource;
  return { dataSource, calls, released };
}

describe('reads as prepared statements', () => {
  const named = { name: 'inquiry_abc', text: 'SELECT 1 WHERE $1::text IS NOT NULL', values: ['x'] };

  it('a named read outside a transaction goes to a pooled connection with its name, so PostgreSQL plans it once per connection', async () => {
    const { dataSource, calls, released } = fakeDataSource();
    const sut = new TransactionHost(dataSource);
    expect(await sut.read(named)).toEqual([{ via: 'pool' }]);
    expect(calls).toEqual([{ via: 'pool', query: named }]);
    expect(released).toEqual([undefined]);
  });

  it('an error PostgreSQL answers gives the connection back; a lost connection is dropped', async () => {
    const answered = fakeDataSource(() => {
      throw new DatabaseError('division by zero', 0, 'error');
    });
    await expect(new TransactionHost(answered.dataSource).read(named)).rejects.toThrow('division by zero');
    expect(answered.released).toEqual([undefined]);
    const lost = new Error('Connection terminated unexpectedly');
    const broken = fakeDataSource(() => {
      throw lost;
    });
    await expect(new TransactionHost(broken.dataSource).read(named)).rejects.toThrow(lost);
    expect(broken.released).toEqual([lost]);
  });

  it('an unnamed read, a read inside a transaction, and any read with prepared statements off run unnamed through TypeORM', async () => {
    const { dataSource, calls } = fakeDataSource();
    const unnamed = { text: named.text, values: named.values };
    await new TransactionHost(dataSource).read(unnamed);
    await new TransactionHost(dataSource, false).read(named);
    const sut = new TransactionHost(dataSource);
    await sut.run(() => sut.read(named));
    expect(calls).toEqual([
      { via: 'manager', query: unnamed },
      { via: 'manager', query: unnamed },
      { via: 'transaction', query: unnamed },
    ]);
  });
});
