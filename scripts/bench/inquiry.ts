/**
 * npm run bench:inquiry [-- --suffix _bench_50k,_bench_5m --connections 32 --duration 10 --rounds 3 --rate-fraction 0.5 --paced-rounds 3 --scale-rounds 5]
 *
 * Inquiry read path of the distributed violations service, against a bare Fastify + pg route doing
 * the same work, on data sets made by npm run bench:data (one per --suffix: fines_violations<suffix>;
 * with several suffixes, every data set is measured in the same run and latencies are compared).
 *
 * SERVICE: the built violations service (dist/apps/violations/src/main.js) as a child process on
 * 127.0.0.1:3222: NODE_ENV=production, AUTH_JWT_SECRET = a random 40-character bench secret,
 * LOG_LEVEL=warn, DB_DRIVER=postgres, EVENT_TRANSPORT=inprocess (the read path never touches
 * Kafka, so no broker is needed), DB_POOL_SIZE from the environment (default 10), DEMO_DATA=false.
 * Tokens are HS256 JWTs minted here with jose exactly as scripts/token.mjs does (role, civilId or
 * companyNo, sub, iat, exp), pre-minted per subject and rotated request by request.
 *
 * BARE: lib/bare-inquiry.ts as a child process on 127.0.0.1:3223: the civil-ID route only, the same
 * SQL (the service's own builders and answer function) as the same named prepared statements (or
 * unnamed ones for both, with DB_PREPARED_STATEMENTS=false in the environment), the same pool size,
 * the same jose verification, the same JSON shape; no Nest, no logging, metrics, validation pipes or
 * problem+json.
 *
 * LOAD: autocannon (programmatic), --connections (32) connections, pipelining 1, --duration (10) s
 * per phase, traffic to 127.0.0.1 only, after --warmup (5) s of each route. Per data set:
 *   (a) GET /v1/inquiry/civil-id/{id}: random existing civil IDs (persons in owner_name; some own no
 *       plate and have no fine), each with its own driver token;
 *   (e) the same requests on the bare route; (a) and (e) run back to back, --rounds (3) times, in
 *       alternating order; service/bare is the ratio of each round's pair, judged on the median round;
 *   (b) GET /v1/inquiry/plate/{type}/{number}: random owned plates with the owner's token (driver or fleet);
 *   (c) GET /v1/inquiry/company/100001?page=1&pageSize=50: the company of --fleet plates, fleet token;
 *   unloaded: (a), (e), (b), (c) with one connection for --unloaded (5) s: latency without queueing;
 *   (d) CSV: --csv (5) full `Accept: text/csv` downloads of company 100001 after one not counted, default status (unpaid)
 *       and status=ALL, timed from request to last byte; rows = lines - header;
 *   half peak: (a) and (c) again at --rate-fraction (0.5) x the service's peak for that route, the
 *       median of its --rounds peak rounds (the best round is reported beside it: on these machines
 *       one peak round of a run served up to twice another's rate, the machine's speed wandering
 *       minute by minute with no steal reported, and half of the best round was then the machine's
 *       whole capacity in its slower minutes), and (e) at the same rate as (a), twice: with
 *       autocannon overallRate (as asked), and paced (lib/paced-load: evenly spaced arrivals, at most
 *       --connections connections, latency
 *       counted from each arrival). autocannon's overallRate is not a pacer: every connection sends
 *       its share of each second's requests back to back when the second starts and then waits, so
 *       "half the peak rate" is the peak load for half of every second and its p99 is the peak's p99.
 *       The paced figures are the ones the aims are judged on; both are reported. Each paced phase
 *       first runs --lead-in (1) s at its rate, not counted, so that it starts on open connections
 *       (with pg-pool's default 10 s idle timeout, before DB_POOL_IDLE_TIMEOUT_MS, each phase began
 *       with 8-10 new PostgreSQL backends, a fork and a cold catalogue cache each). The paced
 *       phases run --paced-rounds (3) times, (a), (e), (c) in turn, and the aims take each route's
 *       phase with the median p99: a 10 s phase's p99 is its worst 1 %, which one burst of host
 *       steal decides. A round in one of whose phases the host's steal and other processes (/proc/stat
 *       and /proc/<pid>/stat, measured beside the latencies, not from them) took more than --max-noise
 *       (5 %) of the machine is disturbed: shown, not judged, and run again, up to as many extra
 *       rounds as were asked for (keptRounds);
 *   scale pass (two or more data sets): a service on the first data set and one on the last run
 *       side by side, and the civil ID and company page routes are paced on each in turn,
 *       first-last-last-first, --scale-rounds (5) times, at the lower of the two sets' half-peak
 *       rates, each phase after a --scale-lead-in (5) s lead-in (the pass's two services start fresh);
 *       before each of its phases both sets are read into the page cache; each side's latency
 *       is the median of its judged phases' p99 (disturbed rounds as above), and the scale aims are
 *       judged on their ratio; the ratio over every phase is printed beside it (see scalePass).
 *       The sets should differ in size only: the README's small set (5,000 persons, 20,000 plates,
 *       50,000 fines) has the 5M set's 2.5 fines per plate and 1.8 plates per person, so a civil ID's
 *       answer carries as many fines on both; "Scale" prints both sets' shape and warns when it differs.
 * Latency percentiles are computed here from every response's time (autocannon's `response` event,
 * in fractional ms): autocannon's own histogram keeps whole milliseconds; its p99 (which, at a fixed
 * rate, also corrects for coordinated omission) is kept in the JSON as `autocannonP99`.
 * Every phase must answer only 2xx; a non-2xx or an error is reported and fails the run.
 * Before loading, the service's and the bare route's answers are compared for a sample of civil IDs.
 * After loading, EXPLAIN (ANALYZE, BUFFERS) of each of the service's inquiry queries for a sample
 * subject goes into the JSON (and their execution times to stdout).
 *
 * Before every phase, every table and index of the data set is read into the OS page cache
 * (pg_prewarm 'read'; --no-prewarm skips it): the phases then measure a database server whose data
 * fits its memory, not the first read of each page from this machine's disk (see prewarmReadPath).
 * Before every phase the benchmark waits until no query runs on the database (the service keeps
 * working through requests a finished phase left queued: ~2-4 s after a company-page phase), so no
 * phase starts behind another's backlog.
 *
 * The kernel's DAMON workers (kdamond), where they run, sample memory on a fixed interval (500 ms on
 * this project's machines) and take a core for a few milliseconds each time: the paced phases' slow
 * answers come in clusters every ~510 ms, and at 1,400 civil IDs/s those set their p99s. The header says whether one ran;
 * --pause-damon (root) turns them off for the run and on again at its end. Each paced phase prints
 * its answers over 10 ms in runs (each due within 30 ms of the previous) and the median gap between
 * runs' starts: a periodic stall shows as a steady gap.
 *
 * Before and after the run, --stall-probe (5) s of one busy loop per core with nothing else running
 * (lib/stall-probe) shows the machine's own stalls: on one of this project's machines, on 2026-12-04,
 * a core was taken for 3-8 ms about every 500 ms with DAMON on and with it off, and no steal reported.
 * A paced phase's answers due during such a stall wait it out, whatever the service does.
 *
 * The machine has 2 cores: the load generator (this process), the service and PostgreSQL share them,
 * and other jobs may run (--wait-idle S waits for a quiet machine first); CPU seconds by process
 * (lib/cpu-by-pid) are reported per phase, phases where other processes used more than a quarter of
 * the machine are starred, and ratios are only ever taken between phases of the same run. With
 * several --suffix data sets, "Scale" compares the last with the first (e.g. 5M over 50k fines).
 * Output: tables on stdout, JSON in bench-results/inquiry-<timestamp>.json, service log in .data/bench-logs/.
 */
import 'reflect-metadata'; // the inquiry's SQL builders import @app/contracts, whose payload classes carry class-validator decorators
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import type { PlateType } from '@app/contracts';
import { SERVICE_NODE_FLAGS } from '@app/platform';
import { statusesFor } from '../../apps/violations/src/fines/dto/fine.dto';
import type { FineStatus } from '../../apps/violations/src/fines/fine.entity';
import * as q from '../../apps/violations/src/inquiry/inquiry.queries';
import type { InquiryQuery } from '../../apps/violations/src/inquiry/inquiry.queries';
import { FLEET_COMPANY_NO, benchDatabases } from './lib/datagen';
import { gitState } from './lib/git';
import { PidGroups, pidCpuBetween, pidSnapshot } from './lib/cpu-by-pid';
import { SLOW_MS, SlowRuns, pacedLoad } from './lib/paced-load';
import { MachineStalls, STALL_MS, StallsBeforeAfter, machineStalls } from './lib/stall-probe';
import { mintToken } from './lib/tokens';
import { writeBenchResult } from './lib/run';
import { LOG_DIR, ServiceProcess, bareInquiryEnv, inquiryServiceEnv, stopChild, waitHttp } from './lib/services';
import { LatencySummary, fmtInt, fmtMs, summarize, table } from './lib/stats';
import { CpuUsage, Kdamond, ROOT, cpuBetween, cpuSnapshot, kdamonds, log, machineInfo, pauseKdamonds, pidsNamed, portOpen, round, sleep } from './lib/system';

