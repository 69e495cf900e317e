import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { SERVICES, SERVICE_NODE_FLAGS, ServiceName } from '@app/platform';

export const ROOT = resolve(__dirname, '../../..');
const LOG_DIR = join(ROOT, '.data/e2e-logs');
export const DB_SUFFIX = '_e2e';
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const PG_BASE = process.env.E2E_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432';

export function databaseUrl(service: ServiceName): string {
  return `${PG_BASE}/${SERVICES[service].database}${DB_SUFFIX}`;
}

/** Fresh, empty databases on PG_BASE's server, made by the project's own script: every service's, or `names`. */
export function recreateDatabases(suffix = DB_SUFFIX, names?: string[]): void {
  execFileSync('bash', [join(ROOT, 'scripts/infra/db-create.sh'), '--drop-first'], {
    env: { ...process.env, PG_BASE, DB_SUFFIX: suffix, ...(names ? { DB_NAMES: names.join(' ') } : {}) },
    stdio: 'pipe',
  });
}

export async function query<T = Record<string, unknown>>(service: ServiceName, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl(service) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function countOf(service: ServiceName, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await query<{ count: string }>(service, sql, params);
  return Number(row.count);
}

let launches = 0;

/** One service as its own process, as `npm run start:<service>` runs it, on real PostgreSQL and Kafka. */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  readonly port: number;

  constructor(
    readonly service: ServiceName,
    private readonly env: Record<string, string> = {},
  ) {
    this.port = SERVICES[service].port + 100;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(extraEnv: Record<string, string> = {}): void {
    mkdirSync(LOG_DIR, { recursive: true });
    const log = createWriteStream(join(LOG_DIR, `${this.service}-${++launches}.log`));
    this.child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(ROOT, `dist/apps/${this.service}/src/main.js`)], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: String(this.port),
        DB_DRIVER: 'postgres',
        DATABASE_URL: databaseUrl(this.service),
        EVENT_TRANSPORT: 'kafka',
        KAFKA_BROKERS,
        KAFKA_SESSION_TIMEOUT_MS: '6000',
        KAFKA_HEARTBEAT_INTERVAL_MS: '500',
        CONSUMER_MAX_ATTEMPTS: '3',
        CONSUMER_RETRY_BASE_MS: '50',
        OUTBOX_POLL_INTERVAL_MS: '200',
        ...this.env,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.pipe(log);
    this.child.stderr!.pipe(log);
    const child = this.child;
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  /** Waits for /health/ready to answer 200: database migrated, broker reachable, consumers joined. */
  async ready(timeoutMs = 60000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) throw new Error(`${this.service} exited with ${this.child?.exitCode} before it was ready`);
      try {
        const response = await fetch(`${this.url}/health/ready`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`${this.service} was not ready within ${timeoutMs} ms`);
  }

  async startReady(extraEnv: Record<string, string> = {}): Promise<void> {
    this.start(extraEnv);
    await this.ready();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, as an orchestrator stops a pod; answers the exit code. */
  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.exited!;
  }

  waitForExit(): Promise<number | null> {
    return this.exited ?? Promise.resolve(null);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> /* eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any route */ {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 30000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
