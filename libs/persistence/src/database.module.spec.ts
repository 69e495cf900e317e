import { loadPlatformConfig } from '@app/platform';
import { dataSourceOptions } from './database.module';
import type { EmbeddedPostgres } from './embedded-postgres';

describe('a service’s data source options', () => {
  const database = { entities: [], migrations: [] };
  const embedded = { connectionFor: () => Promise.resolve({ host: '/tmp/fines-test-socket', port: 5432 }) } as unknown as EmbeddedPostgres;

  it('on PGlite: one connection, never closed for being idle (pglite-socket serves one at a time)', async () => {
    const options = await dataSourceOptions('violations', database, loadPlatformConfig({ DB_DRIVER: 'pglite' }, ['violations']), embedded);
    expect(options).toMatchObject({ host: '/tmp/fines-test-socket', port: 5432, extra: { max: 1, idleTimeoutMillis: 0 } });
  });

  it('on PostgreSQL: the configured pool size and idle timeout, on the service’s own URL', async () => {
    const config = loadPlatformConfig(
      { DB_DRIVER: 'postgres', DB_POOL_SIZE: '7', DB_POOL_IDLE_TIMEOUT_MS: '30000', VIOLATIONS_DATABASE_URL: 'postgres://u@db:5432/v' },
      ['violations'],
    );
    expect(await dataSourceOptions('violations', database, config)).toMatchObject({
      url: 'postgres://u@db:5432/v',
      extra: { max: 7, idleTimeoutMillis: 30000 },
    });
  });
});
