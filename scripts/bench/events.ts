/**
 * npm run bench:events [-- --events 20000 --rate-fraction 0.5 --duration 10]
 *
 * Throughput and latency of the event backbone, against bare kafkajs, through the real Kafka broker
 * (KAFKA_BROKERS, default 127.0.0.1:9092; if nothing listens there it is started with
 * scripts/infra/kafka-up.sh and stopped again at the end) and the local PostgreSQL.
 *
 * BACKBONE: the real code paths, no mocks. The built vehicle-registry and violations services run
 * as child processes (dist/apps/<service>/src/main.js; EVENT_TRANSPORT=kafka, NODE_ENV=production,
 * fresh fines_registry_bench / fines_violations_bench databases, ports 3201 / 3202; the project's
 * topics and fines.* groups are deleted first). The benchmark writes `registry.vehicle.registered`
 * outbox rows straight into the registry's database: the rows EventPublisher writes (same columns,
 * envelope JSON, key PRIVATE:<plate>, a distinct plate per event), many per INSERT, each INSERT its
 * own transaction. The registry's OutboxRelay publishes them (OUTBOX_BATCH_SIZE per sendBatch,
 * acks=-1); violations' consumer (group fines.violations) applies each batch in one transaction
 * (inbox rows + plate_ownership upsert + plate_ownership_change insert per event), then commits the
 * Kafka offsets.
 *   - Writing from outside the registry process skips EventPublisher's in-process wake-up of the
 *     relay, which then finds the rows by polling: OUTBOX_POLL_INTERVAL_MS is set to --poll-ms
 *     (10, the lowest allowed). That adds ~poll/2 ms on average that production does not pay.
 *   - Latency of an event = effect committed - outbox committed. Start: Date.now() right after the
 *     INSERT's COMMIT returned. End: the consumer transaction that applied it committing, stamped
 *     with clock_timestamp() by a deferred trigger on violations' inbox_message (lib/effects.ts;
 *     it runs during COMMIT, so only the commit record's WAL flush, ~2-3 ms here, comes after it).
 *     Both from this machine's realtime clock.
 *   - Breakdown: outbox_message.published_at (the relay's UPDATE after Kafka acked) and
 *     inbox_message.handled_at (DEFAULT now() = start of the consumer's transaction) split the
 *     latency into relay, consumer and consumer-transaction parts.
 *   - Peak throughput = N / (first outbox write committed -> last effect committed).
 *
 * BARE KAFKAJS, same run, same N: a producer configured like KafkaPublisher (idempotent, one
 * request in flight, default partitioner, acks=-1, no compression) sends the same envelope JSON with
 * the same keys and headers in sequential sendBatch calls of OUTBOX_BATCH_SIZE to a fresh topic with
 * the same partition count; a consumer in a child process, in a fresh group, eachBatch, with the
 * backbone consumer's partitionsConsumedConcurrently, minBytes and maxWaitTimeInMs, only notes arrivals.
 * Latency = arrival in eachBatch - the moment the message was handed to sendBatch.
 *
 * STEADY PHASE, both: --rate-fraction (0.5) x the backbone's measured peak, for --duration (10) s,
 * written every 10 ms (one small INSERT transaction, or one sendBatch, per tick). The services are
 * stopped before the bare phases, so those run with fewer processes on the machine.
 *
 * The services read their knobs from the environment as in production, e.g.
 * `OUTBOX_BATCH_SIZE=1000 KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY=6 npm run bench:events`.
 * Output: a table on stdout, JSON in bench-results/events-<timestamp>.json, service logs in .data/bench-logs/.
 */
import 'reflect-metadata'; // @app/contracts declares its payloads with class-validator decorators
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { BareKafka } from './lib/bare';
import { BackboneLatency, OutboxWriter, WrittenEvent, backboneLatency, rates, readPublishedTimes, runBackbonePeak } from './lib/backbone';
import { installEffectStamps, readEffectTimes, waitForEffects } from './lib/effects';
import { benchKafka, resetProjectTopics, waitForGroup } from './lib/kafka';
import { BENCH_BROKERS, Cleanups, envInt, infraGroups, parseFlags, serviceFetch, startBrokerBench, waitForQuietMachine, writeBenchResult } from './lib/run';
import { ServiceProcess } from './lib/services';
import { LatencySummary, fmtInt, fmtMs, table } from './lib/stats';
import { CpuGroups, CpuUsage, PG_BASE, cpuBetween, cpuSnapshot, log, machineInfo, paced, pidsNamed, recreateDatabases, round, sleep } from './lib/system';

