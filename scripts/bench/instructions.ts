/**
 * npm run bench:instructions [-- --suffix _bench_50k --warm 20000 --count 2000 --connections 1 --ids 200]
 *
 * Machine instructions per civil-ID inquiry, the violations service against bench:inquiry's bare
 * route (lib/bare-inquiry: the same SQL, token check and answer with no framework), counted by
 * valgrind's callgrind. A count of instructions does not move with the host's stalls, the other
 * processes or the CPU's clock, which decide bench:inquiry's latencies on these shared 2-core
 * machines: it shows what a change to the read path costs or saves.
 *
 * Both start as in bench:inquiry (production mode, LOG_LEVEL=warn, the services' Node flags,
 * DB_POOL_SIZE 10, on fines_violations<suffix> made by npm run bench:data), each under
 * `valgrind --tool=callgrind --instr-atstart=no`, and are measured one after the other. Each gets
 * --warm (20,000) requests first, uncounted: V8 compiles the hot code only after thousands of calls,
 * and counting earlier counts the compiler (after 2,000 requests the service still took 2.00 M
 * instructions a request, after 20,000 1.27 M). Then counting is switched on (callgrind_control
 * -i on, -z), --count (2,000) requests are sent, and the counts are dumped (-d); then the process
 * is left idle for as long and dumped again: instructions per request is the first dump's total
 * less the second's, over --count (the service polls its outbox and folds company totals every
 * second whatever it serves; slower runs would count more of that per request). Requests go one at a time (--connections 1), to --ids
 * (200) random existing civil IDs, each with its own driver token; every answer must be a 200. With
 * more connections a process finds several requests per wake-up and does less per request, and how
 * many depends on how fast it runs beside the other: the two processes' counts then move apart by
 * several percent from one run to the next.
 *
 * It counts everything the process does while the requests are served: JavaScript, V8's compiler
 * and garbage collector, libuv, and what the system calls cost in user space (not in the kernel).
 * Needs valgrind (`apt-get install valgrind`); takes ~6 minutes on these machines, most of it the
 * warm-ups under valgrind. Output on stdout, JSON in bench-results/instructions-<timestamp>.json,
 * callgrind files and logs in .data/bench-logs/callgrind/.
 */
import 'reflect-metadata';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { SERVICE_NODE_FLAGS } from '@app/platform';
import { gitState } from './lib/git';
import { Cleanups, parseFlags, refuseBusyPorts, writeBenchResult } from './lib/run';
import { LOG_DIR, bareInquiryEnv, inquiryServiceEnv, stopChild, waitHttp } from './lib/services';
import { fmtInt, table } from './lib/stats';
import { PG_BASE, ROOT, log, machineInfo, round, sleep } from './lib/system';
import { mintToken } from './lib/tokens';

type Flags = {
  warm: number;
  count: number;
  connections: number;
  ids: number;
};

const USAGE = 'npm run bench:instructions -- [--suffix S (default _bench)] [--warm N] [--count N] [--connections N] [--ids N]';
const PORTS = { service: 3232, bare: 3233 };
const SECRET = randomBytes(20).toString('hex');
const OUT_DIR = join(LOG_DIR, 'callgrind');
/** The services listen on HOST (127.0.0.1 here); valgrind also puts USER and HOST in its vgdb pipes' names, which callgrind_control must match. */
const VGDB_NAMES = { USER: process.env.USER ?? userInfo().username, HOST: '127.0.0.1' };

interface Counted {
  name: 'service' | 'bare';
  /** Everything counted while the requests were served. */
  instructions: number;
  /** The same process idle for as long: its timers and background work (the service's outbox poll and company-totals fold). */
  idleInstructions: number;
  seconds: number;
  /** (instructions - idleInstructions) / count. */
  perRequest: number;
  warmRequestsPerSec: number;
  countedRequestsPerSec: number;
}

/** A node script under callgrind, counting nothing until told to. */
class UnderCallgrind {
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;

