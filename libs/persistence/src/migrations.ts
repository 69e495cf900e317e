import { DataSource } from 'typeorm';

const MIGRATION_LOCK = 727_001;

/** Runs pending migrations, one process at a time, so replicas starting together do not race. */
export async function runMigrationsLocked(dataSource: DataSource, lock = true): Promise<string[]> {
  if (!lock) return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
