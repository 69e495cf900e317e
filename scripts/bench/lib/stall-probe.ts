import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { summarize } from './stats';
import { round } from './system';

/** A gap in a busy loop longer than this is a stall: the loop itself goes round in microseconds. */
export const STALL_MS = 2;

/**
 * The machine's own stalls, seen from a busy loop on each core while nothing else of the benchmark
 * runs: every time a loop was not running though it had work (the host, the kernel's workers, other
 * processes) for over STALL_MS. Why it matters: the header of scripts/bench/inquiry.ts.
 */
export interface MachineStalls {
  processes: number;
  seconds: number;
  /** Stalls per second, per core. */
  perSecond: number;
  /** Share of the loops' time lost in stalls. */
  lostShare: number;
  /** The stalls' lengths, ms. */
  p50Ms: number;
  maxMs: number;
  /** Median time from one stall's start to the next one's on the same core (undefined below three stalls): a periodic stall shows as a steady spacing. */
  medianSpacingMs?: number;
}

/** The probe before and after a run (either missing when it was skipped). */
export interface StallsBeforeAfter {
  before?: MachineStalls;
  after?: MachineStalls;
}

/** Stalls of each process, [start ms, length ms], over `seconds`. */
function summarizeStalls(perProcess: [number, number][][], seconds: number): MachineStalls {
  const stalls = perProcess.flat().map(([, length]) => length);
  const lengths = summarize(stalls);
  const spacings = perProcess.flatMap((list) => list.slice(1).map(([start], i) => start - list[i][0]));
  const processes = perProcess.length;
  return {
    processes,
    seconds,
    perSecond: round(stalls.length / Math.max(1, processes) / seconds, 2),
    lostShare: round(stalls.reduce((sum, x) => sum + x, 0) / (processes * seconds * 1000), 4),
    p50Ms: stalls.length > 0 ? lengths.p50 : 0,
    maxMs: stalls.length > 0 ? lengths.max : 0,
    medianSpacingMs: spacings.length >= 2 ? round(summarize(spacings).p50, 0) : undefined,
  };
}

/** One busy loop per core for `seconds` (child processes of this file), and their stalls. */
export async function machineStalls(seconds: number, processes = cpus().length): Promise<MachineStalls> {
  const loops = Array.from(
    { length: processes },
    () =>
      new Promise<[number, number][]>((resolve, reject) => {
        const child = fork(__filename, ['--spin', String(seconds * 1000)], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
        child.once('message', (stalls) => resolve(stalls as [number, number][]));
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`stall probe exited with ${code}`))));
      }),
  );
  return summarizeStalls(await Promise.all(loops), seconds);
}

function spin(ms: number): void {
  const stalls: [number, number][] = [];
  const end = performance.now() + ms;
  let last = performance.now();
  while (last < end) {
    const now = performance.now();
    if (now - last > STALL_MS) stalls.push([last, now - last]);
    last = now;
  }
  process.send!(stalls, () => process.exit(0));
}

if (require.main === module && process.argv[2] === '--spin') spin(Number(process.argv[3]));