interface Flags {
  suffixes: string[];
  connections: number;
  duration: number;
  warmup: number;
  rounds: number;
  rateFraction: number;
  unloaded: number;
  csv: number;
  ids: number;
  explain: boolean;
  prewarm: boolean;
  /** --pause-damon: turn the kernel's DAMON workers off for the run, and on again after it */
  pauseDamon: boolean;
  waitIdle: number;
  leadIn: number;
  scaleLeadIn: number;
  pacedRounds: number;
  scaleRounds: number;
  maxNoise: number;
  /** --stall-probe: seconds of one busy loop per core before and after the run (lib/stall-probe); 0 skips */
  stallProbe: number;
  /** --scale-only: run the interleaved scale pass alone, at these rates, on the first and last data sets */
  scaleOnly?: { civil: number; company: number };
}

const USAGE = `npm run bench:inquiry -- [--suffix S[,S2]] [--connections N] [--duration S] [--warmup S] [--rounds N] [--rate-fraction F] [--unloaded S] [--csv N] [--ids N] [--no-explain] [--no-prewarm] [--wait-idle S] [--lead-in S] [--scale-lead-in S] [--paced-rounds N] [--scale-rounds N] [--max-noise F] [--stall-probe S] [--scale-only C,P] [--pause-damon]
  --suffix S[,S2]    data sets (npm run bench:data -- --suffix S), measured in this order in one run (default _bench)
  --connections N    autocannon connections (default 32)
  --duration S       seconds per measured phase (default 10)
  --warmup S         seconds of warm-up per route before the measured phases (default 5)
  --rounds N         rounds of (a)+(e), (b), (c) at peak (default 3; service/bare is judged on the median round)
  --rate-fraction F  second pass at F x the service's peak for (a) and (c), the median of its peak rounds (default 0.5)
  --unloaded S       seconds of one-connection latency per route (default 5; 0 skips)
  --csv N            CSV downloads per status filter (default 5; the best is reported: a download of the 50k set's unpaid fines takes ~0.08 s, and one 10 ms stall is an eighth of it)
  --ids N            civil IDs and plates sampled (and tokens minted) per data set (default 4000)
  --no-explain       skip EXPLAIN ANALYZE of the service's queries
  --no-prewarm       leave the data set's tables and indexes where they are (on disk) instead of reading them into the OS page cache first
  --wait-idle S      first wait up to S seconds for the machine to be under 25% busy (default 0: start at once)
  --lead-in S        seconds at a paced phase's rate before it is measured (default 1; see lib/paced-load)
  --scale-lead-in S  the same for the scale pass's phases (default 5: its two services start fresh, and one had p99 27 ms after 1 s, 7 ms after 11 s)
  --paced-rounds N   rounds of the paced half-peak phases (a), (e), (c); the aims take the phase with the median p99 (default 3)
  --scale-rounds N   with two or more data sets: rounds of the interleaved scale pass, each first-last-last-first (default 5; 0 skips)
  --max-noise F      a paced or scale round in one of whose phases the host's steal and other processes took more than F of the machine is disturbed:
                     it is reported, not judged, and run again, up to as many extra rounds as asked for (default 0.05)
  --stall-probe S    seconds of one busy loop per core, nothing else running, before and after the run: how often and how long the
                     machine itself takes a core away (lib/stall-probe; default 5, 0 skips)
  --scale-only C,P   run only the interleaved scale pass, the civil ID at C/s and the company page at P/s (a full run's
                     half-peak rates, say), without the data sets' own phases: ~2 minutes per round instead of a 25-minute run
  --pause-damon      as root, turn the kernel's running DAMON workers (kdamond) off for the run and on again at its end (also on
                     Ctrl-C; not if the process is killed: then \`echo on\` to their sysfs state). On this project's machines a
                     kdamond samples all memory every 500 ms and stalls a core for a few ms each time, which set the paced p99s at 1,400/s;
                     the run's header says whether one ran`;

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    suffixes: ['_bench'],
    connections: 32,
    duration: 10,
    warmup: 5,
    rounds: 3,
    rateFraction: 0.5,
    unloaded: 5,
    csv: 5,
    ids: 4000,
    explain: true,
    prewarm: true,
    pauseDamon: false,
    waitIdle: 0,
    leadIn: 1,
    scaleLeadIn: 5,
    pacedRounds: 3,
    scaleRounds: 5,
    maxNoise: 0.05,
    stallProbe: 5,
  };
  const numeric: Record<string, keyof Flags> = {
    '--connections': 'connections',
    '--duration': 'duration',
    '--warmup': 'warmup',
    '--rounds': 'rounds',
    '--rate-fraction': 'rateFraction',
    '--unloaded': 'unloaded',
    '--csv': 'csv',
    '--ids': 'ids',
    '--wait-idle': 'waitIdle',
    '--lead-in': 'leadIn',
    '--scale-lead-in': 'scaleLeadIn',
    '--paced-rounds': 'pacedRounds',
    '--scale-rounds': 'scaleRounds',
    '--max-noise': 'maxNoise',
    '--stall-probe': 'stallProbe',
  };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    if (name === '--help' || name === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (name === '--no-explain') {
      flags.explain = false;
      continue;
    }
    if (name === '--no-prewarm') {
      flags.prewarm = false;
      continue;
    }
    if (name === '--pause-damon') {
      flags.pauseDamon = true;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
    if (name === '--suffix') {
      flags.suffixes = raw.split(',').map((s) => s.trim());
      continue;
    }
    if (name === '--scale-only') {
      const [civil, company] = raw.split(',').map(Number);
      if (!(civil > 0 && company > 0)) throw new Error(`bad argument --scale-only ${raw}: two rates, civil ID and company page, e.g. 1200,450\n${USAGE}`);
      flags.scaleOnly = { civil, company };
      continue;
    }
    const key = numeric[name];
    const value = Number(raw);
    if (!key || !Number.isFinite(value) || value < 0 || (ROUND_FLAGS.includes(key) && !Number.isInteger(value)))
      throw new Error(`bad argument ${argv[i]}\n${USAGE}`);
    (flags as unknown as Record<string, number>)[key] = value;
  }
  if (flags.connections < 1 || flags.duration <= 0 || flags.rounds < 1 || flags.pacedRounds < 1 || flags.ids < 1) throw new Error(`bad flags\n${USAGE}`);
  if (!(flags.rateFraction > 0 && flags.rateFraction < 1)) throw new Error('--rate-fraction must be between 0 and 1');
  if (flags.scaleOnly && (flags.suffixes.length < 2 || flags.scaleRounds < 1))
    throw new Error(`--scale-only needs two data sets (--suffix S,S2) and --scale-rounds of 1 or more`);
  return flags;
}

/** Flags that count rounds or phases: whole numbers only. */
const ROUND_FLAGS: string[] = ['rounds', 'pacedRounds', 'scaleRounds', 'csv', 'ids', 'connections'];

/** scale: the service on the last data set, beside the one on the first, in the interleaved scale pass. */
const PORTS = { service: 3222, bare: 3223, scale: 3224 };
const SECRET = randomBytes(20).toString('hex'); // 40 characters
const COMPANY_PAGE = `/v1/inquiry/company/${FLEET_COMPANY_NO}?page=1&pageSize=50`;

/** The port a phase loads: its own (the scale pass's second service), else the target's. */
function portOf(target: 'service' | 'bare', port?: number): number {
  return port ?? (target === 'service' ? PORTS.service : PORTS.bare);
}

interface Target {
  path: string;
  token: string;
}

/** A token as scripts/token.mjs mints it, with this run's secret. */
function mint(role: 'driver' | 'fleet', id: string): Promise<string> {
  return mintToken(SECRET, role, id);
}

interface Phase {
  name: string;
  target: 'service' | 'bare';
  /** autocannon (closed loop, or its per-second bursts with overallRate) or lib/paced-load (open loop, evenly spaced arrivals). */
  driver: 'autocannon' | 'paced';
  connections: number;
  seconds: number;
  targetRate?: number;
  requests: number;
  rps: number;
  latency: LatencySummary;
  /** Paced phases only: from the request being handed to its connection, without the wait for a free connection. */
  serviceLatency?: LatencySummary;
  /** Paced phases only: the load generator's own event-loop delay (p99, max ms), which its latencies include. */
  generatorDelay?: { p99: number; max: number };
  /** Paced phases: the answers over 10 ms in runs (lib/paced-load slowRuns). */
  slowRuns?: SlowRuns;
  autocannonP50: number;
  autocannonP99: number;
  bytesPerResponse: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  cpu: CpuUsage;
  /** How long the database took to fall quiet after the previous phase, before this one started. */
  settledMs: number;
  /** Set by keptRounds on every phase of a disturbed round (one of its phases met the host's steal or other processes): shown, not judged. */
  roundDisturbed?: boolean;
}

class Bench {
  private readonly cpuGroups: PidGroups;

  constructor(
    private readonly service: ServiceProcess,
    private readonly bare: () => number | undefined,
    private readonly db: Client,
    /** Reads the data set into the OS page cache again before each phase (prewarmReadPath), unless --no-prewarm. */
    private readonly rewarm?: () => Promise<unknown>,
    /** The databases that must fall quiet before a phase (default: db's own; the scale pass waits for both sets'). */
    private readonly quietDatabases?: string[],
  ) {
    this.cpuGroups = {
      'load generator (this process)': () => [process.pid],
      'violations service': () => (service.pid ? [service.pid] : []),
      'bare route': () => {
        const pid = bare();
        return pid ? [pid] : [];
      },
      postgres: () => pidsNamed('postgres'),
    };
  }