interface Flags extends Record<string, number | boolean> {
  events: number;
  rateFraction: number;
  duration: number;
  writeBatch: number;
  warmup: number;
  pollMs: number;
  waitIdle: number;
  profile: boolean;
}

const USAGE = `npm run bench:events -- [--events N] [--rate-fraction F] [--duration S] [--write-batch B] [--warmup W] [--poll-ms P] [--wait-idle S] [--profile]
  --events N         events in each peak phase, backbone and bare (default 20000)
  --rate-fraction F  steady-phase rate as a fraction of the backbone's peak (default 0.5)
  --duration S       seconds of each steady phase (default 10)
  --write-batch B    outbox rows per INSERT transaction in the peak phase (default 1000)
  --warmup W         events sent before the measured phases, not measured (default 500)
  --poll-ms P        the relay's OUTBOX_POLL_INTERVAL_MS (default 10, the lowest allowed)
  --wait-idle S      first wait up to S seconds for the machine to be under 25% busy (default 0: start at once)
  --profile          run the services with --cpu-prof (profiles in .data/bench-logs/prof, for Chrome DevTools)`;

function parseEventFlags(argv: string[]): Flags {
  const flags = parseFlags<Flags>(
    argv,
    { events: 20000, rateFraction: 0.5, duration: 10, writeBatch: 1000, warmup: 500, pollMs: 10, waitIdle: 0, profile: false },
    {
      '--events': 'events',
      '--rate-fraction': 'rateFraction',
      '--duration': 'duration',
      '--write-batch': 'writeBatch',
      '--warmup': 'warmup',
      '--poll-ms': 'pollMs',
      '--wait-idle': 'waitIdle',
      '--profile': 'profile',
    },
    USAGE,
    ['waitIdle'],
  );
  flags.events = Math.floor(flags.events);
  if (flags.pollMs < 10) throw new Error('--poll-ms: OUTBOX_POLL_INTERVAL_MS must be 10 or more');
  return flags;
}

const REGISTRY_DB = 'fines_registry_bench';
const VIOLATIONS_DB = 'fines_violations_bench';
const BARE_TOPIC = 'bench.bare.v1';
const PORTS = { registry: 3201, violations: 3202 };
const TIMEOUT_MS = 300000;

interface PhaseReport {
  events: number;
  seconds: number;
  ratePerSec: number;
  cpu: CpuUsage;
}

