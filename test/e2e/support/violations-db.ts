import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { VIOLATIONS_MIGRATIONS } from '../../../apps/violations/src/violations.module';
import { PG_BASE, recreateDatabases } from './stack';

/**
 * violations' database alone, recreated under its own suffix by the project's script and migrated, for
 * specs that talk to PostgreSQL without the services: its URL, and the data source that migrated it
 * (still open; `max` sizes its pool).
 */
export async function migratedViolationsDatabase(suffix: string, max?: number): Promise<{ url: string; dataSource: DataSource }> {
  recreateDatabases(suffix, ['fines_violations']);
  const url = `${PG_BASE}/fines_violations${suffix}`;
  const dataSource = new DataSource({ type: 'postgres', url, migrations: VIOLATIONS_MIGRATIONS, migrationsRun: false, ...(max ? { extra: { max } } : {}) });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return { url, dataSource };
}