  /**
   * Waits until no query runs on the data set's database (or on quietDatabases; but this one) for 0.5 s. A phase ends when
   * autocannon stops sending, but the service still works through the requests its clients left
   * behind (a company page takes ~0.2 s of database time, and 32 may be queued): without this, the
   * next phase starts behind that backlog (seconds of latency charged to whichever route comes next).
   */
  async settle(timeoutMs = 60000): Promise<number> {
    await this.rewarm?.();
    const t0 = Date.now();
    let quietSince = 0;
    while (Date.now() - t0 < timeoutMs) {
      const { rows } = await this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = ANY(coalesce($1::text[], ARRAY[current_database()::text])) AND state <> 'idle' AND pid <> pg_backend_pid()`,
        [this.quietDatabases ?? null],
      );
      if (rows[0].n === 0) {
        quietSince ||= Date.now();
        if (Date.now() - quietSince >= 500) break;
      } else quietSince = 0;
      await sleep(50);
    }
    const waited = Date.now() - t0;
    if (waited > 1500) log(`waited ${(waited / 1000).toFixed(1)} s for the previous phase's requests to drain from the database`);
    return waited;
  }

  /** One autocannon phase; targets are taken in turn, round-robin. */
  async load(
    name: string,
    target: 'service' | 'bare',
    targets: Target[],
    options: { connections: number; seconds: number; overallRate?: number; accept?: string; port?: number },
  ): Promise<Phase> {
    const settledMs = await this.settle();
    const port = portOf(target, options.port);
    let next = 0;
    const latencies: number[] = [];
    const cpu0 = pidSnapshot(this.cpuGroups);
    const instance = autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: options.connections,
      duration: options.seconds,
      pipelining: 1,
      timeout: 10,
      overallRate: options.overallRate,
      headers: options.accept ? { accept: options.accept } : {},
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => {
            const t = targets[next++ % targets.length];
            request.path = t.path;
            request.headers = { ...request.headers, authorization: `Bearer ${t.token}` };
            return request;
          },
        },
      ],
    });
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
    const r = await instance;
    const cpu = pidCpuBetween(cpu0, pidSnapshot(this.cpuGroups));
    const ok = r['2xx'];
    const phase: Phase = {
      name,
      target,
      driver: 'autocannon',
      connections: options.connections,
      seconds: r.duration,
      targetRate: options.overallRate,
      requests: ok,
      rps: round(ok / r.duration),
      latency: summarize(latencies),
      autocannonP50: r.latency.p50,
      autocannonP99: r.latency.p99,
      bytesPerResponse: ok > 0 ? Math.round(r.throughput.total / ok) : 0,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
      cpu,
      settledMs,
    };
    const bad = phase.errors + phase.non2xx > 0 ? `  !! ${phase.errors} errors, ${phase.non2xx} non-2xx ${JSON.stringify(phase.statusCodes)}` : '';
    log(
      `${name} [${target}${options.overallRate ? ` @${fmtInt(options.overallRate)}/s` : ''}, ${options.connections} conn]: ${fmtInt(phase.rps)} req/s, ` +
        `p50 ${fmtMs(phase.latency.p50)}, p99 ${fmtMs(phase.latency.p99)}, ${fmtInt(phase.bytesPerResponse)} B/resp, busy ${Math.round(cpu.machineBusy * 100)}%${bad}`,
    );
    return phase;
  }

  /** Evenly spaced arrivals at `rate` per second (lib/paced-load), at most `connections` connections. */
  async paced(
    name: string,
    target: 'service' | 'bare',
    targets: Target[],
    options: { connections: number; seconds: number; rate: number; leadInSeconds: number; port?: number },
  ): Promise<Phase> {
    const settledMs = await this.settle();
    const cpu0 = pidSnapshot(this.cpuGroups);
    const { connections, seconds, rate, leadInSeconds } = options;
    const port = portOf(target, options.port);
    const r = await pacedLoad({ port, targets, connections, seconds, rate, leadInSeconds });
    const cpu = pidCpuBetween(cpu0, pidSnapshot(this.cpuGroups));
    const phase: Phase = {
      name,
      target,
      driver: 'paced',
      connections: options.connections,
      seconds: r.seconds,
      targetRate: r.targetRate,
      requests: r.ok,
      rps: r.rps,
      latency: r.latency,
      serviceLatency: r.serviceLatency,
      generatorDelay: r.generatorDelay,
      slowRuns: r.slowRuns,
      autocannonP50: NaN,
      autocannonP99: NaN,
      bytesPerResponse: NaN,
      errors: r.errors,
      timeouts: 0,
      non2xx: r.non2xx,
      statusCodes: {},
      cpu,
      settledMs,
    };
    const bad = phase.errors + phase.non2xx > 0 ? `  !! ${phase.errors} errors, ${phase.non2xx} non-2xx` : '';
    log(
      `${name} [${target}, paced @${fmtInt(options.rate)}/s, <= ${options.connections} conn]: ${fmtInt(phase.rps)} req/s, ` +
        `p50 ${fmtMs(phase.latency.p50)}, p99 ${fmtMs(phase.latency.p99)}, max ${fmtMs(phase.latency.max)}, busy ${Math.round(cpu.machineBusy * 100)}%, ` +
        `generator delay p99 ${fmtMs(r.generatorDelay.p99)} max ${fmtMs(r.generatorDelay.max)}, ` +
        `${fmtInt(r.slowRuns.answers)} answers over ${SLOW_MS} ms in ${r.slowRuns.runs} runs${r.slowRuns.medianGapMs === undefined ? '' : ` (median gap ${r.slowRuns.medianGapMs} ms)`}${bad}`,
    );
    return phase;
  }
}

interface CsvRun {
  status: string;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSec: number;
}

