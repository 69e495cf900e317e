import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';

/** The repository root (this file runs from dist/scripts/bench/lib or scripts/bench/lib). */
export const ROOT = resolve(__dirname, existsSync(resolve(__dirname, '../../../package.json')) ? '../../..' : '../../../..');

/**
 * Wall-clock milliseconds. Every time the benchmark compares comes from this machine's realtime
 * clock: Date.now() here and in the child process, PostgreSQL's clock_timestamp()/now() in the databases.
 */
export const now = (): number => Date.now();

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

/** Answers whether something accepts TCP connections on host:port. */
export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export function runScript(script: string, args: string[], env: Record<string, string> = {}): void {
  execFileSync('bash', [resolve(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The benchmarks' PostgreSQL server (BENCH_PG_BASE, no database): every database they create, fill and serve is on it. */
export const PG_BASE = process.env.BENCH_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432';

/** Drops and creates `names` with `suffix` (scripts/infra/db-create.sh) on PG_BASE's server, not on the script's default one. */
export function recreateDatabases(suffix: string, names: string[]): void {
  runScript('scripts/infra/db-create.sh', ['--drop-first'], { PG_BASE, DB_SUFFIX: suffix, DB_NAMES: names.join(' ') });
}

/**
 * Paces writes: every `tickMs` it hands `emit` the number of events due since the start at
 * `ratePerSec`, so a slow tick is caught up by the next one instead of silently lowering the rate.
 */
export async function paced(
  ratePerSec: number,
  durationMs: number,
  tickMs: number,
  emit: (count: number) => Promise<void>,
): Promise<{ sent: number; elapsedMs: number }> {
  const start = now();
  const total = Math.floor((ratePerSec * durationMs) / 1000);
  let sent = 0;
  for (let tick = 1; sent < total; tick++) {
    const due = Math.min(total, Math.floor((ratePerSec * (now() - start)) / 1000)) - sent;
    if (due > 0) {
      await emit(due);
      sent += due;
    }
    const wait = start + tick * tickMs - now();
    if (wait > 0) await sleep(wait);
  }
  return { sent, elapsedMs: now() - start };
}

/** CPU seconds used by named groups of processes between two snapshots (from /proc, clock ticks of 10 ms). */
export type CpuGroups = Record<string, () => number[]>;

export interface CpuSnapshot {
  at: number;
  groups: Record<string, number>;
  /** Busy jiffies of the whole machine (all cores). */
  machineBusy: number;
}

const TICK_S = 0.01;

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The machine's CPU ticks since boot (/proc/stat): busy (steal included), interrupts and softirq, and the host's steal. */
export function machineTicks(): { busy: number; irq: number; steal: number } {
  const [line] = readFileSync('/proc/stat', 'utf8').split('\n');
  const [, ...values] = line.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return { busy: user + nice + system + irq + softirq + steal, irq: irq + softirq, steal };
}

/** All processes whose command name starts with `prefix` (e.g. every PostgreSQL backend). */
export function pidsNamed(prefix: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith(prefix)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export function cpuSnapshot(groups: CpuGroups): CpuSnapshot {
  const out: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) out[name] = pids().reduce((sum, pid) => sum + processTicks(pid), 0);
  return { at: now(), groups: out, machineBusy: machineTicks().busy };
}

export interface CpuUsage {
  wallSeconds: number;
  /** CPU seconds per group, and `other` for everything else on the machine (other engineers' work included). */
  cpuSeconds: Record<string, number>;
  /** Share of the machine's cores that were busy, 0..1. */
  machineBusy: number;
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUsage {
  const wallSeconds = (b.at - a.at) / 1000;
  const cpuSeconds: Record<string, number> = {};
  let known = 0;
  for (const name of Object.keys(b.groups)) {
    const used = Math.max(0, (b.groups[name] - (a.groups[name] ?? 0)) * TICK_S);
    cpuSeconds[name] = round(used, 2);
    known += used;
  }
  const busy = (b.machineBusy - a.machineBusy) * TICK_S;
  cpuSeconds.other = round(Math.max(0, busy - known), 2);
  return { wallSeconds: round(wallSeconds, 2), cpuSeconds, machineBusy: round(busy / Math.max(wallSeconds, 0.001) / cpus().length, 2) };
}

export function machineInfo(): Record<string, unknown> {
  const cores = cpus();
  return { cpus: cores.length, cpuModel: cores[0]?.model, loadavg: loadavg().map((l) => round(l, 2)), node: process.version, platform: process.platform };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const DAMON_ADMIN = '/sys/kernel/mm/damon/admin/kdamonds';

/** One of the kernel's DAMON workers (kdamond) as its sysfs admin directory shows it. */
export interface Kdamond {
  index: number;
  /** 'on' or 'off'. */
  state: string;
  /** How often it samples its regions' accessed bits, in µs (the first context's). */
  sampleUs?: number;
  /** What its first scheme does with the regions it finds cold ('pageout', say). */
  action?: string;
}

function readSys(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * The kernel's DAMON workers: none where the kernel has no DAMON sysfs interface. On this project's
 * machines one samples all physical memory every 500 ms and pages out what it finds cold (the
 * README's "Benchmarks"); each pass takes a core for a few milliseconds, and a paced phase's
 * requests that meet it wait: clusters of slow answers every ~510 ms, which set a 10 s phase's p99
 * at 1,400 civil IDs/s (not the only cause at higher rates: README, run N).
 */
export function kdamonds(): Kdamond[] {
  const count = Number(readSys(`${DAMON_ADMIN}/nr_kdamonds`) ?? 0);
  return Array.from({ length: count }, (_, index) => {
    const dir = `${DAMON_ADMIN}/${index}`;
    const sampleUs = Number(readSys(`${dir}/contexts/0/monitoring_attrs/intervals/sample_us`));
    return {
      index,
      state: readSys(`${dir}/state`) ?? 'unknown',
      sampleUs: Number.isFinite(sampleUs) ? sampleUs : undefined,
      action: readSys(`${dir}/contexts/0/schemes/0/action`),
    };
  });
}

/**
 * Turns off every running kdamond (root only) and answers the clean-up that turns them on again,
 * with the parameters they had: their sysfs files stay as they were. For --pause-damon, so that a
 * run can measure the service without the kernel's sampling passes as well as with them.
 */
export function pauseKdamonds(): () => void {
  const paused = kdamonds().filter((k) => k.state === 'on');
  for (const k of paused) writeFileSync(`${DAMON_ADMIN}/${k.index}/state`, 'off');
  return () => {
    for (const k of paused) writeFileSync(`${DAMON_ADMIN}/${k.index}/state`, 'on');
  };
}