async function main(): Promise<void> {
  const flags = parseEventFlags(process.argv.slice(2));
  const config = {
    KAFKA_BROKERS: BENCH_BROKERS,
    OUTBOX_BATCH_SIZE: envInt('OUTBOX_BATCH_SIZE', 500),
    OUTBOX_POLL_INTERVAL_MS: flags.pollMs,
    KAFKA_TOPIC_PARTITIONS: envInt('KAFKA_TOPIC_PARTITIONS', 6),
    KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: envInt('KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY', 3),
    KAFKA_SESSION_TIMEOUT_MS: envInt('KAFKA_SESSION_TIMEOUT_MS', 30000),
    KAFKA_HEARTBEAT_INTERVAL_MS: envInt('KAFKA_HEARTBEAT_INTERVAL_MS', 3000),
    DB_POOL_SIZE: envInt('DB_POOL_SIZE', 10),
    consumerFetch: serviceFetch(),
  };
  const startedAt = new Date();
  const cleanups = new Cleanups();
  const cleanUp = () => cleanups.runAll();

  try {
    // ------------------------------------------------------------------ infrastructure
    await startBrokerBench(cleanups, Object.values(PORTS));
    const infra = infraGroups();
    const background = await waitForQuietMachine(flags.waitIdle);

    log(`recreating ${REGISTRY_DB} and ${VIOLATIONS_DB}`);
    recreateDatabases('_bench', ['fines_registry', 'fines_violations']);
    const kafka = benchKafka(BENCH_BROKERS, 'bench-events');
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push('kafka admin', () => admin.disconnect());
    log('deleting the project topics and fines.* groups');
    await resetProjectTopics(admin);
    // Leave no benchmark events behind for someone else's consumers (runs after the services have stopped).
    cleanups.push('project topics', () => resetProjectTopics(admin));

    // ------------------------------------------------------------------ the two services
    const serviceEnv = {
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'), // production refuses the development key; no tokens are used here
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      DB_DRIVER: 'postgres',
      EVENT_TRANSPORT: 'kafka',
      KAFKA_BROKERS: BENCH_BROKERS,
      OUTBOX_POLL_INTERVAL_MS: String(flags.pollMs),
      SHUTDOWN_GRACE_MS: '5000',
    };
    const registryUrl = `${PG_BASE}/${REGISTRY_DB}`;
    const violationsUrl = `${PG_BASE}/${VIOLATIONS_DB}`;
    const registry = new ServiceProcess('vehicle-registry', PORTS.registry, serviceEnv, { databaseUrl: registryUrl, profile: flags.profile });
    const violations = new ServiceProcess('violations', PORTS.violations, serviceEnv, { databaseUrl: violationsUrl, profile: flags.profile });
    cleanups.push('vehicle-registry', () => registry.stop());
    registry.start();
    await registry.ready(); // it creates the topics; started alone so two processes do not race to create them
    cleanups.push('violations', () => violations.stop());
    violations.start();
    await violations.ready();
    await waitForGroup(admin, 'fines.violations');
    log('services ready; consumer group fines.violations is Stable');

    const registryDb = new Client({ connectionString: registryUrl });
    const violationsDb = new Client({ connectionString: violationsUrl });
    await Promise.all([registryDb.connect(), violationsDb.connect()]);
    cleanups.push('pg', () => Promise.all([registryDb.end(), violationsDb.end()]));
    await installEffectStamps(violationsDb);

    const bare = new BareKafka(kafka, admin, {
      brokers: BENCH_BROKERS,
      topic: BARE_TOPIC,
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      batchSize: config.OUTBOX_BATCH_SIZE,
      partitionsConsumedConcurrently: config.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
      ...config.consumerFetch,
      sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: config.KAFKA_HEARTBEAT_INTERVAL_MS,
    });
    // PostgreSQL's CPU split by database: the backends serving each bench database (the services' pools and the bench's own
    // connections), and the rest (checkpointer, WAL writer, autovacuum, other people's databases).
    const backends = new Map<string, number[]>();
    const cpuGroups: CpuGroups = {
      'bench (this process)': () => [process.pid],
      'vehicle-registry (relay)': () => (registry.pid ? [registry.pid] : []),
      'violations (consumer)': () => (violations.pid ? [violations.pid] : []),
      'bare consumer (child)': () => (bare.childPid ? [bare.childPid] : []),
      kafka: infra.kafka,
      'pg registry (db)': () => backends.get(REGISTRY_DB) ?? [],
      'pg violations (db)': () => backends.get(VIOLATIONS_DB) ?? [],
      'pg other (rest)': () => pidsNamed('postgres').filter((pid) => ![...backends.values()].some((list) => list.includes(pid))),
    };
    const snapshot = async () => {
      const { rows } = await violationsDb.query<{ pid: number; datname: string }>(`SELECT pid, datname FROM pg_stat_activity WHERE datname = ANY($1)`, [
        [REGISTRY_DB, VIOLATIONS_DB],
      ]);
      backends.clear();
      for (const r of rows) backends.set(r.datname, [...(backends.get(r.datname) ?? []), r.pid]);
      return cpuSnapshot(cpuGroups);
    };

    // ------------------------------------------------------------------ backbone: peak
    const writer = new OutboxWriter(registryDb);
    log(`backbone warm-up: ${flags.warmup} events`);
    await writer.write(writer.prepare(flags.warmup), 'warmup');
    await waitForEffects(violationsDb, writer.total, TIMEOUT_MS, 'backbone warm-up');
    await sleep(1000);

    log(`backbone peak: ${fmtInt(flags.events)} events in INSERTs of ${flags.writeBatch}`);
    let cpu0 = await snapshot();
    const peakWrites = await runBackbonePeak(writer, violationsDb, flags.events, flags.writeBatch, TIMEOUT_MS);
    const backbonePeakCpu = cpuBetween(cpu0, await snapshot());
    const of = (phase: WrittenEvent['phase']) => writer.written.filter((e) => e.phase === phase);
    const peak = rates(of('peak'), await readEffectTimes(violationsDb), await readPublishedTimes(registryDb));
    const outboxWriteRate = (flags.events / Math.max(1, peakWrites.writesDoneAt - peakWrites.firstCommitAt)) * 1000;
    log(`backbone peak: ${fmtInt(peak.throughput)} events/s (outbox written at ${fmtInt(outboxWriteRate)}/s, relay published at ${fmtInt(peak.relay)}/s)`);
    await sleep(1000);

    // ------------------------------------------------------------------ backbone: steady
    const rate = peak.throughput * flags.rateFraction;
    log(`backbone steady: ${fmtInt(rate)} events/s for ${flags.duration} s`);
    cpu0 = await snapshot();
    const backboneSteady = await paced(rate, flags.duration * 1000, 10, async (count) => {
      await writer.write(writer.prepare(count), 'steady');
    });
    await waitForEffects(violationsDb, writer.total, TIMEOUT_MS, 'backbone steady');
    const backboneSteadyCpu = cpuBetween(cpu0, await snapshot());

    const [checks] = (
      await violationsDb.query<{ changes: number; ownerships: number; dead: number }>(
        `SELECT (SELECT count(*) FROM plate_ownership_change)::int AS changes, (SELECT count(*) FROM plate_ownership)::int AS ownerships,
                (SELECT count(*) FROM dead_letter)::int AS dead`,
      )
    ).rows;
    const effects = await readEffectTimes(violationsDb);
    const publishedAt = await readPublishedTimes(registryDb);
    const backbonePeakLatency = backboneLatency(of('peak'), effects, publishedAt);
    const backboneSteadyLatency = backboneLatency(of('steady'), effects, publishedAt);
    await violations.stop();
    await registry.stop();

    // ------------------------------------------------------------------ bare kafkajs: peak and steady
    cleanups.push('bare', () => bare.stop());
    await bare.start();
    log(`bare warm-up: ${flags.warmup} messages`);
    await bare.send(bare.prepare(flags.warmup));
    await bare.waitForAll(TIMEOUT_MS, 'bare warm-up');
    await sleep(1000);

    log(`bare peak: ${fmtInt(flags.events)} messages in sendBatch calls of ${config.OUTBOX_BATCH_SIZE}`);
    const bareItems = bare.prepare(flags.events);
    cpu0 = await snapshot();
    const bareFirst = await bare.send(bareItems);
    const bareLast = await bare.waitForAll(TIMEOUT_MS, 'bare peak');
    const barePeakCpu = cpuBetween(cpu0, await snapshot());
    const bareThroughput = (flags.events / (bareLast - bareFirst)) * 1000;
    const barePeakLatency = bare.latency(bareItems[0].seq, bareItems[0].seq + flags.events);
    log(`bare peak: ${fmtInt(bareThroughput)} messages/s`);
    await sleep(1000);

    log(`bare steady: ${fmtInt(rate)} messages/s for ${flags.duration} s`);
    const bareSteadyFrom = bare.sentCount;
    cpu0 = await snapshot();
    const bareSteady = await paced(rate, flags.duration * 1000, 10, async (count) => {
      await bare.send(bare.prepare(count));
    });
    await bare.waitForAll(TIMEOUT_MS, 'bare steady');
    const bareSteadyCpu = cpuBetween(cpu0, await snapshot());
    const bareSteadyLatency = bare.latency(bareSteadyFrom, bare.sentCount);
    await cleanUp();

    // ------------------------------------------------------------------ report
    const ratio = peak.throughput / bareThroughput;
    const result: Result = {
      benchmark: 'events',
      startedAt: startedAt.toISOString(),
      machine: { ...machineInfo(), backgroundBusyBeforeRun: background.machineBusy },
      flags,
      config,
      backbone: {
        peak: {
          ...phase(flags.events, peak.seconds * 1000, backbonePeakCpu),
          throughput: round(peak.throughput),
          outboxWriteRate: round(outboxWriteRate),
          relayPublishRate: round(peak.relay),
          latency: backbonePeakLatency,
        },
        steady: { targetRate: round(rate), ...phase(backboneSteady.sent, backboneSteady.elapsedMs, backboneSteadyCpu), latency: backboneSteadyLatency },
        checks: {
          eventsWritten: writer.total,
          effectsStamped: effects.size,
          plateOwnershipChanges: checks.changes,
          plateOwnerships: checks.ownerships,
          deadLetters: checks.dead,
        },
      },
      bare: {
        topic: BARE_TOPIC,
        peak: { ...phase(flags.events, bareLast - bareFirst, barePeakCpu), throughput: round(bareThroughput), latency: barePeakLatency },
        steady: { targetRate: round(rate), ...phase(bareSteady.sent, bareSteady.elapsedMs, bareSteadyCpu), latency: bareSteadyLatency },
      },
      ratio: { throughput: round(ratio, 3) },
      aims: {
        throughputAtLeastHalfOfBare: { value: round(ratio, 3), target: 0.5, met: ratio >= 0.5 },
        steadyP99Below100ms: { value: backboneSteadyLatency.endToEnd.p99, target: 100, met: backboneSteadyLatency.endToEnd.p99 < 100 },
      },
    };
    const file = writeBenchResult('events', startedAt, result);
    process.stdout.write(render(result, background));
    process.stdout.write(`\nJSON: ${file}\n`);
    const c = result.backbone.checks;
    if (c.plateOwnershipChanges !== c.eventsWritten || c.effectsStamped !== c.eventsWritten || c.deadLetters > 0) {
      process.stdout.write(`WARNING: the backbone did not apply every event exactly once (see checks)\n`);
      process.exitCode = 1;
    }
  } finally {
    await cleanUp();
  }
}

