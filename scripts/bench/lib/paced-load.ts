import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LatencySummary, summarize } from './stats';
import { round, sleep } from './system';

export interface PacedTarget {
  path: string;
  token: string;
}

/** A request other than a GET of a target: built when it is due (a signed POST, say). */
export interface PacedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  targetRate: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  rps: number;
  /** From the request's scheduled start (the arrival) to the last byte: includes any wait for a free connection. */
  latency: LatencySummary;
  /** From the moment the request was handed to the socket to the last byte. */
  serviceLatency: LatencySummary;
  /**
   * This generator's own event-loop delay over the whole run, in ms (p99, max): a late timer sends
   * requests late and a late 'end' event reads an answer late, and both count as the target's latency.
   */
  generatorDelay: { p99: number; max: number };
  /** The measured answers over SLOW_MS, in runs: a stall of the machine shows as one run of answers that were due around it. */
  slowRuns: SlowRuns;
}

/** Half the aim's 20 ms p99: a civil ID's answer takes about 2 ms at half peak. */
export const SLOW_MS = 10;

/** Slow answers due within this many ms of the previous one belong to the same run. */
const RUN_GAP_MS = 30;

export interface SlowRuns {
  /** Answers over SLOW_MS. */
  answers: number;
  /** Runs of them: each answer due within RUN_GAP_MS of the run's previous one. */
  runs: number;
  /** The median time from one run's first due time to the next run's (undefined below three runs): a periodic stall shows as a steady gap. */
  medianGapMs?: number;
}

/** The slow answers' runs, from each measured answer's due time and latency (ms). */
export function slowRuns(answers: { dueAt: number; latency: number }[]): SlowRuns {
  const slow = answers.filter((a) => a.latency > SLOW_MS).sort((a, b) => a.dueAt - b.dueAt);
  const starts: number[] = [];
  let last = -Infinity;
  for (const a of slow) {
    if (a.dueAt - last > RUN_GAP_MS) starts.push(a.dueAt);
    last = a.dueAt;
  }
  const gaps = starts
    .slice(1)
    .map((t, i) => t - starts[i])
    .sort((a, b) => a - b);
  return { answers: slow.length, runs: starts.length, medianGapMs: gaps.length >= 2 ? round(gaps[Math.floor(gaps.length / 2)], 0) : undefined };
}

/**
 * An open-loop load at a fixed rate with evenly spaced arrivals: request i is due at start + i/rate,
 * sent on one of at most `connections` keep-alive connections. autocannon's overallRate does not
 * pace this way: each connection fires its share of the second's requests back to back when the
 * second begins, then idles, so "half the peak rate" is full load for half of each second. The
 * latency here counts from the due time, so a request that had to wait for a connection (the
 * service falling behind) is charged for the wait: no coordinated omission.
 */
export async function pacedLoad(options: {
  port: number;
  targets: PacedTarget[];
  rate: number;
  seconds: number;
  connections: number;
  accept?: string;
  /** Builds request i instead of a GET of targets[i % targets.length]. */
  build?: (i: number) => PacedRequest;
  /** Told of each answer: request i, when it was due and when its last byte came (performance.now() ms), its status (0: error). */
  onAnswer?: (i: number, dueAt: number, endAt: number, status: number) => void;
  /**
   * Seconds at the same rate before the measured `seconds`, left out of the latencies and the rate
   * (errors and non-2xx still count): measuring starts with this generator's connections open and
   * the target's database pool as full as the rate keeps it. A target left idle while another was
   * measured may have closed pooled connections (pg-pool's default closes them after 10 s idle),
   * and each new PostgreSQL backend is a fork and a cold catalogue cache for its first queries.
   */
  leadInSeconds?: number;
}): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const leadIn = Math.floor(options.rate * (options.leadInSeconds ?? 0));
  const total = leadIn + Math.max(1, Math.floor(options.rate * options.seconds));
  const interval = 1000 / options.rate;
  /** Each measured answer's due time and latency (from the due time), in ms. */
  const measured: { dueAt: number; latency: number }[] = [];
  const serviceLatencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const complete = () => {
    if (++done === total) allDone();
  };

  const build = (i: number): PacedRequest => {
    const t = options.targets[i % options.targets.length];
    const headers: Record<string, string> = { authorization: `Bearer ${t.token}` };
    if (options.accept) headers.accept = options.accept;
    return { method: 'GET', path: t.path, headers };
  };
  const fire = (i: number, dueAt: number) => {
    const r = (options.build ?? build)(i);
    let sentAt = dueAt;
    const req = request({ agent, host: '127.0.0.1', port: options.port, path: r.path, method: r.method, headers: r.headers, timeout: 30000 }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        const end = performance.now();
        options.onAnswer?.(i, dueAt, end, res.statusCode ?? 0);
        if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) {
          if (i < leadIn) return complete();
          ok++;
          measured.push({ dueAt, latency: end - dueAt });
          serviceLatencies.push(end - sentAt);
        } else non2xx++;
        complete();
      });
    });
    req.on('socket', (socket) => {
      const stamp = () => (sentAt = performance.now());
      if (socket.connecting) socket.once('connect', stamp);
      else stamp();
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      errors++;
      options.onAnswer?.(i, dueAt, performance.now(), 0);
      complete();
    });
    req.end(r.body);
  };

  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const start = performance.now();
  for (let i = 0; i < total;) {
    const now = performance.now();
    while (i < total && start + i * interval <= now) {
      fire(i, start + i * interval);
      i++;
    }
    // Timers have 1 ms resolution: requests due within the same millisecond leave together. No busy
    // waiting: the generator shares the machine's 2 cores with the service and PostgreSQL.
    await sleep(Math.max(1, Math.floor(start + i * interval - performance.now())));
  }
  await finished;
  delay.disable();
  const seconds = (performance.now() - start - leadIn * interval) / 1000;
  agent.destroy();
  return {
    targetRate: round(options.rate),
    sent: total - leadIn,
    ok,
    non2xx,
    errors,
    seconds: round(seconds, 2),
    rps: round(ok / seconds),
    latency: summarize(measured.map((a) => a.latency)),
    serviceLatency: summarize(serviceLatencies),
    generatorDelay: { p99: round(delay.percentile(99) / 1e6, 1), max: round(delay.max / 1e6, 1) },
    slowRuns: slowRuns(measured),
  };
}
