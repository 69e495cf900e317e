import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { CpuUsage, machineTicks, round } from './system';

/**
 * CPU seconds by named groups of processes, counted pid by pid. lib/system's cpuSnapshot sums each
 * group's pids at both ends and subtracts the sums: when a group's processes come and go during a
 * phase (PostgreSQL backends: a pool closes idle connections after 10 s and opens new ones) the
 * CPU of the ones that left is subtracted from the phase, and the group's work lands in "other".
 * Here each pid is compared with itself; a pid that appears during the phase counts in full.
 * Also split out: interrupt and softirq time (on this machine mostly the loopback network stack
 * that carries the benchmark's own HTTP and PostgreSQL traffic), which no process is charged for,
 * and steal: time the host ran something else while this virtual machine had work (other machines'
 * jobs; on these shared hosts it comes in bursts that stop every process here at once).
 */
export type PidGroups = Record<string, () => number[]>;

export interface PidSnapshot {
  at: number;
  groups: Record<string, Map<number, number>>;
  busy: number;
  irq: number;
  steal: number;
}

const TICK_S = 0.01;

function ticksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

export function pidSnapshot(groups: PidGroups): PidSnapshot {
  const out: Record<string, Map<number, number>> = {};
  for (const [name, pids] of Object.entries(groups)) {
    const m = new Map<number, number>();
    for (const pid of pids()) {
      const t = ticksOf(pid);
      if (t !== undefined) m.set(pid, t);
    }
    out[name] = m;
  }
  return { at: Date.now(), groups: out, ...machineTicks() };
}

export function pidCpuBetween(a: PidSnapshot, b: PidSnapshot): CpuUsage {
  const wallSeconds = (b.at - a.at) / 1000;
  const cpuSeconds: Record<string, number> = {};
  let known = 0;
  for (const [name, now] of Object.entries(b.groups)) {
    const before = a.groups[name] ?? new Map<number, number>();
    let ticks = 0;
    for (const [pid, t] of now) ticks += Math.max(0, t - (before.get(pid) ?? 0));
    cpuSeconds[name] = round(ticks * TICK_S, 2);
    known += ticks * TICK_S;
  }
  const irq = (b.irq - a.irq) * TICK_S;
  const steal = (b.steal - a.steal) * TICK_S;
  const busy = (b.busy - a.busy) * TICK_S;
  cpuSeconds['kernel irq/softirq'] = round(irq, 2);
  cpuSeconds['host steal'] = round(steal, 2);
  cpuSeconds.other = round(Math.max(0, busy - known - irq - steal), 2);
  return { wallSeconds: round(wallSeconds, 2), cpuSeconds, machineBusy: round(busy / Math.max(wallSeconds, 0.001) / cpus().length, 2) };
}