  constructor(
    readonly name: 'service' | 'bare',
    script: string,
    readonly port: number,
    env: Record<string, string>,
  ) {
    const logFile = createWriteStream(join(OUT_DIR, `${name}.log`));
    const args = ['--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${join(OUT_DIR, `${name}.%p`)}`];
    this.child = spawn('valgrind', [...args, process.execPath, ...SERVICE_NODE_FLAGS, join(ROOT, script)], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...VGDB_NAMES, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Both into one file, closed once the process is gone (valgrind writes its summary to stderr last).
    this.child.stdout!.pipe(logFile, { end: false });
    this.child.stderr!.pipe(logFile, { end: false });
    this.exited = new Promise((done) => this.child.once('close', done)).then(() => logFile.end());
    log(`started ${name} under callgrind (pid ${this.child.pid}, port ${port}, log .data/bench-logs/callgrind/${name}.log)`);
  }

  /** Slow to start under valgrind. */
  ready(path: string): Promise<void> {
    return waitHttp(`http://127.0.0.1:${this.port}${path}`, this.child, 600_000);
  }

  /** callgrind_control reaches the process through vgdb's pipes, named after USER and HOST as the process saw them. */
  control(...options: string[]): void {
    // It exits with 0 when it finds no such process, and says so.
    const said = execFileSync('callgrind_control', [...options, String(this.child.pid)], {
      env: { ...process.env, ...VGDB_NAMES },
      encoding: 'utf8',
      stdio: 'pipe',
      timeout: 60_000,
    });
    if (/error|not detected/i.test(said)) throw new Error(`callgrind_control ${options.join(' ')} ${this.child.pid}: ${said.trim()}`);
  }

  /** The total of the `n`th dump (`<name>.<pid>.<n>`), once callgrind has written all of it: `totals:` is its last line. */
  async dumpedTotal(n: number, timeoutMs = 120_000): Promise<number> {
    const file = join(OUT_DIR, `${this.name}.${this.child.pid}.${n}`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const total = existsSync(file) && /^totals: (\d+)/m.exec(readFileSync(file, 'utf8'));
      if (total) return Number(total[1]);
      await sleep(500);
    }
    throw new Error(`callgrind wrote no ${file} with its totals within ${timeoutMs / 1000} s`);
  }

  /** A graceful stop takes longer under valgrind; the log is closed once the process is gone. */
  async stop(): Promise<void> {
    await stopChild(this.child, this.name, 60_000);
    await this.exited;
  }
}

async function load(port: number, amount: number, connections: number, requests: { path: string; token: string }[]): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    amount,
    timeout: 120,
    requests: requests.map(({ path, token }) => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } })),
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(`port ${port}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  return result.requests.average;
}

async function measure(target: UnderCallgrind, flags: Flags, requests: { path: string; token: string }[]): Promise<Counted> {
  const warmRate = await load(target.port, flags.warm, flags.connections, requests);
  log(`${target.name}: ${fmtInt(flags.warm)} warm-up requests done (${fmtInt(warmRate)} req/s under valgrind)`);
  target.control('-i', 'on');
  target.control('-z');
  const started = Date.now();
  const countedRate = await load(target.port, flags.count, flags.connections, requests);
  const seconds = (Date.now() - started) / 1000;
  target.control('-d');
  const instructions = await target.dumpedTotal(1);
  if (instructions === 0) throw new Error(`${target.name}: callgrind counted nothing`);
  // What the process does on its own meanwhile is not the requests' (the service polls its outbox and folds company totals every second).
  await sleep(seconds * 1000);
  target.control('-d');
  const idleInstructions = await target.dumpedTotal(2);
  const perRequest = Math.round((instructions - idleInstructions) / flags.count);
  log(
    `${target.name}: ${fmtInt(perRequest)} instructions per request over ${fmtInt(flags.count)} requests (${fmtInt(idleInstructions)} idle for as long subtracted)`,
  );
  return {
    name: target.name,
    instructions,
    idleInstructions,
    seconds: round(seconds),
    perRequest,
    warmRequestsPerSec: round(warmRate),
    countedRequestsPerSec: round(countedRate),
  };
}

/** `--suffix S` (the data set, default _bench, as bench:data makes it), and the other arguments. */
function takeSuffix(argv: string[]): { suffix: string; rest: string[] } {
  let suffix = '_bench';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--suffix') suffix = argv[++i] ?? '';
    else if (argv[i].startsWith('--suffix=')) suffix = argv[i].slice('--suffix='.length);
    else rest.push(argv[i]);
  }
  if (!/^\w+$/.test(suffix)) throw new Error(`bad --suffix ${suffix}\n${USAGE}`);
  return { suffix, rest };
}

async function main(): Promise<void> {
  const { suffix, rest } = takeSuffix(process.argv.slice(2));
  const flags = parseFlags<Flags>(
    rest,
    { warm: 20000, count: 2000, connections: 1, ids: 200 },
    { '--warm': 'warm', '--count': 'count', '--connections': 'connections', '--ids': 'ids' },
    USAGE,
  );
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    execFileSync('which', ['callgrind_control'], { stdio: 'ignore' });
  } catch {
    throw new Error('valgrind and callgrind_control are needed: apt-get install valgrind');
  }

  const startedAt = new Date();
  const databaseUrl = `${PG_BASE}/fines_violations${suffix}`;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect().catch((error: Error) => {
    throw new Error(`${databaseUrl}: ${error.message} (make it with npm run bench:data -- --suffix ${suffix} ...)`);
  });
  await db.query('SELECT setseed(0.4242)');
  const persons = await db.query<{ id: string }>(`SELECT owner_id AS id FROM owner_name WHERE owner_type = 'PERSON' ORDER BY random() LIMIT $1`, [flags.ids]);
  const fines = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM fine')).rows[0].n);
  await db.end();
  const requests = await Promise.all(
    persons.rows.map(async ({ id }) => ({ path: `/v1/inquiry/civil-id/${id}`, token: await mintToken(SECRET, 'driver', id) })),
  );
  if (requests.length === 0) throw new Error(`fines_violations${suffix} has no persons: make it with npm run bench:data -- --suffix ${suffix} ...`);
  log(`fines_violations${suffix}: ${fmtInt(fines)} fines; ${requests.length} civil IDs`);

  await refuseBusyPorts(Object.values(PORTS));
  mkdirSync(OUT_DIR, { recursive: true });
  for (const file of readdirSync(OUT_DIR)) if (/^(service|bare)\.\d+/.test(file)) rmSync(join(OUT_DIR, file));
  const cleanups = new Cleanups();
  const service = new UnderCallgrind('service', 'dist/apps/violations/src/main.js', PORTS.service, {
    ...inquiryServiceEnv(SECRET),
    DB_POOL_SIZE: '10',
    DATABASE_URL: databaseUrl,
    VIOLATIONS_DATABASE_URL: databaseUrl,
  });
  cleanups.push('service', () => service.stop());
  const bare = new UnderCallgrind('bare', 'dist/scripts/bench/lib/bare-inquiry.js', PORTS.bare, bareInquiryEnv(SECRET, databaseUrl, '10'));
  cleanups.push('bare', () => bare.stop());
  try {
    await Promise.all([service.ready('/health/ready'), bare.ready('/health')]);
    log('both answer; warming up');
    // One at a time: how many requests a process finds waiting per wake-up changes its count per request.
    const ofService = await measure(service, flags, requests);
    const ofBare = await measure(bare, flags, requests);
    const ratio = round(ofService.perRequest / ofBare.perRequest, 3);
    process.stdout.write(
      `\nInstructions per civil-ID inquiry (callgrind; ${fmtInt(fines)} fines; ${fmtInt(flags.warm)} warm-up requests, ${fmtInt(flags.count)} counted)\n` +
        table([
          ['', 'instructions / request', 'idle for as long (subtracted)', 'counted req/s under valgrind'],
          ['service', fmtInt(ofService.perRequest), fmtInt(ofService.idleInstructions), fmtInt(ofService.countedRequestsPerSec)],
          ['bare route', fmtInt(ofBare.perRequest), fmtInt(ofBare.idleInstructions), fmtInt(ofBare.countedRequestsPerSec)],
          ['service / bare', `${ratio}x`, '', ''],
        ]) +
        '\n',
    );
    const file = writeBenchResult('instructions', startedAt, {
      startedAt,
      git: gitState(),
      machine: machineInfo(),
      suffix,
      fines,
      flags,
      service: ofService,
      bare: ofBare,
      serviceOverBare: ratio,
    });
    log(`JSON: ${file}`);
  } finally {
    await cleanups.runAll();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
