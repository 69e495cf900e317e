import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { VIOLATIONS_MIGRATIONS } from '../../../apps/violations/src/violations.module';
import { ROOT } from './stack';

/**
 * violations' database alone, recreated under its own suffix by the project's script and migrated, for
 * specs that talk to PostgreSQL without the services: its URL, and the data source that migrated it
 * (still open; `max` sizes its pool).
 */
export async function migratedViolationsDatabase(suffix: string, max?: number): Promise<{ url: string; dataSource: DataSource }> {
  execFileSync('bash', [join(ROOT, 'scripts/infra/db-create.sh'), '--drop-first'], {
    env: { ...process.env, DB_SUFFIX: suffix, DB_NAMES: 'fines_violations' },
    stdio: 'pipe',
  });
  const url = `${process.env.E2E_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432'}/fines_violations${suffix}`;
  const dataSource = new DataSource({ type: 'postgres', url, migrations: VIOLATIONS_MIGRATIONS, migrationsRun: false, ...(max ? { extra: { max } } : {}) });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return { url, dataSource };
}
