import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { ConfigError, Env, readEnv } from './env';
import { NotificationConfig, notificationConfigProblems, productionNotificationProblems } from './notification.config';
import type { ServiceName } from '../services';

export const DEV_JWT_SECRET = 'development-only-jwt-secret-not-for-production!';

export class AppConfig {
  @Env('development, test or production. Production refuses development secrets.')
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Env('HTTP port. Embedded default 3000; distributed 3001-3004 by service.')
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Env('Address the HTTP server binds to.')
  @IsString()
  HOST = '0.0.0.0';

  @Env('pino log level: fatal, error, warn, info, debug, trace or silent.')
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Env('Seed the deterministic demo data set into empty databases at start (the embedded default turns it on).')
  @IsIn(['true', 'false'])
  DEMO_DATA: 'true' | 'false' = 'false';

  @Env('How long SIGTERM waits for in-flight requests and event batches before exiting, in ms.')
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 15000;
}

export class AuthConfig {
  @Env('HS256 key for bearer tokens; 32 bytes or more. Outside production a development key is used when unset.', { secret: true })
  @IsOptional()
  @IsString()
  @MinLength(32)
  AUTH_JWT_SECRET?: string;

  @Env('JWKS URL for RS256 tokens; when set, it is used instead of AUTH_JWT_SECRET.')
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUTH_JWKS_URL?: string;

  @Env('Expected `iss` claim, when set.')
  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  @Env('Expected `aud` claim, when set.')
  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;
}

export class DatabaseConfig {
  @Env('postgres (distributed) or pglite (embedded, on disk under PGLITE_DIR).')
  @IsIn(['postgres', 'pglite'])
  DB_DRIVER: 'postgres' | 'pglite' = 'postgres';

  @Env("This service's PostgreSQL URL. Default postgres://postgres@127.0.0.1:5432/fines_<service>.", { secret: true })
  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  @Env('vehicle-registry database URL when several services share one process.', { secret: true })
  @IsOptional()
  @IsString()
  REGISTRY_DATABASE_URL?: string;

  @Env('violations database URL when several services share one process.', { secret: true })
  @IsOptional()
  @IsString()
  VIOLATIONS_DATABASE_URL?: string;

  @Env('payment-gateway database URL when several services share one process.', { secret: true })
  @IsOptional()
  @IsString()
  PAYMENTS_DATABASE_URL?: string;

  @Env('notification database URL when several services share one process.', { secret: true })
  @IsOptional()
  @IsString()
  NOTIFICATION_DATABASE_URL?: string;

  @Env('Connections per data source (PostgreSQL). PGlite always uses one.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  @Env(
    'How long a pooled PostgreSQL connection may stay idle before the pool closes it, in ms (0: never). A new connection is a new PostgreSQL backend: a fork and cold caches, several ms on the first queries.',
  )
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600000)
  DB_POOL_IDLE_TIMEOUT_MS = 60000;

  @Env(
    'PostgreSQL: run the inquiry reads as named prepared statements, planned once per connection (planning took longer than running them). false behind a pooler in transaction mode that does not keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements). PGlite never prepares them.',
  )
  @IsIn(['true', 'false'])
  DB_PREPARED_STATEMENTS: 'true' | 'false' = 'true';

  @Env('Where the embedded PGlite databases keep their files.')
  @IsString()
  PGLITE_DIR = '.data/pglite';
}

export class MessagingConfig {
  @Env('kafka (distributed) or inprocess (embedded).')
  @IsIn(['kafka', 'inprocess'])
  EVENT_TRANSPORT: 'kafka' | 'inprocess' = 'kafka';

  @Env('Comma-separated Kafka bootstrap servers.')
  @IsString()
  KAFKA_BROKERS = '127.0.0.1:9092';

