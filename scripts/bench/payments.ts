/**
 * npm run bench:payments [-- --peak 20000 --connections 32 --rate-fraction 0.5 --duration 10 --warmup 500 --wait-idle 0]
 *
 * Signed bank callbacks into the distributed payment-gateway, and the time until violations holds
 * the fines PAID, against bare kafkajs produce-to-consume on the same broker in the same run.
 *
 * SYSTEM: the built payment-gateway and violations services as child processes (ports 3303 / 3302,
 * NODE_ENV=production, EVENT_TRANSPORT=kafka on KAFKA_BROKERS (default 127.0.0.1:9092; started with
 * scripts/infra/kafka-up.sh and stopped at the end if nothing listens), fresh databases
 * fines_payments_benchpay / fines_violations_benchpay, the project's topics and fines.* groups
 * deleted first). BANK_SECRETS holds one bank, `benchbank`, with a random secret.
 * DATA: pending payments are written straight into both databases after the services migrated them,
 * as if each had been created through POST /v1/payments and its payment.initiated applied: per
 * payment --fines-per-payment (2) fines of 15.000 KWD, `payment` + `payment_item` (reserved) +
 * `payable_fine` in payment-gateway, `fine` rows PAYMENT_PENDING in violations (its plate-summary
 * triggers keep their read model consistent).
 * CALLBACKS: `{ paymentNumber, bankReference, result: CAPTURED, amount, currency, occurredAt }`, each
 * signed when it is due (X-Bank-Signature t=,v1= HMAC-SHA256), each for a distinct payment, on at most
 * --connections (32) keep-alive connections (lib/paced-load).
 *   (1) warm-up: --warmup callbacks, not measured;
 *   (2) saturation: --peak callbacks all due at once: accepted/s = 200 answers / seconds from the first
 *       callback to the last answer; settled/s = callbacks / seconds until violations committed the last settlement;
 *   (3) half rate: --rate-fraction (0.5) x the accepted/s of (2), evenly spaced for --duration (10) s.
 *       Latency of a callback = violations' consumer transaction that set its fines PAID committing
 *       (deferred-trigger stamp on inbox_message, lib/effects.ts) - the moment the callback was due.
 *       Split into: due -> HTTP answer (payment-gateway's transaction committed), due -> outbox row
 *       marked published (the relay's update after Kafka acked), and the rest (consumer).
 *   (4) bare kafkajs, same broker, same rate and duration: a producer configured like KafkaPublisher,
 *       a consumer in a child process (lib/bare.ts) that fetches like the services (KAFKA_FETCH_MIN_BYTES,
 *       KAFKA_FETCH_MAX_WAIT_MS); latency = handed to sendBatch -> in eachBatch.
 * Checks: every accepted callback's payment PAID in payment-gateway and its fines PAID in violations,
 * the money settled equal to the money captured, no dead letters.
 * Output: tables on stdout, JSON in bench-results/payments-<timestamp>.json, service logs in .data/bench-logs/.
 */
import 'reflect-metadata'; // @app/contracts declares its payloads with class-validator decorators
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { signBody } from '@app/platform';
import { BareKafka } from './lib/bare';
import { installEffectStamps, readEffectTimes } from './lib/effects';
import { gitState } from './lib/git';
import { benchKafka, resetProjectTopics, waitForGroup } from './lib/kafka';
import { PacedResult, pacedLoad } from './lib/paced-load';
import { PidGroups, pidCpuBetween, pidSnapshot } from './lib/cpu-by-pid';
import { BENCH_BROKERS, Cleanups, infraGroups, parseFlags, serviceFetch, startBrokerBench, waitForQuietMachine, writeBenchResult } from './lib/run';
import { ServiceProcess } from './lib/services';
import { LatencySummary, fmtInt, fmtMs, summarize, table } from './lib/stats';
import { CpuUsage, PG_BASE, log, machineInfo, paced, recreateDatabases, round, sleep } from './lib/system';

interface Flags extends Record<string, number | boolean> {
  peak: number;
  connections: number;
  rateFraction: number;
  duration: number;
  warmup: number;
  finesPerPayment: number;
  waitIdle: number;
  profile: boolean;
}

const USAGE = `npm run bench:payments -- [--peak N] [--connections C] [--rate-fraction F] [--duration S] [--warmup W] [--fines-per-payment K] [--wait-idle S] [--profile]
  --profile  run the services with --cpu-prof (profiles in .data/bench-logs/prof, for Chrome DevTools)`;