interface Result {
  benchmark: string;
  startedAt: string;
  machine: Record<string, unknown>;
  flags: Flags;
  config: { KAFKA_BROKERS: string; OUTBOX_BATCH_SIZE: number; KAFKA_TOPIC_PARTITIONS: number; KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: number };
  backbone: {
    peak: PhaseReport & { throughput: number; outboxWriteRate: number; relayPublishRate: number; latency: BackboneLatency };
    steady: PhaseReport & { targetRate: number; latency: BackboneLatency };
    checks: { eventsWritten: number; effectsStamped: number; plateOwnershipChanges: number; plateOwnerships: number; deadLetters: number };
  };
  bare: {
    topic: string;
    peak: PhaseReport & { throughput: number; latency: LatencySummary };
    steady: PhaseReport & { targetRate: number; latency: LatencySummary };
  };
  ratio: { throughput: number };
  aims: Record<string, { value: number; target: number; met: boolean }>;
}

function phase(events: number, ms: number, cpu: CpuUsage): PhaseReport {
  return { events, seconds: round(ms / 1000, 2), ratePerSec: round((events / ms) * 1000), cpu };
}

function render(r: Result, background: CpuUsage): string {
  const { flags, config } = r;
  const bb = r.backbone;
  const ratio = r.ratio.throughput;
  const cells = (l: LatencySummary) => [fmtMs(l.p50), fmtMs(l.p99), fmtMs(l.max)];
  const out: string[] = [''];
  out.push(`Event backbone vs bare kafkajs: N=${fmtInt(flags.events)}, Kafka ${config.KAFKA_BROKERS}, ${config.KAFKA_TOPIC_PARTITIONS} partitions, acks=-1`);
  out.push(
    `OUTBOX_BATCH_SIZE ${config.OUTBOX_BATCH_SIZE}, OUTBOX_POLL_INTERVAL_MS ${flags.pollMs} (rows are written from outside the registry process),` +
      ` KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY ${config.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY}`,
  );
  out.push('');
  out.push(
    table([
      ['', 'backbone', 'bare kafkajs', 'backbone/bare'],
      ['Peak throughput (events/s)', fmtInt(bb.peak.throughput), fmtInt(r.bare.peak.throughput), `${(ratio * 100).toFixed(0)}%`],
      ['  p50 latency at peak *', fmtMs(bb.peak.latency.endToEnd.p50), fmtMs(r.bare.peak.latency.p50), ''],
      ['  p99 latency at peak *', fmtMs(bb.peak.latency.endToEnd.p99), fmtMs(r.bare.peak.latency.p99), ''],
      [
        `Steady ${Math.round(flags.rateFraction * 100)}% of peak, ${fmtInt(bb.steady.targetRate)}/s x ${flags.duration} s: achieved/s`,
        fmtInt(bb.steady.ratePerSec),
        fmtInt(r.bare.steady.ratePerSec),
        '',
      ],
      ['  p50 latency', fmtMs(bb.steady.latency.endToEnd.p50), fmtMs(r.bare.steady.latency.p50), ''],
      ['  p99 latency', fmtMs(bb.steady.latency.endToEnd.p99), fmtMs(r.bare.steady.latency.p99), ''],
      ['  max latency', fmtMs(bb.steady.latency.endToEnd.max), fmtMs(r.bare.steady.latency.max), ''],
    ]),
  );
  out.push('');
  out.push('Backbone latency: outbox INSERT committed -> consumer transaction committing (deferred-trigger stamp, before its ~2-3 ms WAL flush).');
  out.push('Bare latency: message handed to sendBatch -> message in the consumer eachBatch.');
  out.push('* At peak all N outbox rows are committed within ~1 s, so the backbone figures are mostly time queued in the outbox and topic;');
  out.push('  the bare producer is handed one batch after the other, so its figures have no such backlog. Compare latencies in the steady phase.');
  out.push('');
  out.push(
    `Backbone, where the time goes. Relay drained the peak backlog at ${fmtInt(bb.peak.relayPublishRate)}/s; outbox written at ${fmtInt(bb.peak.outboxWriteRate)}/s.`,
  );
  out.push(
    table([
      ['', 'peak p50', 'peak p99', 'peak max', 'steady p50', 'steady p99', 'steady max'],
      ['commit -> effect committed', ...cells(bb.peak.latency.endToEnd), ...cells(bb.steady.latency.endToEnd)],
      ['commit -> outbox row marked published (relay)', ...cells(bb.peak.latency.relay), ...cells(bb.steady.latency.relay)],
      ['published -> effect committed (consumer)', ...cells(bb.peak.latency.consumer), ...cells(bb.steady.latency.consumer)],
      ['  of which consumer transaction (start -> commit)', ...cells(bb.peak.latency.consumerTx), ...cells(bb.steady.latency.consumerTx)],
    ]),
  );
  const batches = (l: BackboneLatency) => `${fmtInt(l.consumerBatches.count)} transactions of ${l.consumerBatches.meanEvents} events on average`;
  out.push(`Consumer batches: peak ${batches(bb.peak.latency)}; steady ${batches(bb.steady.latency)}.`);
  out.push('');
  const cores = cpus().length;
  out.push(`CPU seconds per phase (${cores} cores = ${cores} CPU-s per wall second; "other" = every other process, e.g. other people's builds and tests).`);
  out.push(`Before the run the machine was ${Math.round(background.machineBusy * 100)}% busy.`);
  const phases: [string, CpuUsage][] = [
    ['backbone peak', bb.peak.cpu],
    ['backbone steady', bb.steady.cpu],
    ['bare peak', r.bare.peak.cpu],
    ['bare steady', r.bare.steady.cpu],
  ];
  const groups = Object.keys(bb.peak.cpu.cpuSeconds);
  out.push(
    table([
      ['', 'wall s', 'busy', ...groups.map((g) => g.replace(/ \(.*\)/, ''))],
      ...phases.map(([name, c]) => [
        name,
        c.wallSeconds.toFixed(2),
        `${Math.round(c.machineBusy * 100)}%`,
        ...groups.map((g) => (c.cpuSeconds[g] ?? 0).toFixed(2)),
      ]),
    ]),
  );
  out.push('');
  const c = bb.checks;
  out.push(
    `Checks: ${fmtInt(c.eventsWritten)} outbox events written, ${fmtInt(c.effectsStamped)} effect commits stamped, ` +
      `${fmtInt(c.plateOwnershipChanges)} plate_ownership_change rows, ${c.deadLetters} dead letters.`,
  );
  out.push('');
  const p99 = bb.steady.latency.endToEnd.p99;
  out.push(`Aim: backbone >= 50% of bare throughput ........ ${(ratio * 100).toFixed(0)}%  ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`);
  out.push(`Aim: backbone p99 < 100 ms at ${Math.round(flags.rateFraction * 100)}% of peak ...... ${fmtMs(p99)}  ${p99 < 100 ? 'MET' : 'NOT MET'}`);
  return `${out.join('\n')}\n`;
}

main().catch((error: unknown) => {
  log(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
