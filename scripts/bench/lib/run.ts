import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessagingConfig } from '@app/platform';
import { CpuGroups, CpuUsage, ROOT, cpuBetween, cpuSnapshot, log, pidsNamed, portOpen, runScript, sleep } from './system';

/**
 * What every benchmark run shares: its flags, its clean-up steps, the broker it may have to start,
 * and the wait for a quiet machine before it measures.
 */

/**
 * Numeric flags `--name N` or `--name=N` (0 only where `zeroAllowed`), boolean flags `--name`, and
 * `--help`. `names` maps each flag to its key in `defaults`, which is returned filled in.
 */
export function parseFlags<F extends Record<string, number | boolean>>(
  argv: string[],
  defaults: F,
  names: Record<string, keyof F>,
  usage: string,
  zeroAllowed: (keyof F)[] = [],
): F {
  const flags = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    if (name === '--help' || name === '-h') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    const key = names[name];
    if (key !== undefined && typeof defaults[key] === 'boolean') {
      (flags as Record<keyof F, number | boolean>)[key] = true;
      continue;
    }
    const value = Number(inline ?? argv[++i]);
    if (key === undefined || !Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed.includes(key)))
      throw new Error(`bad argument ${argv[i]}\n${usage}`);
    (flags as Record<keyof F, number | boolean>)[key] = value;
  }
  return flags;
}

/** Clean-up steps, run last-in first-out at the end of the run or on Ctrl-C; a failing step is logged and the rest still run. */
export class Cleanups {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];

  constructor() {
    process.once('SIGINT', () => {
      log('interrupted; cleaning up');
      void this.runAll().finally(() => process.exit(130));
    });
  }

  push(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  async runAll(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      await step.run().catch((error: unknown) => log(`clean-up ${step.name} failed: ${(error as Error).message}`));
    }
  }
}

/** Starts the broker with scripts/infra/kafka-up.sh when nothing listens on the first of `brokers`, and stops it again at the end. */
export async function ensureBroker(brokers: string, cleanups: Cleanups): Promise<void> {
  const [host, port] = brokers.split(',')[0].trim().split(':');
  if (await portOpen(host, Number(port))) return;
  log(`nothing listens on ${brokers}: starting the broker with scripts/infra/kafka-up.sh (stopped again at the end)`);
  runScript('scripts/infra/kafka-up.sh', []);
  cleanups.push('kafka-down', () => Promise.resolve(runScript('scripts/infra/kafka-down.sh', [])));
}

/** The broker a benchmark uses: KAFKA_BROKERS, or the local one that scripts/infra/kafka-up.sh starts. */
export const BENCH_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/** What every broker benchmark does first: the broker up (started now and stopped at the end if none listens), and its own ports free. */
export async function startBrokerBench(cleanups: Cleanups, ports: number[]): Promise<void> {
  await ensureBroker(BENCH_BROKERS, cleanups);
  await refuseBusyPorts(ports);
}

export async function refuseBusyPorts(ports: number[]): Promise<void> {
  for (const port of ports) if (await portOpen('127.0.0.1', port)) throw new Error(`port ${port} is in use`);
}

/** The broker's JVM, when scripts/infra/kafka-up.sh started it. */
export function readKafkaPid(): number | undefined {
  const file = join(ROOT, '.data/kafka/kafka.pid');
  const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
  return Number.isInteger(pid) && existsSync(`/proc/${pid}`) ? pid : undefined;
}

/** The broker and PostgreSQL, for CPU accounting. */
export function infraGroups(): CpuGroups {
  const kafkaPid = readKafkaPid();
  return { kafka: () => (kafkaPid ? [kafkaPid] : []), postgres: () => pidsNamed('postgres') };
}

/** Waits up to `seconds` for the machine to be under 25% busy; answers the load measured last (2 s). */
export async function waitForQuietMachine(seconds: number): Promise<CpuUsage> {
  const groups = infraGroups();
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const before = cpuSnapshot(groups);
    await sleep(2000);
    const load = cpuBetween(before, cpuSnapshot(groups));
    log(`background load: machine ${Math.round(load.machineBusy * 100)}% busy`);
    if (load.machineBusy < 0.25 || Date.now() > until) return load;
  }
}

/** Writes a run's figures to bench-results/<name>-<timestamp>.json; answers the file. */
export function writeBenchResult(name: string, startedAt: Date, result: object): string {
  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** The services' consumer fetch settings, from the environment or MessagingConfig's defaults: a bare baseline consumer fetches like them. */
export function serviceFetch(): { minBytes: number; maxWaitTimeInMs: number } {
  const defaults = new MessagingConfig();
  return {
    minBytes: envInt('KAFKA_FETCH_MIN_BYTES', defaults.KAFKA_FETCH_MIN_BYTES),
    maxWaitTimeInMs: envInt('KAFKA_FETCH_MAX_WAIT_MS', defaults.KAFKA_FETCH_MAX_WAIT_MS),
  };
}

/** A numeric setting from the environment, or `fallback` when it is unset or empty. */
export function envInt(name: string, fallback: number): number {
  const value = process.env[name];
  return value ? Number(value) : fallback;
}
