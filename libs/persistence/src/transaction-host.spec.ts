import { DataSource, EntityManager } from 'typeorm';
import { TransactionHost } from './transaction-host';

/** A data source whose pool and manager record the queries they are given, and whose transactions hand out a manager that does too. */
function fakeDataSource() {
  const calls: { via: 'pool' | 'manager' | 'transaction'; query: unknown }[] = [];
  const managerOf = (via: 'manager' | 'transaction') =>
    ({
      query: (text: string, values: unknown[]) => {
        calls.push({ via, query: { text, values } });
        return Promise.resolve([{ via }]);
      },
    }) as unknown as EntityManager;
  const dataSource = {
    manager: managerOf('manager'),
    driver: {
      master: {
        query: (query: unknown) => {
          calls.push({ via: 'pool', query });
          return Promise.resolve({ rows: [{ via: 'pool' }] });
        },
      },
    },
    transaction: <T>(work: (m: EntityManager) => Promise<T>) => work(managerOf('transaction')),
  } as unknown as DataSource;
  return { dataSource, calls };
}

describe('reads as prepared statements', () => {
  const named = { name: 'inquiry_abc', text: 'SELECT 1 WHERE $1::text IS NOT NULL', values: ['x'] };

  it('a named read outside a transaction goes to the pool with its name, so PostgreSQL plans it once per connection', async () => {
    const { dataSource, calls } = fakeDataSource();
    const sut = new TransactionHost(dataSource);
    expect(await sut.read(named)).toEqual([{ via: 'pool' }]);
    expect(calls).toEqual([{ via: 'pool', query: named }]);
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