async function csvDownload(status: 'default' | 'ALL', token: string): Promise<CsvRun> {
  const query = status === 'ALL' ? '?status=ALL' : '';
  const t0 = performance.now();
  const response = await fetch(`http://127.0.0.1:${PORTS.service}/v1/inquiry/company/${FLEET_COMPANY_NO}${query}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/csv' },
  });
  if (response.status !== 200 || !response.body) throw new Error(`CSV download answered ${response.status}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const rows = Math.max(0, lines - 1);
  return { status, rows, bytes, seconds: round(seconds, 3), rowsPerSec: Math.round(rows / seconds) };
}

interface Sample {
  civil: Target[];
  civilIds: string[];
  plates: Target[];
  fleetToken: string;
  counts: { fines: number; persons: number; plates: number; fleetPlates: number };
}

async function sample(db: Client, n: number): Promise<Sample> {
  await db.query(`SELECT setseed(0.4242)`);
  const persons = await db.query<{ id: string }>(`SELECT owner_id AS id FROM owner_name WHERE owner_type = 'PERSON' ORDER BY random() LIMIT $1`, [n]);
  const plates = await db.query<{ plate_type: string; plate_number: string; owner_type: string; owner_id: string }>(
    `SELECT plate_type, plate_number, owner_type, owner_id FROM plate_ownership ORDER BY random() LIMIT $1`,
    [n],
  );
  const [counts] = (
    await db.query<{ fines: string; persons: string; plates: string; fleet: string }>(
      `SELECT (SELECT count(*) FROM fine) AS fines, (SELECT count(*) FROM owner_name WHERE owner_type = 'PERSON') AS persons,
              (SELECT count(*) FROM plate_ownership) AS plates,
              (SELECT count(*) FROM plate_ownership WHERE owner_type = 'COMPANY' AND owner_id = $1) AS fleet`,
      [FLEET_COMPANY_NO],
    )
  ).rows;
  const tokens = new Map<string, string>();
  const tokenFor = async (role: 'driver' | 'fleet', id: string) => {
    const key = `${role}:${id}`;
    if (!tokens.has(key)) tokens.set(key, await mint(role, id));
    return tokens.get(key)!;
  };
  const civil: Target[] = [];
  for (const p of persons.rows) civil.push({ path: `/v1/inquiry/civil-id/${p.id}`, token: await tokenFor('driver', p.id) });
  const plateTargets: Target[] = [];
  for (const p of plates.rows) {
    const token = await tokenFor(p.owner_type === 'PERSON' ? 'driver' : 'fleet', p.owner_id);
    plateTargets.push({ path: `/v1/inquiry/plate/${p.plate_type}/${p.plate_number}`, token });
  }
  return {
    civil,
    civilIds: persons.rows.map((p) => p.id),
    plates: plateTargets,
    fleetToken: await tokenFor('fleet', FLEET_COMPANY_NO),
    counts: { fines: Number(counts.fines), persons: Number(counts.persons), plates: Number(counts.plates), fleetPlates: Number(counts.fleet) },
  };
}

interface InquiryJson {
  subject: unknown;
  vehicles: { plateNumber: string; fineCount: number; outstanding: { amount: string } }[];
  fines: { fineNumber: string }[];
  totals: { count: number; outstanding: { amount: string } };
}

/** The service's and the bare route's answers agree for a sample of civil IDs (same fines, vehicles, totals, subject). */
async function compareAnswers(targets: Target[]): Promise<{ compared: number; identical: number; meanFines: number; differences: string[] }> {
  const differences: string[] = [];
  let identical = 0;
  let fines = 0;
  for (const t of targets) {
    const get = async (port: number) => {
      const response = await fetch(`http://127.0.0.1:${port}${t.path}`, { headers: { authorization: `Bearer ${t.token}` } });
      if (response.status !== 200) throw new Error(`${t.path} on port ${port} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as InquiryJson;
    };
    const [a, b] = await Promise.all([get(PORTS.service), get(PORTS.bare)]);
    fines += a.fines.length;
    if (JSON.stringify(a) === JSON.stringify(b)) identical++;
    else differences.push(t.path);
  }
  return { compared: targets.length, identical, meanFines: round(fines / Math.max(1, targets.length), 2), differences };
}

interface Explained {
  query: string;
  params: unknown[];
  executionMs: number;
  planningMs: number;
  plan: string;
}

/** The queries of the fleet's first CSV chunk: where it ends, then its fines up to there. */
async function csvChunkQueries(db: Client, label: string, statuses: FineStatus[]): Promise<[string, InquiryQuery][]> {
  const chunk = `companyCsv (${label}): first chunk of ${q.CSV_PLATES_PER_CHUNK} plates`;
  const endQuery = q.companyCsvChunkEnd(FLEET_COMPANY_NO, statuses, undefined, ['', ''], q.CSV_PLATES_PER_CHUNK);
  const [end] = (await db.query<{ plate_type: string; plate_number: string }>(endQuery.text, endQuery.values)).rows;
  const upto: [string, string] | undefined = end ? [end.plate_type, end.plate_number] : undefined;
  return [
    [`${chunk}: its end`, endQuery],
    [`${chunk}: its fines`, q.companyCsvRows(FLEET_COMPANY_NO, statuses, undefined, ['', ''], upto)],
  ];
}

/** EXPLAIN (ANALYZE, BUFFERS) of each query the service runs for an inquiry, for one sample subject each (the service's own SQL builders). */
async function explainQueries(db: Client, civilId: string, plate: { type: string; number: string }): Promise<Explained[]> {
  const statuses = statusesFor(undefined);
  const plateType = plate.type as PlateType;
  const queries: [string, InquiryQuery][] = [
    ['byCivilId: fines, name and vehicles', q.civilIdInquiry(civilId, statuses)],
    ['byPlate: fines, vehicle and owner', q.plateInquiry(plateType, plate.number, statuses)],
    ['byCompany: page 1 of 50', q.companyPage(FLEET_COMPANY_NO, statuses, 1, 50)],
    ['byCompany: page 100 of 50', q.companyPage(FLEET_COMPANY_NO, statuses, 100, 50)],
    ['byCompany: totals and name', q.companyTotals(FLEET_COMPANY_NO, statuses)],
    ...(await csvChunkQueries(db, 'default', statuses)),
    ...(await csvChunkQueries(db, 'status=ALL', statusesFor('ALL'))),
  ];
  const out: Explained[] = [];
  for (const [name, query] of queries) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.text}`, query.values);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const ms = (label: string) => Number(new RegExp(`${label} Time: ([\\d.]+) ms`).exec(plan)?.[1] ?? NaN);
    out.push({ query: name, params: query.values, executionMs: ms('Execution'), planningMs: ms('Planning'), plan });
  }
  return out;
}

/**
 * Reads every table and index of the violations database (pg_prewarm, mode 'read': through the OS,
 * not into PostgreSQL's own buffers) so that the phases measure the service and its queries on a
 * database server whose data fits its memory, as a production one is sized, and not the first read
 * of each page from this machine's disk: otherwise the 5M data set's first minute measures the disk
 * (random civil IDs touch pages nobody read since bench:data wrote them). --no-prewarm skips it.
 * It runs again before every phase: this machine's kernel hands page cache nobody touches back to
 * its host within minutes (after one read of the 5M set's `fine`, 1,442 MB of it were cached, 1,233
 * MB a minute later; 100 of the set's 3,576 MB five minutes after its prewarm), so by its half-peak
 * phases most of a random civil ID's pages were on disk again (a p99 of 16 ms at 5M, 6.6 ms at 50k).
 */
async function prewarmReadPath(db: Client): Promise<{ megabytes: number; seconds: number }> {
  const t0 = performance.now();
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
  const { rows } = await db.query<{ blocks: string }>(
    `SELECT coalesce(sum(pg_prewarm(c.oid, 'read')), 0) AS blocks FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't')`,
  );
  return { megabytes: Math.round((Number(rows[0].blocks) * 8192) / 1048576), seconds: round((performance.now() - t0) / 1000, 1) };
}

interface DatasetReport {
  suffix: string;
  database: string;
  prewarm?: { megabytes: number; seconds: number };
  counts: Sample['counts'];
  answers: Awaited<ReturnType<typeof compareAnswers>>;
  rounds: { civil: Phase; bare: Phase; ratio: number; plate: Phase; company: Phase }[];
  /** Best round of each route, the median round of (a) and (c) (the half-peak rates' base), and service/bare. */
  peak: { civil: number; bare: number; plate: number; company: number; civilMedian: number; companyMedian: number; ratioMean: number; ratioMedian: number };
  unloaded: Phase[];
  csv: CsvRun[];
  /** autocannon overallRate (bursts at each second's start, see lib/paced-load) */
  halfPeak: { civil: Phase; bare: Phase; company: Phase };
  /** the same rates with evenly spaced arrivals: of each route's --paced-rounds phases, the one with the median p99 */
  halfPeakPaced: { civil: Phase; bare: Phase; company: Phase };
  /** every paced half-peak phase, in the order run */
  halfPeakPacedRounds: { civil: Phase[]; bare: Phase[]; company: Phase[] };
  /** of those rounds, how many were run and how many were undisturbed (keptRounds) */
  halfPeakPacedJudged: Judged;
  explain: Explained[];
}

/** A data set's sample alone, for --scale-only. */
async function sampleOnly(suffix: string, flags: Flags): Promise<Sample> {
  const db = new Client({ connectionString: benchDatabases(suffix).violationsUrl, application_name: 'bench:inquiry' });
  await db.connect();
  try {
    const s = await sample(db, flags.ids);
    if (s.counts.fines === 0) throw new Error(`${benchDatabases(suffix).violations} has no fines: run npm run bench:data -- --suffix ${suffix} first`);
    return s;
  } finally {
    await db.end();
  }
}

/** One data set's phases; its sample (civil IDs, plates, minted tokens) comes back too, for the scale pass. */
async function runDataset(suffix: string, flags: Flags, cleanups: (() => Promise<unknown>)[]): Promise<{ report: DatasetReport; sample: Sample }> {
  const dbs = benchDatabases(suffix);
  const db = new Client({ connectionString: dbs.violationsUrl, application_name: 'bench:inquiry' });
  await db.connect();
  cleanups.push(() => db.end());
  const s = await sample(db, flags.ids);
  if (s.counts.fines === 0) throw new Error(`${dbs.violations} has no fines: run npm run bench:data -- --suffix ${suffix} first`);
  log(
    `${dbs.violations}: ${fmtInt(s.counts.fines)} fines, ${fmtInt(s.counts.persons)} persons, ${fmtInt(s.counts.plates)} plates ` +
      `(${fmtInt(s.counts.fleetPlates)} of ${FLEET_COMPANY_NO}); ${fmtInt(s.civil.length)} civil IDs and ${fmtInt(s.plates.length)} plates sampled, tokens minted`,
  );

  const prewarm = flags.prewarm ? await prewarmReadPath(db) : undefined;
  if (prewarm) log(`prewarm: ${fmtInt(prewarm.megabytes)} MB of the read path's tables and indexes read into the OS page cache in ${prewarm.seconds} s`);

  const poolSize = process.env.DB_POOL_SIZE ?? '10';
  const service = startService(dbs.violationsUrl, PORTS.service, cleanups);
  const bare = startBare(dbs.violationsUrl, poolSize);
  cleanups.push(() => stopChild(bare, 'bare inquiry route'));
  await Promise.all([service.ready(), waitHttp(`http://127.0.0.1:${PORTS.bare}/health`, bare)]);
  log(`service (pid ${service.pid}) and bare route (pid ${bare.pid}) ready`);

  const answers = await compareAnswers(s.civil.slice(0, 50));
  log(`answers compared for ${answers.compared} civil IDs: ${answers.identical} identical (mean ${answers.meanFines} fines per answer)`);
  // Sanity of the other routes before loading them.
  for (const t of [s.plates[0], { path: COMPANY_PAGE, token: s.fleetToken }]) {
    const response = await fetch(`http://127.0.0.1:${PORTS.service}${t.path}`, { headers: { authorization: `Bearer ${t.token}` } });
    if (response.status !== 200) throw new Error(`${t.path} answered ${response.status}: ${await response.text()}`);
  }

  const bench = new Bench(service, () => (bare.exitCode === null ? bare.pid : undefined), db, flags.prewarm ? () => prewarmReadPath(db) : undefined);
  const company: Target[] = [{ path: COMPANY_PAGE, token: s.fleetToken }];
  const c = flags.connections;
  const d = flags.duration;
  if (flags.warmup > 0) {
    log(`warm-up: ${flags.warmup} s per route`);
    await bench.load('warm-up (a) civil ID', 'service', s.civil, { connections: c, seconds: flags.warmup });
    await bench.load('warm-up (e) civil ID', 'bare', s.civil, { connections: c, seconds: flags.warmup });
    await bench.load('warm-up (b) plate', 'service', s.plates, { connections: c, seconds: flags.warmup });
    await bench.load('warm-up (c) company page', 'service', company, { connections: c, seconds: flags.warmup });
  }

  const rounds: DatasetReport['rounds'] = [];
  for (let r = 1; r <= flags.rounds; r++) {
    let civil: Phase;
    let bareRun: Phase;
    if (r % 2 === 1) {
      civil = await bench.load(`round ${r} (a) civil ID`, 'service', s.civil, { connections: c, seconds: d });
      bareRun = await bench.load(`round ${r} (e) civil ID, bare`, 'bare', s.civil, { connections: c, seconds: d });
    } else {
      bareRun = await bench.load(`round ${r} (e) civil ID, bare`, 'bare', s.civil, { connections: c, seconds: d });
      civil = await bench.load(`round ${r} (a) civil ID`, 'service', s.civil, { connections: c, seconds: d });
    }
    const plate = await bench.load(`round ${r} (b) plate`, 'service', s.plates, { connections: c, seconds: d });
    const companyRun = await bench.load(`round ${r} (c) company page`, 'service', company, { connections: c, seconds: d });
    rounds.push({ civil, bare: bareRun, ratio: round(civil.rps / bareRun.rps, 3), plate, company: companyRun });
    log(`round ${r}: service/bare = ${((civil.rps / bareRun.rps) * 100).toFixed(0)}%`);
  }
  const best = (pick: (x: DatasetReport['rounds'][number]) => Phase) => Math.max(...rounds.map((x) => pick(x).rps));
  const peak = {
    civil: best((x) => x.civil),
    bare: best((x) => x.bare),
    plate: best((x) => x.plate),
    company: best((x) => x.company),
    // The half-peak rates' base: the typical round, not the machine's fastest minute (see the header).
    civilMedian: median(rounds.map((x) => x.civil.rps)),
    companyMedian: median(rounds.map((x) => x.company.rps)),
    ratioMean: round(rounds.reduce((sum, x) => sum + x.ratio, 0) / rounds.length, 3),
    // Judged: one round in which the host ran slowly for one side (every process's CPU per request up a third) is outvoted.
    ratioMedian: round(median(rounds.map((x) => x.ratio)), 3),
  };

  const unloaded: Phase[] = [];
  if (flags.unloaded > 0) {
    const u = { connections: 1, seconds: flags.unloaded };
    unloaded.push(await bench.load('unloaded (a) civil ID', 'service', s.civil, u));
    unloaded.push(await bench.load('unloaded (e) civil ID, bare', 'bare', s.civil, u));
    unloaded.push(await bench.load('unloaded (b) plate', 'service', s.plates, u));
    unloaded.push(await bench.load('unloaded (c) company page', 'service', company, u));
  }

  const csv: CsvRun[] = [];
  await bench.settle();
  for (const status of ['default', 'ALL'] as const) {
    // The CSV's code path is still cold here (the other routes had their warm-up phases): one download first, not counted.
    if (flags.warmup > 0) log(`warm-up (d) CSV status=${status}: ${fmtInt((await csvDownload(status, s.fleetToken)).rowsPerSec)} rows/s, not counted`);
    for (let i = 0; i < flags.csv; i++) {
      const run = await csvDownload(status, s.fleetToken);
      csv.push(run);
      log(`(d) CSV status=${status}: ${fmtInt(run.rows)} rows, ${fmtInt(run.bytes)} bytes in ${run.seconds.toFixed(2)} s = ${fmtInt(run.rowsPerSec)} rows/s`);
    }
  }

  const f = flags.rateFraction;
  const civilRate = Math.max(1, Math.round(peak.civilMedian * f));
  const companyRate = Math.max(1, Math.round(peak.companyMedian * f));
  const halfCivil = await bench.load(`${f} x peak (a) civil ID`, 'service', s.civil, { connections: c, seconds: d, overallRate: civilRate });
  const halfBare = await bench.load(`same rate (e) civil ID, bare`, 'bare', s.civil, { connections: c, seconds: d, overallRate: civilRate });
  const halfCompany = await bench.load(`${f} x peak (c) company page`, 'service', company, { connections: c, seconds: d, overallRate: companyRate });
  const leadInSeconds = flags.leadIn;
  // Paced rounds (a), (e), (c), (a), (e), (c), ...: one 10 s phase's p99 is its worst 1 %, and one
  // burst of host steal in it decides that; the aims take each route's median phase.
  const pacedRounds = await keptRounds(flags.pacedRounds, flags.maxNoise, async (r) => {
    const tag = `, paced round ${r}`;
    return {
      civil: await bench.paced(`${f} x peak (a) civil ID${tag}`, 'service', s.civil, { connections: c, seconds: d, rate: civilRate, leadInSeconds }),
      bare: await bench.paced(`same rate (e) civil ID, bare${tag}`, 'bare', s.civil, { connections: c, seconds: d, rate: civilRate, leadInSeconds }),
      company: await bench.paced(`${f} x peak (c) company page${tag}`, 'service', company, { connections: c, seconds: d, rate: companyRate, leadInSeconds }),
    };
  });
  const routes = (list: { civil: Phase; bare: Phase; company: Phase }[]) => ({
    civil: list.map((x) => x.civil),
    bare: list.map((x) => x.bare),
    company: list.map((x) => x.company),
  });
  const paced = routes(pacedRounds.all);
  const judged = routes(pacedRounds.kept);

  await service.stop();
  await stopChild(bare, 'bare inquiry route');
  const explain = flags.explain ? await explainQueries(db, s.civilIds.find(Boolean)!, firstPersonPlate(s)) : [];
  const report: DatasetReport = {
    suffix,
    prewarm,
    database: dbs.violations,
    counts: s.counts,
    answers,
    rounds,
    peak,
    unloaded,
    csv,
    halfPeak: { civil: halfCivil, bare: halfBare, company: halfCompany },
    halfPeakPaced: { civil: medianPhase(judged.civil), bare: medianPhase(judged.bare), company: medianPhase(judged.company) },
    halfPeakPacedRounds: paced,
    halfPeakPacedJudged: pacedRounds.judged,
    explain,
  };
  return { report, sample: s };
}

/** The built violations service on one data set, as the header describes it; stopped by the clean-ups. */
function startService(databaseUrl: string, port: number, cleanups: (() => Promise<unknown>)[], logName?: string): ServiceProcess {
  const service = new ServiceProcess(
    'violations',
    port,
    { ...inquiryServiceEnv(SECRET), DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? '10', SHUTDOWN_GRACE_MS: '5000' },
    { databaseUrl, logName },
  );
  cleanups.push(() => service.stop());
  service.start();
  return service;
}

interface ScaleSide {
  suffix: string;
  civil: Phase[];
  company: Phase[];
  /** Median over its judged (undisturbed) phases of each phase's p99. */
  civilP99: number;
  companyP99: number;
  /** The same over every phase, disturbed ones included. */
  civilP99All: number;
  companyP99All: number;
  /** Shown, not judged: the median over its judged phases of each phase's p50 and p90, less at the mercy of a 100 ms host stall. */
  civilP50: number;
  civilP90: number;
  companyP50: number;
  companyP90: number;
}

interface ScalePass {
  civilRate: number;
  companyRate: number;
  small: ScaleSide;
  big: ScaleSide;
  /** Rounds run and undisturbed per route (keptRounds). */
  judged: Record<'civil' | 'company', Judged>;
  civilP99Ratio: number;
  companyP99Ratio: number;
  civilP99RatioAll: number;
  companyP99RatioAll: number;
}

/**
 * The scale comparison with both data sets served at once: a service on the first set (port
 * PORTS.service) and one on the last (PORTS.scale), loaded in turn, first-last-last-first per round,
 * at one rate per route (the lower of the two sets' half-peak rates), each phase paced and after its
 * lead-in (--scale-lead-in, 5 s: the pass starts both services anew, and a fresh 5M service paced at 1,174/s had p99
 * 27 ms after 1 s, 7 ms after 11 s). Each side's latency is the median of its judged phases' p99 (keptRounds). Measured one data set after the
 * other, minutes apart, the two sides met different weather on this shared host (steal comes in
 * bursts that stop every process on the machine at once, and one burst in a 10 s phase is its p99);
 * interleaved, both meet the same.
 */
async function scalePass(
  [first, last]: [string, string],
  samples: [Sample, Sample],
  { civil: civilRate, company: companyRate }: { civil: number; company: number },
  flags: Flags,
  cleanups: (() => Promise<unknown>)[],
): Promise<ScalePass> {
  const sides: { suffix: string; port: number; s: Sample; service: ServiceProcess; bench: Bench }[] = [];
  // Before every phase of the pass both sets are read into the page cache, the same work in the same
  // order whichever side is measured next: rewarming only the measured set put the big set's 3.5 GB
  // read right before each of its phases and the small set's 40 MB before each of its own.
  const dbs: Client[] = [];
  const rewarmBoth = async () => {
    for (const db of dbs) await prewarmReadPath(db);
  };
  // Each phase also waits for the other set's database: the other service may still be draining its backlog.
  const both = [first, last].map((x) => benchDatabases(x).violations);
  for (const [suffix, port, s] of [
    [first, PORTS.service, samples[0]],
    [last, PORTS.scale, samples[1]],
  ] as const) {
    const url = benchDatabases(suffix).violationsUrl;
    const db = new Client({ connectionString: url, application_name: 'bench:inquiry' });
    await db.connect();
    cleanups.push(() => db.end());
    dbs.push(db);
    const service = startService(url, port, cleanups, `violations${suffix}.log`);
    const bench = new Bench(service, () => undefined, db, flags.prewarm ? rewarmBoth : undefined, both);
    sides.push({ suffix, port, s, service, bench });
  }
  await Promise.all(sides.map((side) => side.service.ready()));
  log(
    `scale pass: ${first} on port ${PORTS.service}, ${last} on port ${PORTS.scale}; civil ID at ${fmtInt(civilRate)}/s, company page at ${fmtInt(companyRate)}/s`,
  );
  const c = flags.connections;
  for (const side of sides) {
    if (flags.warmup > 0)
      await side.bench.load(`scale warm-up (a) civil ID, ${side.suffix}`, 'service', side.s.civil, { connections: c, seconds: flags.warmup, port: side.port });
  }
  // A round: the sides in the order first-last-last-first, one paced phase each.
  const ORDER = [0, 1, 1, 0];
  const runRoute = (route: 'civil' | 'company') =>
    keptRounds(flags.scaleRounds, flags.maxNoise, async (r) => {
      const out: Phase[] = [];
      for (const i of ORDER) {
        const side = sides[i];
        const targets = route === 'civil' ? side.s.civil : [{ path: COMPANY_PAGE, token: side.s.fleetToken }];
        const name = `scale round ${r} ${route === 'civil' ? '(a) civil ID' : '(c) company page'}, ${side.suffix}`;
        const rate = route === 'civil' ? civilRate : companyRate;
        out.push(
          await side.bench.paced(name, 'service', targets, {
            connections: c,
            seconds: flags.duration,
            rate,
            leadInSeconds: flags.scaleLeadIn,
            port: side.port,
          }),
        );
      }
      return out;
    });
  const rounds = { civil: await runRoute('civil'), company: await runRoute('company') };
  for (const side of sides) await side.service.stop();
  const ofSide = (list: Phase[][], i: number) => list.flatMap((phases) => phases.filter((_, k) => ORDER[k] === i));
  const medianOf = (key: 'p50' | 'p90' | 'p99') => (list: Phase[][], i: number) => round(median(ofSide(list, i).map((p) => p.latency[key])), 2);
  const medianP99 = medianOf('p99');
  const judged = { civil: rounds.civil.judged, company: rounds.company.judged };
  const report = (i: number): ScaleSide => ({
    suffix: sides[i].suffix,
    civil: ofSide(rounds.civil.all, i),
    company: ofSide(rounds.company.all, i),
    civilP99: medianP99(rounds.civil.kept, i),
    companyP99: medianP99(rounds.company.kept, i),
    civilP99All: medianP99(rounds.civil.all, i),
    companyP99All: medianP99(rounds.company.all, i),
    civilP50: medianOf('p50')(rounds.civil.kept, i),
    civilP90: medianOf('p90')(rounds.civil.kept, i),
    companyP50: medianOf('p50')(rounds.company.kept, i),
    companyP90: medianOf('p90')(rounds.company.kept, i),
  });
  const [small, big] = [report(0), report(1)];
  return {
    civilRate,
    companyRate,
    small,
    big,
    judged,
    civilP99Ratio: round(big.civilP99 / small.civilP99, 2),
    companyP99Ratio: round(big.companyP99 / small.companyP99, 2),
    civilP99RatioAll: round(big.civilP99All / small.civilP99All, 2),
    companyP99RatioAll: round(big.companyP99All / small.companyP99All, 2),
  };
}

/** Whether the host's steal and other processes (other people's jobs) took more than `maxNoise` of the machine during the phase (lead-in included). */
function disturbed(p: Phase, maxNoise: number): boolean {
  return (p.cpu.cpuSeconds['host steal'] ?? 0) + (p.cpu.cpuSeconds.other ?? 0) > maxNoise * p.cpu.wallSeconds * cpus().length;
}

/**
 * Runs `round` until `wanted` rounds were undisturbed (no phase of theirs disturbed) or 2 x wanted
 * rounds ran, and returns every round and the undisturbed ones (every round if none was). On this
 * host steal comes in bursts of seconds that stop every process of the machine at once; a phase
 * that meets one has the burst for its p99 whatever the software does, so it is shown, not judged.
 */
async function keptRounds<T extends Record<string, Phase> | Phase[]>(
  wanted: number,
  maxNoise: number,
  round: (r: number) => Promise<T>,
): Promise<{ all: T[]; kept: T[]; judged: Judged }> {
  const all: T[] = [];
  const kept: T[] = [];
  for (let r = 1; kept.length < wanted && r <= 2 * wanted; r++) {
    const result = await round(r);
    all.push(result);
    if (Object.values(result).some((p) => disturbed(p, maxNoise))) {
      for (const p of Object.values(result)) p.roundDisturbed = true;
      log(`round ${r} disturbed: the host's steal and other processes took more than ${maxNoise * 100}% of the machine in one of its phases`);
    } else kept.push(result);
  }
  return { all, kept: kept.length > 0 ? kept : all, judged: { run: all.length, undisturbed: kept.length, onDisturbed: kept.length === 0 } };
}

/** Rounds run, rounds undisturbed, and whether the host was busy throughout (none undisturbed, so every round was judged). */
interface Judged {
  run: number;
  undisturbed: number;
  onDisturbed: boolean;
}

function judgedText(j: Judged): string {
  return j.onDisturbed ? `0 of ${j.run} undisturbed, so judged on all ${j.run}` : `${j.undisturbed} of ${j.run}`;
}

/** The phase with the median p99 (of an even number, the higher of the middle two). */
function medianPhase(phases: Phase[]): Phase {
  return [...phases].sort((a, b) => a.latency.p99 - b.latency.p99)[Math.floor(phases.length / 2)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function firstPersonPlate(s: Sample): { type: string; number: string } {
  const [, , , , type, number] = s.plates[0].path.split('/');
  return { type, number };
}

function startBare(databaseUrl: string, poolSize: string): ChildProcess {
  const script = join(__dirname, 'lib/bare-inquiry.js');
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = createWriteStream(join(LOG_DIR, 'bare-inquiry.log'));
  // The services' Node flags: the baseline runs on the same runtime settings as what it is compared with.
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, script], {
    cwd: ROOT,
    env: { ...process.env, ...bareInquiryEnv(SECRET, databaseUrl, poolSize), PORT: String(PORTS.bare) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(logFile);
  child.stderr.pipe(logFile);
  log(`started bare inquiry route (pid ${child.pid}, port ${PORTS.bare}, log .data/bench-logs/bare-inquiry.log)`);
  return child;
}

function stallText(s: MachineStalls): string {
  return (
    `${s.perSecond} per second per core, p50 ${fmtMs(s.p50Ms)}, max ${fmtMs(s.maxMs)}, ${(s.lostShare * 100).toFixed(2)}% of the time lost` +
    (s.medianSpacingMs === undefined ? '' : `, median spacing ${s.medianSpacingMs} ms`)
  );
}

/** Whether the kernel's DAMON workers ran, and how often they sampled: their passes show in the paced p99s (lib/system kdamonds). */
function damonSummary(workers: Kdamond[]): string {
  const running = workers.filter((k) => k.state === 'on');
  if (workers.length === 0) return 'none (no DAMON sysfs interface)';
  if (running.length === 0) return `${workers.length} kdamond(s), all off`;
  return running
    .map((k) => `kdamond ${k.index} on, sampling every ${k.sampleUs === undefined ? '?' : round(k.sampleUs / 1000)} ms${k.action ? `, ${k.action}` : ''}`)
    .join('; ');
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const startedAt = new Date();
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch((error: unknown) => log(`clean-up failed: ${(error as Error).message}`));
  };
  // Not one of the clean-ups, which run after each data set: the kernel's DAMON workers stay off for the whole run.
  const damonBefore = kdamonds();
  let restoreDamon: (() => void) | undefined;
  const endRun = async () => {
    await cleanUp();
    try {
      restoreDamon?.();
    } catch (error) {
      log(`turning DAMON back on failed (echo on > /sys/kernel/mm/damon/admin/kdamonds/N/state): ${(error as Error).message}`);
    }
    restoreDamon = undefined;
  };
  process.once('SIGINT', () => {
    log('interrupted; cleaning up');
    void endRun().finally(() => process.exit(130));
  });
  try {
    for (const port of Object.values(PORTS)) if (await portOpen('127.0.0.1', port)) throw new Error(`port ${port} is in use`);
    if (flags.pauseDamon) {
      restoreDamon = pauseKdamonds();
      log(`DAMON: paused ${damonBefore.filter((k) => k.state === 'on').length} kdamond(s) for the run`);
    }
    const damon = kdamonds();
    const damonLine = damonSummary(damon);
    log(`DAMON during the run: ${damonLine}`);
    const waitUntil = Date.now() + flags.waitIdle * 1000;
    let background: CpuUsage;
    for (;;) {
      const idle0 = cpuSnapshot({});
      await sleep(2000);
      background = cpuBetween(idle0, cpuSnapshot({}));
      log(`background load before the run: machine ${Math.round(background.machineBusy * 100)}% busy`);
      if (background.machineBusy < 0.25 || Date.now() > waitUntil) break;
    }

    const stalls: StallsBeforeAfter = {};
    if (flags.stallProbe > 0) {
      stalls.before = await machineStalls(flags.stallProbe);
      log(`machine stalls before the run: ${stallText(stalls.before)}`);
    }

    const datasets: DatasetReport[] = [];
    const samples: Sample[] = [];
    if (flags.scaleOnly) {
      for (const suffix of [flags.suffixes[0], flags.suffixes[flags.suffixes.length - 1]]) samples.push(await sampleOnly(suffix, flags));
    } else {
      for (const suffix of flags.suffixes) {
        const { report, sample } = await runDataset(suffix, flags, cleanups);
        datasets.push(report);
        samples.push(sample);
        await cleanUp();
      }
    }
    let interleaved: ScalePass | undefined;
    if (flags.suffixes.length >= 2 && flags.scaleRounds > 0) {
      const [first, last] = [flags.suffixes[0], flags.suffixes[flags.suffixes.length - 1]];
      // The lower of the two sets' half-peak rates, so that both sides are paced alike.
      const rates = flags.scaleOnly ?? {
        civil: Math.min(...[datasets[0], datasets[datasets.length - 1]].map((ds) => ds.halfPeakPaced.civil.targetRate ?? 1)),
        company: Math.min(...[datasets[0], datasets[datasets.length - 1]].map((ds) => ds.halfPeakPaced.company.targetRate ?? 1)),
      };
      interleaved = await scalePass([first, last], [samples[0], samples[samples.length - 1]], rates, flags, cleanups);
      await cleanUp();
    }
    if (flags.stallProbe > 0) {
      stalls.after = await machineStalls(flags.stallProbe);
      log(`machine stalls after the run: ${stallText(stalls.after)}`);
    }
    const result = {
      benchmark: 'inquiry',
      startedAt: startedAt.toISOString(),
      machine: { ...machineInfo(), backgroundBusyBeforeRun: background.machineBusy, kdamondsBefore: damonBefore, kdamonds: damon, damon: damonLine, stalls },
      git: gitState(),
      flags,
      config: { DB_POOL_SIZE: Number(process.env.DB_POOL_SIZE ?? 10), ports: PORTS },
      datasets,
      scale: scaleRatios(datasets),
      scalePass: interleaved,
      aims: aims(datasets, interleaved),
    };
    const file = writeBenchResult('inquiry', startedAt, result);
    process.stdout.write(render(result));
    process.stdout.write(`\nJSON: ${file}\n`);
    const phases: Phase[] = [
      ...datasets.flatMap((ds) => [
        ...ds.rounds.flatMap((r) => [r.civil, r.bare, r.plate, r.company]),
        ...ds.unloaded,
        ...Object.values(ds.halfPeak),
        ...Object.values(ds.halfPeakPacedRounds).flat(),
      ]),
      ...(interleaved ? [interleaved.small, interleaved.big].flatMap((side) => [...side.civil, ...side.company]) : []),
    ];
    const failed = phases.some((p) => p.errors + p.non2xx > 0);
    if (failed || datasets.some((ds) => ds.answers.identical !== ds.answers.compared)) {
      process.stdout.write('WARNING: some requests failed or the bare answers differ from the service (see the JSON)\n');
      process.exitCode = 1;
    }
  } finally {
    await endRun();
  }
}

const PACED_LABEL = { civil: '(a) civil ID', bare: '(e) bare', company: '(c) company page' } as const;

/** ' (disturbed)' on a phase that met the host's steal or other processes, ' (round disturbed)' on the other phases of its round: neither is judged. */
function disturbedMark(p: Phase, maxNoise: number): string {
  if (disturbed(p, maxNoise)) return ' (disturbed)';
  return p.roundDisturbed ? ' (round disturbed)' : '';
}

/** Latency and throughput of the last data set over the first (e.g. 5M fines over 50k), same run. */
function scaleRatios(ds: DatasetReport[]): Record<string, number> | undefined {
  if (ds.length < 2) return undefined;
  const [small, big] = [ds[0], ds[ds.length - 1]];
  const u = (x: DatasetReport, name: string) => x.unloaded.find((p) => p.name.includes(name));
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined && b > 0 ? round(a / b, 2) : NaN);
  const median = (x: DatasetReport, pick: (r: DatasetReport['rounds'][number]) => Phase, key: 'p50' | 'p99') =>
    x.rounds.map((r) => pick(r).latency[key]).sort((a, b) => a - b)[Math.floor((x.rounds.length - 1) / 2)];
  return {
    civilUnloadedP50: ratio(u(big, '(a)')?.latency.p50, u(small, '(a)')?.latency.p50),
    civilUnloadedP99: ratio(u(big, '(a)')?.latency.p99, u(small, '(a)')?.latency.p99),
    plateUnloadedP50: ratio(u(big, '(b)')?.latency.p50, u(small, '(b)')?.latency.p50),
    companyUnloadedP50: ratio(u(big, '(c)')?.latency.p50, u(small, '(c)')?.latency.p50),
    civilPeakP50: ratio(
      median(big, (r) => r.civil, 'p50'),
      median(small, (r) => r.civil, 'p50'),
    ),
    civilPeakP99: ratio(
      median(big, (r) => r.civil, 'p99'),
      median(small, (r) => r.civil, 'p99'),
    ),
    platePeakP50: ratio(
      median(big, (r) => r.plate, 'p50'),
      median(small, (r) => r.plate, 'p50'),
    ),
    companyPeakP50: ratio(
      median(big, (r) => r.company, 'p50'),
      median(small, (r) => r.company, 'p50'),
    ),
    civilHalfPeakP99: ratio(big.halfPeakPaced.civil.latency.p99, small.halfPeakPaced.civil.latency.p99),
    companyHalfPeakP99: ratio(big.halfPeakPaced.company.latency.p99, small.halfPeakPaced.company.latency.p99),
    civilHalfPeakP99Autocannon: ratio(big.halfPeak.civil.latency.p99, small.halfPeak.civil.latency.p99),
    civilPeakThroughput: ratio(big.peak.civil, small.peak.civil),
    companyPeakThroughput: ratio(big.peak.company, small.peak.company),
  };
}

/** One aim; `note` when it was judged on rounds the host disturbed throughout (keptRounds). */
interface Aim {
  value: number;
  target: string;
  met: boolean;
  note?: string;
}

const ON_DISTURBED = 'judged on disturbed rounds: the host was busy throughout';

function aims(ds: DatasetReport[], pass?: ScalePass): Record<string, Record<string, Aim>> {
  const out: Record<string, Record<string, Aim>> = {};
  for (const x of ds) {
    const csvAll = Math.max(...x.csv.filter((c) => c.status === 'ALL').map((c) => c.rowsPerSec), 0);
    const csvDefault = Math.max(...x.csv.filter((c) => c.status === 'default').map((c) => c.rowsPerSec), 0);
    out[x.suffix] = {
      serviceAtLeast70PercentOfBare: { value: x.peak.ratioMedian, target: '>= 0.70', met: x.peak.ratioMedian >= 0.7 },
      civilP99Below20msAtHalfPeakPaced: {
        value: x.halfPeakPaced.civil.latency.p99,
        target: '< 20 ms',
        met: x.halfPeakPaced.civil.latency.p99 < 20,
        note: x.halfPeakPacedJudged.onDisturbed ? ON_DISTURBED : undefined,
      },
      civilP99Below20msAtHalfPeakAutocannon: { value: x.halfPeak.civil.latency.p99, target: '< 20 ms', met: x.halfPeak.civil.latency.p99 < 20 },
      companyPageP99Below50msAtHalfPeakPaced: {
        value: x.halfPeakPaced.company.latency.p99,
        target: '< 50 ms',
        met: x.halfPeakPaced.company.latency.p99 < 50,
        note: x.halfPeakPacedJudged.onDisturbed ? ON_DISTURBED : undefined,
      },
      companyPageP99Below50msAtHalfPeakAutocannon: { value: x.halfPeak.company.latency.p99, target: '< 50 ms', met: x.halfPeak.company.latency.p99 < 50 },
      companyPageP99Below50msAtPeak: {
        value: Math.max(...x.rounds.map((r) => r.company.latency.p99)),
        target: '< 50 ms',
        met: Math.max(...x.rounds.map((r) => r.company.latency.p99)) < 50,
      },
      csvAbove100kRowsPerSecAll: { value: csvAll, target: '> 100,000', met: csvAll > 100000 },
      csvAbove100kRowsPerSecUnpaid: { value: csvDefault, target: '> 100,000', met: csvDefault > 100000 },
    };
  }
  const scale = scaleRatios(ds);
  if (scale) {
    // Judged on the interleaved pass when it ran (scalePass); the data sets' own half-peak phases, minutes apart, otherwise.
    const civil = pass?.civilP99Ratio ?? scale.civilHalfPeakP99;
    const company = pass?.companyP99Ratio ?? scale.companyHalfPeakP99;
    out.scale = {
      civilHalfPeakP99Within1_3x: { value: civil, target: '<= 1.3', met: civil <= 1.3, note: pass?.judged.civil.onDisturbed ? ON_DISTURBED : undefined },
      civilUnloadedP50Within1_3x: { value: scale.civilUnloadedP50, target: '<= 1.3', met: scale.civilUnloadedP50 <= 1.3 },
      companyHalfPeakP99Within1_3x: {
        value: company,
        target: '<= 1.3',
        met: company <= 1.3,
        note: pass?.judged.company.onDisturbed ? ON_DISTURBED : undefined,
      },
    };
  }
  return out;
}

function render(r: {
  flags: Flags;
  config: { DB_POOL_SIZE: number };
  datasets: DatasetReport[];
  scale?: Record<string, number>;
  scalePass?: ScalePass;
  aims: ReturnType<typeof aims>;
  machine: Record<string, unknown>;
}): string {
  const out: string[] = [''];
  const f = r.flags;
  out.push(
    `Inquiry read path: violations service vs bare Fastify+pg, autocannon ${f.connections} connections, pipelining 1, ${f.duration} s per phase, DB_POOL_SIZE ${r.config.DB_POOL_SIZE} ` +
      `(machine ${String(r.machine.cpus)} cores, ${Math.round(Number(r.machine.backgroundBusyBeforeRun) * 100)}% busy before the run)`,
    `DAMON during the run: ${String(r.machine.damon)}`,
  );
  const stalls = r.machine.stalls as StallsBeforeAfter;
  if (stalls.before && stalls.after)
    out.push(
      `Machine stalls (a busy loop per core, nothing else running, ${f.stallProbe} s; gaps over ${STALL_MS} ms): before the run ${stallText(stalls.before)}; after it ${stallText(stalls.after)}`,
    );
  // '*': other processes (other people's jobs) and the host's steal took more than a quarter of the machine during the phase.
  const noisy = (p: Phase) => disturbed(p, 0.25);
  const row = (p: Phase, label = p.name) => [
    `${noisy(p) ? '* ' : ''}${label}`,
    fmtInt(p.rps),
    fmtMs(p.latency.p50),
    fmtMs(p.latency.p99),
    fmtMs(p.latency.max),
    fmtInt(p.bytesPerResponse),
    `${Math.round(p.cpu.machineBusy * 100)}%`,
    (p.cpu.cpuSeconds['violations service'] ?? 0).toFixed(1),
    (p.cpu.cpuSeconds['bare route'] ?? 0).toFixed(1),
    (p.cpu.cpuSeconds.postgres ?? 0).toFixed(1),
    (p.cpu.cpuSeconds['load generator (this process)'] ?? 0).toFixed(1),
    (p.cpu.cpuSeconds['kernel irq/softirq'] ?? 0).toFixed(1),
    (p.cpu.cpuSeconds['host steal'] ?? 0).toFixed(1),
    (p.cpu.cpuSeconds.other ?? 0).toFixed(1),
    p.errors + p.non2xx > 0 ? `${p.errors} err ${p.non2xx} non-2xx` : '',
  ];
  const header = ['phase', 'req/s', 'p50', 'p99', 'max', 'B/resp', 'busy', 'cpu svc', 'cpu bare', 'cpu pg', 'cpu gen', 'cpu irq', 'steal', 'cpu other', ''];
  for (const ds of r.datasets) {
    out.push('');
    out.push(
      `== ${ds.database}: ${fmtInt(ds.counts.fines)} fines, ${fmtInt(ds.counts.persons)} persons, ${fmtInt(ds.counts.plates)} plates (${fmtInt(ds.counts.fleetPlates)} of ${FLEET_COMPANY_NO}); ` +
        `answers service = bare for ${ds.answers.identical}/${ds.answers.compared} civil IDs (mean ${ds.answers.meanFines} fines each)`,
    );
    out.push(
      table([
        header,
        ...ds.rounds.flatMap((x, i) => [
          row(x.civil, `round ${i + 1} (a) civil ID, service`),
          row(x.bare, `round ${i + 1} (e) civil ID, bare  -> service/bare ${(x.ratio * 100).toFixed(0)}%`),
          row(x.plate, `round ${i + 1} (b) plate, service`),
          row(x.company, `round ${i + 1} (c) company page, service`),
        ]),
        ...ds.unloaded.map((p) => row(p, `${p.name} (1 connection)`)),
        row(ds.halfPeak.civil, `(a) civil ID at ${fmtInt(ds.halfPeak.civil.targetRate ?? 0)}/s (${f.rateFraction} x peak), autocannon overallRate`),
        row(ds.halfPeak.bare, `(e) bare at the same ${fmtInt(ds.halfPeak.bare.targetRate ?? 0)}/s, autocannon overallRate`),
        row(ds.halfPeak.company, `(c) company page at ${fmtInt(ds.halfPeak.company.targetRate ?? 0)}/s (${f.rateFraction} x peak), autocannon overallRate`),
        ...(['civil', 'bare', 'company'] as const).flatMap((route) =>
          ds.halfPeakPacedRounds[route].map((p, i) =>
            row(
              p,
              `${PACED_LABEL[route]} at ${fmtInt(p.targetRate ?? 0)}/s, paced ${i + 1}` +
                (p === ds.halfPeakPaced[route] ? ' (median)' : '') +
                disturbedMark(p, f.maxNoise),
            ),
          ),
        ),
      ]),
    );
    out.push(
      `CPU columns: CPU-seconds in the phase (2 cores = 2 CPU-s per wall second); irq = interrupts and softirq (mostly the loopback network carrying this benchmark's traffic); steal = the host running other machines while this one had work; "other" = every other process (other people's jobs); * = steal + other > 25% of the machine.`,
    );
    out.push(
      `autocannon overallRate sends each second's requests in a burst when the second begins; "paced" spaces arrivals evenly (lib/paced-load) and counts latency from each arrival.`,
    );
    const csvLine = (status: string) => {
      const runs = ds.csv.filter((c) => c.status === status);
      if (runs.length === 0) return '';
      return `status=${status}: ${fmtInt(runs[0].rows)} rows, ${runs.map((c) => `${c.seconds.toFixed(2)} s`).join(' / ')} -> best ${fmtInt(Math.max(...runs.map((c) => c.rowsPerSec)))} rows/s`;
    };
    out.push(
      `Paced half-peak rounds judged: ${judgedText(ds.halfPeakPacedJudged)} (a round is disturbed when the host's steal and other processes took more than ${f.maxNoise * 100}% of the machine in one of its phases; the aims take each route's median judged phase)`,
    );
    out.push(`(d) CSV of company ${FLEET_COMPANY_NO}: ${csvLine('default')}; ${csvLine('ALL')}`);
    out.push(
      `Peak (best round): (a) ${fmtInt(ds.peak.civil)}/s, (e) bare ${fmtInt(ds.peak.bare)}/s, (b) ${fmtInt(ds.peak.plate)}/s, (c) ${fmtInt(ds.peak.company)}/s; ` +
        `median round (a) ${fmtInt(ds.peak.civilMedian)}/s, (c) ${fmtInt(ds.peak.companyMedian)}/s (the half-peak rates' base); ` +
        `service/bare median of rounds ${(ds.peak.ratioMedian * 100).toFixed(0)}%, mean ${(ds.peak.ratioMean * 100).toFixed(0)}% (${ds.rounds.map((x) => `${(x.ratio * 100).toFixed(0)}%`).join(', ')})`,
    );
    if (ds.explain.length > 0) {
      out.push(`EXPLAIN ANALYZE (after the load, one sample each): ${ds.explain.map((e) => `${e.query} ${e.executionMs.toFixed(2)} ms`).join('; ')}`);
    }
  }
  if (r.scale) {
    const [small, big] = [r.datasets[0], r.datasets[r.datasets.length - 1]];
    const perPlate = (x: DatasetReport) => x.counts.fines / Math.max(1, x.counts.plates);
    out.push('');
    out.push(
      `Shape: ${perPlate(small).toFixed(2)} / ${perPlate(big).toFixed(2)} fines per plate, ${small.answers.meanFines} / ${big.answers.meanFines} outstanding fines per compared civil-ID answer` +
        (Math.abs(perPlate(big) / perPlate(small) - 1) > 0.25
          ? ' -- WARNING: the sets differ in shape, not only in size, so the latency ratios also compare answers of different sizes'
          : ''),
    );
    out.push(`Scale, ${big.database} over ${small.database} (same run; latency ratios > 1 = slower on the big set):`);
    out.push(
      Object.entries(r.scale)
        .map(([k, v]) => `${k} ${Number.isFinite(v) ? v.toFixed(2) : 'n/a'}`)
        .join(', '),
    );
  }
  const pass = r.scalePass;
  if (pass) {
    out.push('');
    out.push(
      `Scale pass, interleaved (${pass.small.suffix} and ${pass.big.suffix} served at once, loaded in turn first-last-last-first, paced, ${f.scaleLeadIn} s lead-in each): ` +
        `civil ID at ${fmtInt(pass.civilRate)}/s, company page at ${fmtInt(pass.companyRate)}/s`,
    );
    const scaleRow = (p: Phase) => row(p, `${p.name}${disturbedMark(p, f.maxNoise)}`);
    out.push(table([header, ...[...pass.small.civil, ...pass.big.civil, ...pass.small.company, ...pass.big.company].map(scaleRow)]));
    const j = pass.judged;
    out.push(
      `Median of the judged phases' p99 (rounds with no phase over ${f.maxNoise * 100}% steal and other processes: civil ID ${judgedText(j.civil)}, company page ${judgedText(j.company)}): ` +
        `civil ID ${fmtMs(pass.small.civilP99)} / ${fmtMs(pass.big.civilP99)} -> ${pass.civilP99Ratio.toFixed(2)}x; ` +
        `company page ${fmtMs(pass.small.companyP99)} / ${fmtMs(pass.big.companyP99)} -> ${pass.companyP99Ratio.toFixed(2)}x (${pass.big.suffix} over ${pass.small.suffix})`,
    );
    const shown = (key: 'civilP50' | 'civilP90' | 'companyP50' | 'companyP90') =>
      `${fmtMs(pass.small[key])} / ${fmtMs(pass.big[key])} -> ${(pass.big[key] / pass.small[key]).toFixed(2)}x`;
    out.push(
      `Shown, not judged, median of the judged phases' p50 and p90: civil ID p50 ${shown('civilP50')}, p90 ${shown('civilP90')}; ` +
        `company page p50 ${shown('companyP50')}, p90 ${shown('companyP90')}`,
    );
    out.push(
      `Median over every phase, disturbed ones included: civil ID ${fmtMs(pass.small.civilP99All)} / ${fmtMs(pass.big.civilP99All)} -> ${pass.civilP99RatioAll.toFixed(2)}x; ` +
        `company page ${fmtMs(pass.small.companyP99All)} / ${fmtMs(pass.big.companyP99All)} -> ${pass.companyP99RatioAll.toFixed(2)}x`,
    );
  }
  out.push('');
  for (const [scope, list] of Object.entries(r.aims)) {
    for (const [name, a] of Object.entries(list))
      out.push(`Aim [${scope}] ${name}: ${a.value} (target ${a.target}) ${a.met ? 'MET' : 'NOT MET'}${a.note ? ` (${a.note})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

main().catch((error: unknown) => {
  log(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