  @Env('Partitions of each topic created at start.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_TOPIC_PARTITIONS = 6;

  @Env('Replication factor of each topic created at start.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  KAFKA_REPLICATION_FACTOR = 1;

  @Env('Consumer session timeout in ms: how long a dead consumer holds its partitions.')
  @Type(() => Number)
  @IsInt()
  @Min(3000)
  KAFKA_SESSION_TIMEOUT_MS = 30000;

  @Env('Consumer heartbeat interval in ms.')
  @Type(() => Number)
  @IsInt()
  @Min(100)
  KAFKA_HEARTBEAT_INTERVAL_MS = 3000;

  @Env('Partitions one consumer handles at once.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY = 3;

  @Env('Bytes a consumer fetch waits for before the broker answers (fetch.min.bytes): larger batches, fewer transactions.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  KAFKA_FETCH_MIN_BYTES = 32768;

  @Env('Longest a consumer fetch waits for KAFKA_FETCH_MIN_BYTES, in ms (fetch.max.wait.ms).')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  KAFKA_FETCH_MAX_WAIT_MS = 20;

  @Env('Attempts of a failing event handler before the event is dead-lettered.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  CONSUMER_MAX_ATTEMPTS = 5;

  @Env('First retry delay in ms; doubles each attempt.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CONSUMER_RETRY_BASE_MS = 200;

  @Env('Longest retry delay in ms.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CONSUMER_RETRY_MAX_MS = 10000;

  @Env('Outbox rows the relay publishes per batch.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  OUTBOX_BATCH_SIZE = 500;

  @Env('How often the relay looks for rows it was not woken for (other processes, restarts), in ms.')
  @Type(() => Number)
  @IsInt()
  @Min(10)
  OUTBOX_POLL_INTERVAL_MS = 1000;

  @Env('How long the relay waits after a wake-up before it reads, in ms, so that commits close together leave in one batch.')
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  OUTBOX_LINGER_MS = 5;

  @Env('Test-only fault injection: exit-after-publish makes the relay exit after publishing, before marking. Refused in production.')
  @IsOptional()
  @IsIn(['exit-after-publish'])
  OUTBOX_FAULT?: 'exit-after-publish';
}

export const SIM_BANK_SECRET = 'sim-bank-dev-secret';

export class PaymentsConfig {
  @Env(
    'JSON object of bank code to HMAC secret for bank callbacks, e.g. {"nbk":"..."}. Outside production `sim` has a development secret; production payment-gateway refuses to start without a bank (this or `KNET_TERMINALS`) or with a simulator secret.',
    { secret: true },
  )
  @IsOptional()
  @IsString()
  BANK_SECRETS?: string;

  @Env(
    'JSON object of KNET-style bank code to the terminal resource key (16 characters: AES-128 key and IV). Outside production `knet-sim` has a development key.',
    { secret: true },
  )
  @IsOptional()
  @IsString()
  KNET_TERMINALS?: string;

  @Env('Minutes a pending payment holds its fines before it expires.')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  PAYMENT_EXPIRY_MINUTES = 15;

  @Env('How often the expiry job looks for pending payments past their expiry, in ms.')
  @Type(() => Number)
  @IsInt()
  @Min(100)
  PAYMENT_EXPIRY_SWEEP_MS = 30000;

  @Env('The public URL of this service, for bank redirect URLs (default http://localhost:<PORT>).')
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string;
}

export interface PlatformConfig {
  app: AppConfig;
  auth: AuthConfig;
  database: DatabaseConfig;
  messaging: MessagingConfig;
  payments: PaymentsConfig;
  notification: NotificationConfig;
}

export const KNET_SIM_RESOURCE_KEY = 'knetsim-devkey16';

/** payment-gateway in production: at least one real bank, and no simulator key anywhere. */
function productionBankProblems(payments: PaymentsConfig): string[] {
  const parse = (json?: string): Record<string, string> => {
    try {
      return (JSON.parse(json ?? '{}') as Record<string, string> | null) ?? {};
    } catch {
      return {}; // already named as malformed above
    }
  };
  const secrets = parse(payments.BANK_SECRETS);
  const terminals = parse(payments.KNET_TERMINALS);
  const problems: string[] = [];
  if (Object.keys(secrets).length + Object.keys(terminals).length === 0)
    problems.push('BANK_SECRETS: production payment-gateway needs at least one bank (BANK_SECRETS or KNET_TERMINALS)');
  if (Object.values(secrets).includes(SIM_BANK_SECRET)) problems.push("BANK_SECRETS: the bank simulator's development secret is refused in production");
  if (Object.values(terminals).includes(KNET_SIM_RESOURCE_KEY)) problems.push("KNET_TERMINALS: the simulator's development key is refused in production");
  return problems;
}

/** KNET-style bank code to terminal resource key; outside production `knet-sim` is always there. */
export function knetTerminals(config: PlatformConfig): Map<string, string> {
  const terminals = new Map<string, string>(Object.entries(JSON.parse(config.payments.KNET_TERMINALS ?? '{}') as Record<string, string>));
  if (config.app.NODE_ENV !== 'production' && !terminals.has('knet-sim')) terminals.set('knet-sim', KNET_SIM_RESOURCE_KEY);
  return terminals;
}

/** Bank code to callback secret; outside production the simulator's `sim` bank is always there. */
export function bankSecrets(config: PlatformConfig): Map<string, string> {
  const secrets = new Map<string, string>(Object.entries(JSON.parse(config.payments.BANK_SECRETS ?? '{}') as Record<string, string>));
  if (config.app.NODE_ENV !== 'production' && !secrets.has('sim')) secrets.set('sim', SIM_BANK_SECRET);
  return secrets;
}

/**
 * Reads and checks all configuration at once, so one boot names every problem. `services` are the
 * services this process runs: production checks what those services need (a bank secret for
 * payment-gateway, say).
 */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env, services: readonly ServiceName[] = []): PlatformConfig {
  const app = readEnv(AppConfig, env);
  const auth = readEnv(AuthConfig, env);
  const database = readEnv(DatabaseConfig, env);
  const messaging = readEnv(MessagingConfig, env);
  const payments = readEnv(PaymentsConfig, env);
  const notification = readEnv(NotificationConfig, env);
  const problems = [...app.problems, ...auth.problems, ...database.problems, ...messaging.problems, ...payments.problems, ...notification.problems];
  if (notification.problems.length === 0) problems.push(...notificationConfigProblems(notification.value));
  if (payments.value.KNET_TERMINALS !== undefined) {
    try {
      const parsed: unknown = JSON.parse(payments.value.KNET_TERMINALS);
      if (typeof parsed !== 'object' || parsed === null || Object.values(parsed).some((v) => typeof v !== 'string' || Buffer.byteLength(v) !== 16))
        throw new Error('shape');
    } catch {
      problems.push('KNET_TERMINALS: must be a JSON object of bank code to a 16-byte resource key');
    }
  }
  if (payments.value.BANK_SECRETS !== undefined) {
    try {
      const parsed: unknown = JSON.parse(payments.value.BANK_SECRETS);
      if (typeof parsed !== 'object' || parsed === null || Object.values(parsed).some((v) => typeof v !== 'string' || v.length < 16)) throw new Error('shape');
    } catch {
      problems.push('BANK_SECRETS: must be a JSON object of bank code to a secret of 16 characters or more');
    }
  }
  if (app.value.NODE_ENV === 'production') {
    const secret = auth.value.AUTH_JWT_SECRET;
    if (!auth.value.AUTH_JWKS_URL && (!secret || secret === DEV_JWT_SECRET)) {
      problems.push('AUTH_JWT_SECRET: production needs a secret of 32 bytes or more (or AUTH_JWKS_URL), not the development one');
    }
    if (messaging.value.OUTBOX_FAULT) problems.push('OUTBOX_FAULT: fault injection is refused in production');
    if (database.value.DB_DRIVER === 'pglite') problems.push('DB_DRIVER: pglite is for the embedded default, not production');
    if (services.includes('payment-gateway')) problems.push(...productionBankProblems(payments.value));
    if (services.includes('notification') && notification.problems.length === 0) problems.push(...productionNotificationProblems(notification.value));
  }
  if (database.value.DB_DRIVER === 'postgres' && database.value.DB_POOL_SIZE < 2) {
    problems.push('DB_POOL_SIZE: PostgreSQL needs 2 or more connections (the outbox relay holds one for its leadership lock)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { app: app.value, auth: auth.value, database: database.value, messaging: messaging.value, payments: payments.value, notification: notification.value };
}
