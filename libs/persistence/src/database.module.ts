import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { PLATFORM_CONFIG, PlatformConfig, ReadinessRegistry, SERVICES, ServiceName } from '@app/platform';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrationsLocked } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { TypeOrmLogger } from './typeorm-logger';
import { TransactionHost } from './transaction-host';

type EntityList = MixedList<string | Function>; // eslint-disable-line @typescript-eslint/no-unsafe-function-type

export interface ServiceDatabase {
  entities: EntityList;
  migrations: EntityList;
}

export function transactionHostToken(service: ServiceName): string {
  return `TransactionHost:${service}`;
}

export const InjectTransactionHost = (service: ServiceName) => Inject(transactionHostToken(service));
export const InjectDataSource = (service: ServiceName) => Inject(getDataSourceToken(service));

/** The PostgreSQL URL of a service: its own variable, then DATABASE_URL, then the local default. */
export function databaseUrl(service: ServiceName, config: PlatformConfig): string {
  const own = config.database[SERVICES[service].urlVariable];
  return own ?? config.database.DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/${SERVICES[service].database}`;
}

export async function dataSourceOptions(
  service: ServiceName,
  database: ServiceDatabase,
  config: PlatformConfig,
  embedded?: EmbeddedPostgres,
): Promise<DataSourceOptions> {
  const common = {
    type: 'postgres' as const,
    name: service,
    entities: database.entities,
    migrations: database.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsRun: false,
    installExtensions: false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: ['error', 'warn', 'migration'] as ('error' | 'warn' | 'migration')[],
    logger: new TypeOrmLogger(service),
    maxQueryExecutionTime: 1000,
  };
  if (config.database.DB_DRIVER === 'pglite') {
    if (!embedded) throw new Error('PGlite needs the EmbeddedPostgres provider');
    const { host, port } = await embedded.connectionFor(service, config.database.PGLITE_DIR);
    // Its one connection stays open: pg-pool would close it after 10 s idle, and pglite-socket, which
    // serves one connection at a time, may refuse the next while it still closes the old one (EPIPE).
    return { ...common, host, port, username: 'postgres', database: 'postgres', extra: { max: 1, idleTimeoutMillis: 0, application_name: service } };
  }
  return {
    ...common,
    url: databaseUrl(service, config),
    extra: {
      max: config.database.DB_POOL_SIZE,
      idleTimeoutMillis: config.database.DB_POOL_IDLE_TIMEOUT_MS,
      application_name: service,
      connectionTimeoutMillis: 10000,
      keepAlive: true,
    },
  };
}

@Module({ providers: [EmbeddedPostgres], exports: [EmbeddedPostgres] })
class EmbeddedPostgresModule {}

/**
 * A service's own database: a named TypeORM data source (named after the service, so the four
 * services can share one process and still never share a table), its migrations run at start
 * under an advisory lock, and its TransactionHost.
 */
@Module({})
export class DatabaseModule {
  static forService(service: ServiceName, database: ServiceDatabase): DynamicModule {
    class ReadinessCheck implements OnModuleInit {
      constructor(
        @Inject(getDataSourceToken(service)) private readonly dataSource: DataSource,
        private readonly readiness: ReadinessRegistry,
      ) {}
      onModuleInit(): void {
        this.readiness.register(`database:${service}`, async () => {
          await this.dataSource.query('SELECT 1');
        });
      }
    }
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          name: service,
          imports: [EmbeddedPostgresModule],
          inject: [PLATFORM_CONFIG, EmbeddedPostgres],
          useFactory: (config: PlatformConfig, embedded: EmbeddedPostgres) => dataSourceOptions(service, database, config, embedded),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            // A single-connection pool (PGlite) cannot hold the lock on one connection and migrate on another.
            await runMigrationsLocked(dataSource, (options as { extra?: { max?: number } }).extra?.max !== 1);
            return dataSource;
          },
        }),
        TypeOrmModule.forFeature(database.entities as Function[], service), // eslint-disable-line @typescript-eslint/no-unsafe-function-type
      ],
      providers: [
        {
          provide: transactionHostToken(service),
          inject: [getDataSourceToken(service), PLATFORM_CONFIG],
          // Not on PGlite: its one session outlives the sockets of its pool, and a new socket would prepare a statement the session already has.
          useFactory: (ds: DataSource, config: PlatformConfig) =>
            new TransactionHost(ds, config.database.DB_DRIVER === 'postgres' && config.database.DB_PREPARED_STATEMENTS === 'true'),
        },
        ReadinessCheck,
      ],
      exports: [transactionHostToken(service), TypeOrmModule],
    };
  }
}
