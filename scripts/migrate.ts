/**
 * npm run migrate [-- <service> ...]: runs the pending migrations of each service's own database
 * (all four by default), the same migrations every service runs at start, under the same lock.
 * Reads the same variables as the services: DATABASE_URL or <SERVICE>_DATABASE_URL, DB_DRIVER.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreateMessagingTables1763798400000 } from '@app/messaging';
import { dataSourceOptions, runMigrationsLocked } from '@app/persistence';
import { SERVICE_NAMES, ServiceName, configure } from '@app/platform';
import { PAYMENTS_MIGRATIONS } from '../apps/payment-gateway/src/payment-gateway.module';
import { REGISTRY_MIGRATIONS } from '../apps/vehicle-registry/src/vehicle-registry.module';
import { VIOLATIONS_MIGRATIONS } from '../apps/violations/src/violations.module';

const MIGRATIONS: Record<ServiceName, unknown[]> = {
  'vehicle-registry': REGISTRY_MIGRATIONS,
  violations: VIOLATIONS_MIGRATIONS,
  'payment-gateway': PAYMENTS_MIGRATIONS,
  notification: [],
};

async function main(): Promise<void> {
  Logger.overrideLogger(['warn', 'error']);
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((s) => !SERVICE_NAMES.includes(s as ServiceName));
  if (unknown.length > 0) throw new Error(`unknown service ${unknown.join(', ')}; choose from ${SERVICE_NAMES.join(', ')}`);
  const services = (wanted.length > 0 ? wanted : SERVICE_NAMES) as ServiceName[];
  const config = configure({ name: 'migrate', services, title: 'migrate', defaults: { DB_DRIVER: 'postgres', EVENT_TRANSPORT: 'kafka' }, imports: () => [] });
  if (config.database.DB_DRIVER !== 'postgres') throw new Error('npm run migrate is for PostgreSQL; the embedded default migrates itself at start');
  for (const service of services) {
    const options = await dataSourceOptions(
      service,
      { entities: [], migrations: [CreateMessagingTables1763798400000, ...MIGRATIONS[service]] as never },
      config,
    );
    const dataSource = await new DataSource(options).initialize();
    try {
      const applied = await runMigrationsLocked(dataSource);
      process.stdout.write(`${service}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}\n`);
    } finally {
      await dataSource.destroy();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate failed: ${(error as Error).message}\n`);
  process.exit(1);
});