function parsePaymentFlags(argv: string[]): Flags {
  return parseFlags<Flags>(
    argv,
    { peak: 20000, connections: 32, rateFraction: 0.5, duration: 10, warmup: 500, finesPerPayment: 2, waitIdle: 0, profile: false },
    {
      '--peak': 'peak',
      '--connections': 'connections',
      '--rate-fraction': 'rateFraction',
      '--duration': 'duration',
      '--warmup': 'warmup',
      '--fines-per-payment': 'finesPerPayment',
      '--wait-idle': 'waitIdle',
      '--profile': 'profile',
    },
    USAGE,
    ['waitIdle'],
  );
}

const SUFFIX = '_benchpay';
const PAYMENTS_DB = `fines_payments${SUFFIX}`;
const VIOLATIONS_DB = `fines_violations${SUFFIX}`;
const PORTS = { violations: 3302, payments: 3303 };
const BANK = 'benchbank';
const FINE_MINOR = 15000;
const BARE_TOPIC = 'bench.bare-payments.v1';
const TIMEOUT_MS = 300000;

const paymentNumber = (i: number) => `26${String(i).padStart(11, '0')}`;
const money = (minor: number) => `${Math.floor(minor / 1000)}.${String(minor % 1000).padStart(3, '0')}`;

async function main(): Promise<void> {
  const flags = parsePaymentFlags(process.argv.slice(2));
  const startedAt = new Date();
  const cleanups = new Cleanups();
  const cleanUp = () => cleanups.runAll();

  try {
    await startBrokerBench(cleanups, Object.values(PORTS));
    const infra = infraGroups();
    const background = await waitForQuietMachine(flags.waitIdle);

    log(`recreating ${PAYMENTS_DB} and ${VIOLATIONS_DB}`);
    recreateDatabases(SUFFIX, ['fines_payments', 'fines_violations']);
    const kafka = benchKafka(BENCH_BROKERS, 'bench-payments');
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push('kafka admin', () => admin.disconnect());
    await resetProjectTopics(admin);
    cleanups.push('project topics', () => resetProjectTopics(admin));

    // ------------------------------------------------------------------ the two services
    const secret = randomBytes(32).toString('hex');
    const serviceEnv = {
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
      BANK_SECRETS: JSON.stringify({ [BANK]: secret }),
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      DB_DRIVER: 'postgres',
      EVENT_TRANSPORT: 'kafka',
      KAFKA_BROKERS: BENCH_BROKERS,
      SHUTDOWN_GRACE_MS: '5000',
    };
    const paymentsUrl = `${PG_BASE}/${PAYMENTS_DB}`;
    const violationsUrl = `${PG_BASE}/${VIOLATIONS_DB}`;
    const gateway = new ServiceProcess('payment-gateway', PORTS.payments, serviceEnv, { databaseUrl: paymentsUrl, profile: flags.profile });
    const violations = new ServiceProcess('violations', PORTS.violations, serviceEnv, { databaseUrl: violationsUrl, profile: flags.profile });
    cleanups.push('payment-gateway', () => gateway.stop());
    gateway.start();
    await gateway.ready();
    cleanups.push('violations', () => violations.stop());
    violations.start();
    await violations.ready();
    await waitForGroup(admin, 'fines.violations');
    log('services ready; consumer group fines.violations is Stable');

    const paymentsDb = new Client({ connectionString: paymentsUrl });
    const violationsDb = new Client({ connectionString: violationsUrl });
    await Promise.all([paymentsDb.connect(), violationsDb.connect()]);
    cleanups.push('pg', () => Promise.all([paymentsDb.end(), violationsDb.end()]));
    await installEffectStamps(violationsDb);

    // Enough pending payments for every phase; the half-rate phase cannot exceed the peak's rate.
    const seeded = flags.warmup + flags.peak + Math.ceil(flags.peak * flags.rateFraction) + 1000;
    await seed(paymentsDb, violationsDb, seeded, flags.finesPerPayment);

    const bodies = (from: number, count: number) => {
      const total = money(FINE_MINOR * flags.finesPerPayment);
      return (i: number) => {
        if (i >= count) throw new Error('more callbacks than asked for');
        const n = from + i;
        const raw = JSON.stringify({
          paymentNumber: paymentNumber(n),
          bankReference: `BNK${n}`,
          result: 'CAPTURED',
          amount: total,
          currency: 'KWD',
          occurredAt: new Date().toISOString(),
        });
        return {
          method: 'POST',
          path: `/v1/bank-callbacks/${BANK}`,
          headers: { 'content-type': 'application/json', 'x-bank-signature': signBody(secret, raw) },
          body: raw,
        };
      };
    };
    let next = 1;
    const callbacks = async (count: number, rate: number, onAnswer?: (n: number, dueAt: number, endAt: number, status: number) => void) => {
      const from = next;
      next += count;
      const result = await pacedLoad({
        port: PORTS.payments,
        targets: [{ path: '', token: '' }],
        rate,
        seconds: (count + 0.5) / rate, // pacedLoad sends floor(rate x seconds)
        connections: flags.connections,
        build: bodies(from, count),
        onAnswer: onAnswer && ((i, due, end, status) => onAnswer(from + i, due, end, status)),
      });
      if (result.non2xx + result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors`);
      return { from, result };
    };
    const settled = async (upTo: number, label: string) => {
      const deadline = Date.now() + TIMEOUT_MS;
      for (;;) {
        const { rows } = await violationsDb.query<{ n: number }>(`SELECT count(*)::int AS n FROM fine WHERE status = 'PAID'`);
        if (rows[0].n >= (upTo - 1) * flags.finesPerPayment) return;
        if (Date.now() > deadline) throw new Error(`${label}: only ${rows[0].n} fines PAID after ${TIMEOUT_MS} ms`);
        await sleep(50);
      }
    };

    const bare = new BareKafka(kafka, admin, {
      brokers: BENCH_BROKERS,
      topic: BARE_TOPIC,
      partitions: Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 6),
      batchSize: Number(process.env.OUTBOX_BATCH_SIZE ?? 500),
      partitionsConsumedConcurrently: Number(process.env.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY ?? 3),
      ...serviceFetch(),
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
    });
    // PostgreSQL split into the backends of the two bench databases and the rest (other people's databases included).
    let benchBackends: number[] = [];
    const cpuGroups: PidGroups = {
      'bench (this process)': () => [process.pid],
      'payment-gateway': () => (gateway.pid ? [gateway.pid] : []),
      violations: () => (violations.pid ? [violations.pid] : []),
      'bare consumer': () => (bare.childPid ? [bare.childPid] : []),
      kafka: infra.kafka,
      'pg bench dbs': () => benchBackends,
      'pg rest': () => infra.postgres().filter((pid) => !benchBackends.includes(pid)),
    };
    const snapshot = async () => {
      const { rows } = await paymentsDb.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = ANY($1)`, [[PAYMENTS_DB, VIOLATIONS_DB]]);
      benchBackends = rows.map((r) => r.pid);
      return pidSnapshot(cpuGroups);
    };

    // ------------------------------------------------------------------ (1) warm-up, (2) saturation
    log(`warm-up: ${flags.warmup} callbacks`);
    await callbacks(flags.warmup, 1000);
    await settled(next, 'warm-up');
    await sleep(1000);

    log(`saturation: ${fmtInt(flags.peak)} callbacks on ${flags.connections} connections`);
    let cpu0 = await snapshot();
    const wallStart = Date.now();
    const peak = await callbacks(flags.peak, 1_000_000);
    const peakCpu = pidCpuBetween(cpu0, await snapshot());
    await settled(next, 'saturation');
    const peakSettledAt = await lastEffect(violationsDb);
    const accepted = peak.result.rps;
    const settledRate = (flags.peak / Math.max(1, peakSettledAt - wallStart)) * 1000;
    log(`saturation: ${fmtInt(accepted)} callbacks/s accepted, ${fmtInt(settledRate)}/s settled in violations`);
    await sleep(2000);

    // ------------------------------------------------------------------ (3) half rate, latency to PAID
    const rate = accepted * flags.rateFraction;
    const count = Math.min(Math.floor(rate * flags.duration), seeded - next);
    log(`half rate: ${fmtInt(rate)} callbacks/s for ${flags.duration} s (${fmtInt(count)} callbacks)`);
    const due = new Map<number, { dueAt: number; answeredAt: number }>();
    cpu0 = await snapshot();
    const steady = await callbacks(count, rate, (n, dueAt, endAt) =>
      due.set(n, { dueAt: performance.timeOrigin + dueAt, answeredAt: performance.timeOrigin + endAt }),
    );
    await settled(next, 'half rate');
    const steadyCpu = pidCpuBetween(cpu0, await snapshot());
    const latency = await settlementLatency(paymentsDb, violationsDb, due);
    log(`half rate: callback -> PAID p50 ${fmtMs(latency.toPaid.p50)}, p99 ${fmtMs(latency.toPaid.p99)}`);

    const checks = await check(paymentsDb, violationsDb, next - 1, flags.finesPerPayment);
    await violations.stop();
    await gateway.stop();

    // ------------------------------------------------------------------ (4) bare kafkajs at the same rate
    cleanups.push('bare', () => bare.stop());
    await bare.start();
    await bare.send(bare.prepare(flags.warmup));
    await bare.waitForAll(TIMEOUT_MS, 'bare warm-up');
    await sleep(1000);
    log(`bare kafkajs: ${fmtInt(rate)} messages/s for ${flags.duration} s`);
    const bareFrom = bare.sentCount;
    cpu0 = await snapshot();
    await paced(rate, flags.duration * 1000, 10, async (n) => {
      await bare.send(bare.prepare(n));
    });
    await bare.waitForAll(TIMEOUT_MS, 'bare');
    const bareCpu = pidCpuBetween(cpu0, await snapshot());
    const bareLatency = bare.latency(bareFrom, bare.sentCount);
    await cleanUp();

    // ------------------------------------------------------------------ report
    const result = {
      benchmark: 'payments',
      startedAt: startedAt.toISOString(),
      git: gitState(),
      machine: { ...machineInfo(), backgroundBusyBeforeRun: background.machineBusy },
      flags,
      saturation: { callbacks: flags.peak, acceptedPerSec: round(accepted), settledPerSec: round(settledRate), http: peak.result, cpu: peakCpu },
      halfRate: { targetRate: round(rate), callbacks: count, http: steady.result, latency, cpu: steadyCpu },
      bare: { targetRate: round(rate), messages: bare.sentCount - bareFrom, latency: bareLatency, cpu: bareCpu },
      checks,
      aims: {
        callbacksPerSecondAtLeast1000: { value: round(accepted), target: 1000, met: accepted >= 1000 },
        callbackToPaidP99Below300ms: { value: latency.toPaid.p99, target: 300, met: latency.toPaid.p99 < 300 },
      },
    };
    const file = writeBenchResult('payments', startedAt, result);
    process.stdout.write(render(result, steady.result, bareLatency));
    process.stdout.write(`\nJSON: ${file}\n`);
    if (!checks.ok) {
      process.stdout.write('WARNING: the checks failed (see checks in the JSON)\n');
      process.exitCode = 1;
    }
  } finally {
    await cleanUp();
  }
}

