import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseConfig, SERVICES, SERVICE_NODE_FLAGS, ServiceName } from '@app/platform';
import { ROOT, log, sleep } from './system';

export const LOG_DIR = join(ROOT, '.data/bench-logs');

/**
 * The violations service as the inquiry benchmarks run it: production mode, quiet logs, PostgreSQL,
 * in-process events (the read path never touches Kafka), no demo data, tokens signed with `secret`.
 */
export function inquiryServiceEnv(secret: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    AUTH_JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DB_DRIVER: 'postgres',
    EVENT_TRANSPORT: 'inprocess',
    DEMO_DATA: 'false',
  };
}

/** The bare inquiry route's environment (lib/bare-inquiry), with the service's pool settings, so both pools open and close connections alike. */
export function bareInquiryEnv(secret: string, databaseUrl: string, poolSize: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: secret,
    DB_POOL_SIZE: poolSize,
    DB_POOL_IDLE_TIMEOUT_MS: process.env.DB_POOL_IDLE_TIMEOUT_MS ?? String(new DatabaseConfig().DB_POOL_IDLE_TIMEOUT_MS),
    NODE_ENV: 'production',
  };
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, name: string, graceMs = 10000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  log(`stopped ${name} (pid ${child.pid})`);
}

/** Until `url` answers 200; fails when the process exits first. */
export async function waitHttp(url: string, child: ChildProcess, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${url}: the process exited with ${child.exitCode ?? child.signalCode} (see .data/bench-logs)`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export interface ServiceOptions {
  /** The service's database: set as DATABASE_URL and as its own URL variable, which wins over DATABASE_URL whatever this shell exports. */
  databaseUrl?: string;
  /** Run with --cpu-prof (profiles in .data/bench-logs/prof, for Chrome DevTools). */
  profile?: boolean;
  /** Log file name in .data/bench-logs when two processes of one service run at once (default `<service>.log`). */
  logName?: string;
}

/** One built service (`dist/apps/<service>/src/main.js`) as its own process, as `npm run start:<service>` runs it. */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  private readonly env: Record<string, string>;
  private readonly nodeArgs: string[];
  private readonly logName: string;

  constructor(
    readonly service: ServiceName,
    readonly port: number,
    env: Record<string, string>,
    options: ServiceOptions = {},
  ) {
    const url = options.databaseUrl;
    this.env = url ? { ...env, DATABASE_URL: url, [SERVICES[service].urlVariable]: url } : env;
    // exit-on-sigterm lets the process end by process.exit(), which writes the profile.
    this.logName = options.logName ?? `${service}.log`;
    this.nodeArgs = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(LOG_DIR, 'prof')}`, '-r', join(__dirname, 'exit-on-sigterm.js')] : [];
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  start(): void {
    const main = join(ROOT, `dist/apps/${this.service}/src/main.js`);
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    mkdirSync(LOG_DIR, { recursive: true });
    const logFile = createWriteStream(join(LOG_DIR, this.logName));
    this.child = spawn(process.execPath, [...this.nodeArgs, ...SERVICE_NODE_FLAGS, main], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.pipe(logFile);
    this.child.stderr!.pipe(logFile);
    const child = this.child;
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
    log(`started ${this.service} (pid ${child.pid}, port ${this.port}, log .data/bench-logs/${this.logName})`);
  }

  /** Waits for /health/ready: database migrated, broker reachable. */
  async ready(timeoutMs = 90000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) throw new Error(`${this.service} exited with ${this.child?.exitCode} before it was ready (see .data/bench-logs)`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/health/ready`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`${this.service} was not ready within ${timeoutMs} ms`);
  }

  /** SIGTERM (graceful: the relay and the consumers stop cleanly), SIGKILL after `graceMs`. */
  async stop(graceMs = 20000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    log(`stopped ${this.service} (pid ${child.pid})`);
  }
}