/** Pending payments and their reserved fines, as POST /v1/payments and payment.initiated leave them, in both databases. */
async function seed(paymentsDb: Client, violationsDb: Client, payments: number, perPayment: number): Promise<void> {
  const t0 = Date.now();
  const fines = payments * perPayment;
  // Fine g (1..fines) belongs to payment ceil(g / perPayment); 11-digit fine numbers, distinct 7-digit plates.
  const fineNumber = `'9' || lpad(g::text, 10, '0')`;
  const plate = `(1000000 + g)::text`;
  const owner = `'26' || lpad(((g - 1) / ${perPayment} + 1)::text, 11, '0')`;
  await violationsDb.query(
    `INSERT INTO fine (fine_number, external_ref, plate_type, plate_number, violation_code, amount_minor, currency, status, occurred_at,
                       location_ar, location_en, source_type, source_id, issued_at, pending_payment_number)
     SELECT ${fineNumber}, 'BENCHPAY-' || g, 'PRIVATE', ${plate}, 'NO-PARK', ${FINE_MINOR}, 'KWD', 'PAYMENT_PENDING', now() - interval '2 days',
            'شارع الخليج العربي', 'Arabian Gulf Street', 'CAMERA', 'CAM-BENCH', now() - interval '2 days', ${owner}
     FROM generate_series(1, $1::int) g`,
    [fines],
  );
  await paymentsDb.query(
    `INSERT INTO payable_fine (fine_number, plate_type, plate_number, amount_minor, currency, status)
     SELECT ${fineNumber}, 'PRIVATE', ${plate}, ${FINE_MINOR}, 'KWD', 'UNPAID' FROM generate_series(1, $1::int) g`,
    [fines],
  );
  await paymentsDb.query(
    `INSERT INTO payment (payment_number, status, payer_type, payer_id, created_by, mobile, language, total_minor, currency, bank_code, expires_at)
     SELECT '26' || lpad(p::text, 11, '0'), 'PENDING', 'CIVIL_ID', '288020122596', 'bench', '+96550000000', 'ar', ${FINE_MINOR * perPayment}, 'KWD', '${BANK}',
            now() + interval '6 hours'
     FROM generate_series(1, $1::int) p`,
    [payments],
  );
  await paymentsDb.query(
    `INSERT INTO payment_item (payment_number, fine_number, amount_minor)
     SELECT ${owner}, ${fineNumber}, ${FINE_MINOR} FROM generate_series(1, $1::int) g`,
    [fines],
  );
  await paymentsDb.query(`SELECT setval('payment_number_seq', $1)`, [payments + 1]);
  await Promise.all([paymentsDb.query('VACUUM ANALYZE'), violationsDb.query('VACUUM ANALYZE')]);
  log(`seeded ${fmtInt(payments)} pending payments with ${fmtInt(fines)} reserved fines in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function lastEffect(violationsDb: Client): Promise<number> {
  const { rows } = await violationsDb.query<{ at: number }>(`SELECT (extract(epoch FROM max(at)) * 1000)::float8 AS at FROM bench_commit_stamp`);
  return rows[0].at;
}

/** Per callback of the half-rate phase: due -> answered, due -> payment.succeeded published, due -> fines PAID committed in violations. */
async function settlementLatency(paymentsDb: Client, violationsDb: Client, due: Map<number, { dueAt: number; answeredAt: number }>) {
  const { rows } = await paymentsDb.query<{ id: string; pn: string; published: number }>(
    `SELECT event_id::text AS id, envelope->'payload'->>'paymentNumber' AS pn, (extract(epoch FROM published_at) * 1000)::float8 AS published
     FROM outbox_message WHERE event_type = 'payments.payment.succeeded'`,
  );
  const effects = await readEffectTimes(violationsDb);
  const answered: number[] = [];
  const published: number[] = [];
  const toPaid: number[] = [];
  let missing = 0;
  for (const row of rows) {
    const times = due.get(Number(row.pn.slice(2)));
    if (!times) continue;
    const effect = effects.get(row.id);
    if (!effect) {
      missing++;
      continue;
    }
    answered.push(times.answeredAt - times.dueAt);
    published.push(row.published - times.dueAt);
    toPaid.push(effect.committedAt - times.dueAt);
  }
  return { measured: toPaid.length, missing, answered: summarize(answered), published: summarize(published), toPaid: summarize(toPaid) };
}

async function check(paymentsDb: Client, violationsDb: Client, payments: number, perPayment: number) {
  const [g] = (
    await paymentsDb.query<{ paid: number; paid_minor: string; dead: number }>(
      `SELECT (SELECT count(*) FROM payment WHERE status = 'PAID')::int AS paid,
              (SELECT coalesce(sum(total_minor), 0) FROM payment WHERE status = 'PAID')::text AS paid_minor,
              (SELECT count(*) FROM dead_letter)::int AS dead`,
    )
  ).rows;
  const [v] = (
    await violationsDb.query<{ paid: number; paid_minor: string; dead: number; settled_twice: number }>(
      `SELECT (SELECT count(*) FROM fine WHERE status = 'PAID')::int AS paid,
              (SELECT coalesce(sum(amount_minor), 0) FROM fine WHERE status = 'PAID')::text AS paid_minor,
              (SELECT count(*) FROM dead_letter)::int AS dead,
              (SELECT count(*) FROM (SELECT 1 FROM outbox_message WHERE event_type = 'violations.fine.settled'
                                      GROUP BY envelope->'payload'->>'fineNumber' HAVING count(*) > 1) x)::int AS settled_twice`,
    )
  ).rows;
  const out = {
    callbacksAccepted: payments,
    paymentsPaid: g.paid,
    finesPaid: v.paid,
    capturedMinor: g.paid_minor,
    settledMinor: v.paid_minor,
    finesSettledTwice: v.settled_twice,
    deadLetters: g.dead + v.dead,
  };
  return {
    ...out,
    ok: g.paid === payments && v.paid === payments * perPayment && g.paid_minor === v.paid_minor && v.settled_twice === 0 && out.deadLetters === 0,
  };
}

function render(
  r: {
    flags: Flags;
    saturation: { acceptedPerSec: number; settledPerSec: number; http: PacedResult; cpu: CpuUsage };
    halfRate: { targetRate: number; callbacks: number; latency: Awaited<ReturnType<typeof settlementLatency>>; cpu: CpuUsage };
    bare: { cpu: CpuUsage };
    checks: Awaited<ReturnType<typeof check>>;
  },
  steady: PacedResult,
  bare: LatencySummary,
): string {
  const l = r.halfRate.latency;
  const row = (name: string, s: LatencySummary) => [name, fmtMs(s.p50), fmtMs(s.p99), fmtMs(s.max)];
  const out = [''];
  out.push(`Bank callbacks -> fines PAID, ${r.flags.finesPerPayment} fines per payment, ${r.flags.connections} connections`);
  out.push('');
  out.push(
    table([
      ['Saturation', 'value'],
      ['signed callbacks accepted per second', fmtInt(r.saturation.acceptedPerSec)],
      ['  HTTP answer p50 / p99', `${fmtMs(r.saturation.http.serviceLatency.p50)} / ${fmtMs(r.saturation.http.serviceLatency.p99)}`],
      ['payments settled in violations per second', fmtInt(r.saturation.settledPerSec)],
    ]),
  );
  out.push('');
  out.push(
    `Half rate: ${fmtInt(r.halfRate.targetRate)}/s (${Math.round(r.flags.rateFraction * 100)}% of saturation) for ${r.flags.duration} s, achieved ${fmtInt(steady.rps)}/s; ${fmtInt(l.measured)} callbacks measured`,
  );
  out.push(
    table([
      ['latency from the callback being due', 'p50', 'p99', 'max'],
      row('HTTP answer (payment PAID in payment-gateway)', l.answered),
      row('payment.succeeded published to Kafka', l.published),
      row('fines PAID committed in violations', l.toPaid),
      row('bare kafkajs produce -> consume, same rate', bare),
    ]),
  );
  out.push('');
  const phases: [string, CpuUsage][] = [
    ['saturation', r.saturation.cpu],
    ['half rate', r.halfRate.cpu],
    ['bare', r.bare.cpu],
  ];
  const groups = Object.keys(r.saturation.cpu.cpuSeconds);
  out.push('CPU seconds per phase (2 cores = 2 CPU-s per wall second):');
  out.push(
    table([
      ['', 'wall s', 'busy', ...groups],
      ...phases.map(([name, c]) => [
        name,
        c.wallSeconds.toFixed(2),
        `${Math.round(c.machineBusy * 100)}%`,
        ...groups.map((g) => (c.cpuSeconds[g] ?? 0).toFixed(2)),
      ]),
    ]),
  );
  const perCallback = Object.entries(r.saturation.cpu.cpuSeconds)
    .filter(([g]) => g !== 'other' && g !== 'host steal' && g !== 'bare consumer')
    .map(([g, seconds]) => `${g} ${((seconds * 1000) / r.flags.peak).toFixed(2)}`);
  out.push(`CPU ms per callback at saturation: ${perCallback.join(', ')}`);
  out.push('');
  const c = r.checks;
  out.push(
    `Checks: ${fmtInt(c.callbacksAccepted)} callbacks accepted, ${fmtInt(c.paymentsPaid)} payments PAID, ${fmtInt(c.finesPaid)} fines PAID, ` +
      `captured ${c.capturedMinor} fils = settled ${c.settledMinor} fils, ${c.finesSettledTwice} fines settled twice, ${c.deadLetters} dead letters: ${c.ok ? 'OK' : 'FAILED'}`,
  );
  out.push(`Aim: >= 1,000 callbacks/s ............. ${fmtInt(r.saturation.acceptedPerSec)}/s  ${r.saturation.acceptedPerSec >= 1000 ? 'MET' : 'NOT MET'}`);
  out.push(`Aim: callback -> PAID p99 < 300 ms ..... ${fmtMs(l.toPaid.p99)}  ${l.toPaid.p99 < 300 ? 'MET' : 'NOT MET'}`);
  out.push(`Ratio: callback -> PAID p50 / bare kafkajs p50 = ${(l.toPaid.p50 / bare.p50).toFixed(1)}x; p99 ${(l.toPaid.p99 / bare.p99).toFixed(1)}x`);
  return `${out.join('\n')}\n`;
}

main().catch((error: unknown) => {
  log(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
