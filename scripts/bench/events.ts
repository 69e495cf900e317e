/**
 * npm run bench:events [-- --events 20000 --rate-fraction 0.5 --duration 10]
 *
 * Throughput and latency of the event backbone against bare kafkajs, on the real Kafka broker
 * (KAFKA_BROKERS, default 127.0.0.1:9092; started with scripts/infra/kafka-up.sh when nothing
 * listens there, and stopped again at the end) and the local PostgreSQL.
 *
 * Backbone = the real code paths, no mocks: the built vehicle-registry and violations services
 * run as child processes (dist/apps/<service>/src/main.js, EVENT_TRANSPORT=kafka, NODE_ENV=production,
 * on fresh fines_registry_bench / fines_violations_bench databases, ports 3201 / 3202, the project's
 * topics and fines.* groups deleted first). The benchmark writes `registry.vehicle.registered`
 * outbox rows straight into the registry's database (the rows EventPublisher writes: same columns,
 * envelope JSON, key PRIVATE:<plate>, distinct plates), many per INSERT, each INSERT its own
 * transaction. The registry's OutboxRelay publishes them; violations' consumer ('violations', group
 * fines.violations) applies them (inbox row + plate_ownership upsert + plate_ownership_change insert
 * in one transaction per batch) and then commits the Kafka offsets.
 *   - The relay is woken in-process by EventPublisher's commits; these rows come from another
 *     process, so it finds them by polling: OUTBOX_POLL_INTERVAL_MS is set to --poll-ms (10, the
 *     lowest allowed), which adds ~poll/2 ms on average to latency that production does not pay.
 *   - Start of an event's latency: Date.now() right after its INSERT's COMMIT returned.
 *   - End: the moment violations' committed offset for the event's partition is seen past the
 *     event's offset (Kafka OffsetFetch polled every --watch-ms, 5 ms). The pipeline commits offsets
 *     only after the batch's DB transaction committed, so this is an upper bound of "effect
 *     committed" (late by at most one poll + one Kafka round trip). Events are matched to
 *     (partition, offset) by reading the topic afterwards. As a lower bound the report also gives
 *     commit -> inbox_message.handled_at (DEFAULT now(): the START of the consumer's transaction).
 *   - Breakdown: outbox_message.published_at (now() of the relay's UPDATE after Kafka acked) splits
 *     the latency into relay (poll wait + SELECT + produce acks=-1) and consumer parts.
 *   - Peak throughput = N / (first write committed -> last effect observed committed).
 *
 * Bare kafkajs, same run, same N: a producer configured like KafkaPublisher (idempotent, one
 * request in flight, default partitioner, acks=-1, no compression) sends the same envelope JSON with
 * the same keys and headers in sequential sendBatch calls of OUTBOX_BATCH_SIZE messages to a fresh
 * topic with the same partition count; a consumer in a child process, fresh group, eachBatch,
 * partitionsConsumedConcurrently and maxWaitTimeInMs as the backbone's consumer. Latency = arrival
 * in eachBatch - the moment the message was handed to sendBatch (Date.now() in both processes).
 *
 * Steady phase: --rate-fraction (0.5) x the backbone's measured peak, for --duration (10) seconds,
 * written every 10 ms (a small INSERT transaction per tick, or a sendBatch per tick for bare), for
 * both. The services are stopped before the bare phases, so those run on a quieter machine.
 *
 * Knobs of the services are read from the environment as they would be in production
 * (OUTBOX_BATCH_SIZE, KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY, KAFKA_TOPIC_PARTITIONS, DB_POOL_SIZE),
 * e.g. `OUTBOX_BATCH_SIZE=1000 npm run bench:events`.
 * Output: a table on stdout, JSON in bench-results/events-<timestamp>.json, service logs in .data/bench-logs/.
 */
import 'reflect-metadata'; // @app/contracts declares its payloads with class-validator decorators
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { BareKafka } from './lib/bare';
import { BackboneLatency, OutboxWriter, WrittenEvent, backboneLatency, readDbTimes, runBackbonePeak } from './lib/backbone';
import { EVENT_TOPIC } from './lib/events';
import { OffsetWatcher, benchKafka, indexTopic, resetProjectTopics, waitForGroup } from './lib/kafka';
import { ServiceProcess } from './lib/services';
import { LatencySummary, fmtInt, fmtMs, table } from './lib/stats';
import { CpuGroups, CpuUsage, ROOT, cpuBetween, cpuSnapshot, log, machineInfo, paced, pidsNamed, portOpen, round, runScript, sleep } from './lib/system';

interface Flags {
  events: number;
  rateFraction: number;
  duration: number;
  writeBatch: number;
  warmup: number;
  pollMs: number;
  watchMs: number;
}

const USAGE = `npm run bench:events -- [--events N] [--rate-fraction F] [--duration S] [--write-batch B] [--warmup W] [--poll-ms P] [--watch-ms M]
  --events N         events per peak phase, backbone and bare (default 20000)
  --rate-fraction F  steady-phase rate as a fraction of the backbone's peak (default 0.5)
  --duration S       seconds of each steady phase (default 10)
  --write-batch B    outbox rows per INSERT transaction in the peak phase (default 1000)
  --warmup W         events sent before each measured phase set, not measured (default 500)
  --poll-ms P        the relay's OUTBOX_POLL_INTERVAL_MS (default 10, the lowest allowed)
  --watch-ms M       how often the consumer group's committed offsets are polled (default 5)`;

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { events: 20000, rateFraction: 0.5, duration: 10, writeBatch: 1000, warmup: 500, pollMs: 10, watchMs: 5 };
  const names: Record<string, keyof Flags> = {
    '--events': 'events',
    '--rate-fraction': 'rateFraction',
    '--duration': 'duration',
    '--write-batch': 'writeBatch',
    '--warmup': 'warmup',
    '--poll-ms': 'pollMs',
    '--watch-ms': 'watchMs',
  };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    if (name === '--help' || name === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const key = names[name];
    const value = Number(inline ?? argv[++i]);
    if (!key || !Number.isFinite(value) || value <= 0) throw new Error(`bad argument ${argv[i]}\n${USAGE}`);
    flags[key] = value;
  }
  flags.events = Math.floor(flags.events);
  if (flags.pollMs < 10) throw new Error('--poll-ms: OUTBOX_POLL_INTERVAL_MS must be 10 or more');
  return flags;
}

function envInt(name: string, fallback: number): number {
  const value = process.env[name];
  return value ? Number(value) : fallback;
}

const PG_BASE = process.env.BENCH_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432';
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
  const flags = parseFlags(process.argv.slice(2));
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const config = {
    KAFKA_BROKERS: brokers,
    OUTBOX_BATCH_SIZE: envInt('OUTBOX_BATCH_SIZE', 500),
    OUTBOX_POLL_INTERVAL_MS: flags.pollMs,
    KAFKA_TOPIC_PARTITIONS: envInt('KAFKA_TOPIC_PARTITIONS', 6),
    KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: envInt('KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY', 3),
    KAFKA_SESSION_TIMEOUT_MS: envInt('KAFKA_SESSION_TIMEOUT_MS', 30000),
    KAFKA_HEARTBEAT_INTERVAL_MS: envInt('KAFKA_HEARTBEAT_INTERVAL_MS', 3000),
    DB_POOL_SIZE: envInt('DB_POOL_SIZE', 10),
    consumerMaxWaitTimeInMs: 250, // hard-coded in KafkaEventServer
  };
  const startedAt = new Date();
  const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
  const cleanUp = async () => {
    while (cleanups.length > 0) {
      const step = cleanups.pop()!;
      await step.run().catch((error: unknown) => log(`clean-up ${step.name} failed: ${(error as Error).message}`));
    }
  };
  process.once('SIGINT', () => {
    log('interrupted; cleaning up');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    // ---------------------------------------------------------------- infrastructure
    const [kafkaHost, kafkaPort] = brokers.split(',')[0].trim().split(':');
    if (!(await portOpen(kafkaHost, Number(kafkaPort)))) {
      log(`nothing listens on ${brokers}: starting the broker with scripts/infra/kafka-up.sh`);
      runScript('scripts/infra/kafka-up.sh', []);
      cleanups.push({ name: 'kafka-down', run: () => Promise.resolve(runScript('scripts/infra/kafka-down.sh', [])) });
    }
    for (const port of Object.values(PORTS)) if (await portOpen('127.0.0.1', port)) throw new Error(`port ${port} is in use`);
    log(`recreating ${REGISTRY_DB} and ${VIOLATIONS_DB}`);
    runScript('scripts/infra/db-create.sh', ['--drop-first'], { DB_SUFFIX: '_bench', DB_NAMES: 'fines_registry fines_violations' });

    const kafka = benchKafka(brokers, 'bench-events');
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push({ name: 'admin', run: () => admin.disconnect() });
    log('deleting the project topics and fines.* groups');
    await resetProjectTopics(admin);

    // ---------------------------------------------------------------- the two services
    const serviceEnv = {
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'), // production refuses the development key; nothing here uses tokens
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      DB_DRIVER: 'postgres',
      EVENT_TRANSPORT: 'kafka',
      KAFKA_BROKERS: brokers,
      OUTBOX_POLL_INTERVAL_MS: String(flags.pollMs),
      SHUTDOWN_GRACE_MS: '5000',
    };
    const registry = new ServiceProcess('vehicle-registry', PORTS.registry, { ...serviceEnv, DATABASE_URL: `${PG_BASE}/${REGISTRY_DB}` });
    const violations = new ServiceProcess('violations', PORTS.violations, { ...serviceEnv, DATABASE_URL: `${PG_BASE}/${VIOLATIONS_DB}` });
    cleanups.push({ name: 'registry', run: () => registry.stop() });
    registry.start();
    await registry.ready(); // creates the topics; started alone so two processes do not race to create them
    cleanups.push({ name: 'violations', run: () => violations.stop() });
    violations.start();
    await violations.ready();
    await waitForGroup(admin, 'fines.violations');
    log('services ready; consumer group fines.violations is Stable');

    const registryDb = new Client({ connectionString: `${PG_BASE}/${REGISTRY_DB}` });
    const violationsDb = new Client({ connectionString: `${PG_BASE}/${VIOLATIONS_DB}` });
    await registryDb.connect();
    await violationsDb.connect();
    cleanups.push({ name: 'pg', run: () => Promise.all([registryDb.end(), violationsDb.end()]) });

    const bare = new BareKafka(kafka, admin, {
      brokers,
      topic: BARE_TOPIC,
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      batchSize: config.OUTBOX_BATCH_SIZE,
      partitionsConsumedConcurrently: config.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
      maxWaitTimeInMs: config.consumerMaxWaitTimeInMs,
      sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: config.KAFKA_HEARTBEAT_INTERVAL_MS,
    });
    const kafkaPid = readKafkaPid();
    const cpuGroups: CpuGroups = {
      'bench (this process)': () => [process.pid],
      'vehicle-registry (relay)': () => (registry.pid ? [registry.pid] : []),
      'violations (consumer)': () => (violations.pid ? [violations.pid] : []),
      'bare consumer (child)': () => (bare.childPid ? [bare.childPid] : []),
      kafka: () => (kafkaPid ? [kafkaPid] : pidsNamed('java')),
      postgres: () => pidsNamed('postgres'),
    };

    // ---------------------------------------------------------------- backbone: peak
    const watcher = new OffsetWatcher(admin, 'fines.violations', EVENT_TOPIC, flags.watchMs);
    watcher.start();
    cleanups.push({ name: 'watcher', run: () => watcher.stop() });
    const writer = new OutboxWriter(registryDb);
    log(`backbone warm-up: ${flags.warmup} events`);
    await writer.write(writer.prepare(flags.warmup), 'warmup');
    await watcher.waitForTotal(writer.total, TIMEOUT_MS, 'backbone warm-up');
    await sleep(1000);

    log(`backbone peak: ${fmtInt(flags.events)} events in INSERTs of ${flags.writeBatch}`);
    let cpu0 = cpuSnapshot(cpuGroups);
    const peak = await runBackbonePeak(writer, watcher, flags.events, flags.writeBatch, TIMEOUT_MS);
    const backbonePeakCpu = cpuBetween(cpu0, cpuSnapshot(cpuGroups));
    log(`backbone peak: ${fmtInt(peak.throughput)} events/s (outbox written at ${fmtInt(peak.writeRate)}/s)`);
    await sleep(1000);

    // ---------------------------------------------------------------- backbone: steady
    const rate = peak.throughput * flags.rateFraction;
    log(`backbone steady: ${fmtInt(rate)} events/s for ${flags.duration} s`);
    cpu0 = cpuSnapshot(cpuGroups);
    const steadyWrite = await paced(rate, flags.duration * 1000, 10, async (count) => {
      await writer.write(writer.prepare(count), 'steady');
    });
    await watcher.waitForTotal(writer.total, TIMEOUT_MS, 'backbone steady');
    const backboneSteadyCpu = cpuBetween(cpu0, cpuSnapshot(cpuGroups));
    const watcherPolls = await watcher.stop();

    // ---------------------------------------------------------------- backbone: what happened to each event
    const effects = await violationsDb.query<{ changes: number; inbox: number; dead: number }>(
      `SELECT (SELECT count(*) FROM plate_ownership_change)::int AS changes,
              (SELECT count(*) FROM inbox_message WHERE consumer = 'violations')::int AS inbox,
              (SELECT count(*) FROM dead_letter)::int AS dead`,
    );
    const dbTimes = await readDbTimes(registryDb, violationsDb);
    await violations.stop();
    await registry.stop();
    log('indexing the backbone topic (partition and offset of each event)');
    const index = await indexTopic(kafka, admin, EVENT_TOPIC);
    const of = (phase: WrittenEvent['phase']) => writer.written.filter((e) => e.phase === phase);
    const backbonePeakLatency = backboneLatency(of('peak'), index, watcher, dbTimes);
    const backboneSteadyLatency = backboneLatency(of('steady'), index, watcher, dbTimes);

    // ---------------------------------------------------------------- bare kafkajs
    cleanups.push({ name: 'bare', run: () => bare.stop() });
    await bare.start();
    log(`bare warm-up: ${flags.warmup} messages`);
    await bare.send(bare.prepare(flags.warmup));
    await bare.waitForAll(TIMEOUT_MS, 'bare warm-up');
    await sleep(1000);

    log(`bare peak: ${fmtInt(flags.events)} messages in sendBatch calls of ${config.OUTBOX_BATCH_SIZE}`);
    const bareItems = bare.prepare(flags.events);
    const barePeakFrom = bareItems[0].seq;
    cpu0 = cpuSnapshot(cpuGroups);
    const bareFirst = await bare.send(bareItems);
    const bareLast = await bare.waitForAll(TIMEOUT_MS, 'bare peak');
    const barePeakCpu = cpuBetween(cpu0, cpuSnapshot(cpuGroups));
    const bareThroughput = (flags.events / (bareLast - bareFirst)) * 1000;
    const barePeakLatency = bare.latency(barePeakFrom, barePeakFrom + flags.events);
    log(`bare peak: ${fmtInt(bareThroughput)} messages/s`);
    await sleep(1000);

    log(`bare steady: ${fmtInt(rate)} messages/s for ${flags.duration} s`);
    const bareSteadyFrom = bare.sentCount;
    cpu0 = cpuSnapshot(cpuGroups);
    const bareSteadyWrite = await paced(rate, flags.duration * 1000, 10, async (count) => {
      await bare.send(bare.prepare(count));
    });
    await bare.waitForAll(TIMEOUT_MS, 'bare steady');
    const bareSteadyCpu = cpuBetween(cpu0, cpuSnapshot(cpuGroups));
    const bareSteadyLatency = bare.latency(bareSteadyFrom, bare.sentCount);
    await cleanUp();

    // ---------------------------------------------------------------- report
    const expectedEffects = writer.total;
    const result = {
      benchmark: 'events',
      startedAt: startedAt.toISOString(),
      machine: machineInfo(),
      flags,
      config,
      backbone: {
        peak: {
          ...phase(flags.events, peak.doneAt - peak.firstCommitAt, backbonePeakCpu),
          throughput: round(peak.throughput),
          outboxWriteRate: round(peak.writeRate),
          latency: backbonePeakLatency,
        },
        steady: {
          targetRate: round(rate),
          ...phase(steadyWrite.sent, steadyWrite.elapsedMs, backboneSteadyCpu),
          latency: backboneSteadyLatency,
        },
        checks: {
          eventsWritten: expectedEffects,
          plateOwnershipChanges: effects.rows[0].changes,
          inboxRows: effects.rows[0].inbox,
          deadLetters: effects.rows[0].dead,
          offsetPolls: watcherPolls,
        },
      },
      bare: {
        topic: BARE_TOPIC,
        peak: { ...phase(flags.events, bareLast - bareFirst, barePeakCpu), throughput: round(bareThroughput), latency: barePeakLatency },
        steady: { targetRate: round(rate), ...phase(bareSteadyWrite.sent, bareSteadyWrite.elapsedMs, bareSteadyCpu), latency: bareSteadyLatency },
      },
      ratio: { throughput: round(peak.throughput / bareThroughput, 3) },
      aims: {
        throughputAtLeastHalfOfBare: { value: round(peak.throughput / bareThroughput, 3), target: 0.5, met: peak.throughput / bareThroughput >= 0.5 },
        steadyP99Below100ms: { value: backboneSteadyLatency.endToEnd.p99, target: 100, met: backboneSteadyLatency.endToEnd.p99 < 100 },
      },
    };
    const file = writeResult(startedAt, result);
    process.stdout.write(
      render(
        flags,
        config,
        result.backbone.peak,
        result.backbone.steady,
        result.bare.peak,
        result.bare.steady,
        backbonePeakLatency,
        backboneSteadyLatency,
        result.backbone.checks,
      ),
    );
    process.stdout.write(`\nJSON: ${file}\n`);
    if (result.backbone.checks.plateOwnershipChanges !== expectedEffects || backbonePeakLatency.missing + backboneSteadyLatency.missing > 0) {
      process.stdout.write(`WARNING: ${expectedEffects} events written but ${result.backbone.checks.plateOwnershipChanges} effects / some events unmatched\n`);
      process.exitCode = 1;
    }
  } finally {
    await cleanUp();
  }
}

function phase(events: number, ms: number, cpu: CpuUsage): PhaseReport {
  return { events, seconds: round(ms / 1000, 2), ratePerSec: round((events / ms) * 1000), cpu };
}

function readKafkaPid(): number | undefined {
  const file = join(ROOT, '.data/kafka/kafka.pid');
  const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
  return Number.isInteger(pid) && existsSync(`/proc/${pid}`) ? pid : undefined;
}

function writeResult(startedAt: Date, result: unknown): string {
  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `events-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

function latencyCells(l: LatencySummary): string[] {
  return [fmtMs(l.p50), fmtMs(l.p99), fmtMs(l.max)];
}

function render(
  flags: Flags,
  config: { KAFKA_TOPIC_PARTITIONS: number; OUTBOX_BATCH_SIZE: number; KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: number; KAFKA_BROKERS: string },
  bbPeak: PhaseReport & { throughput: number; latency: BackboneLatency },
  bbSteady: PhaseReport & { targetRate: number; latency: BackboneLatency },
  barePeak: PhaseReport & { throughput: number; latency: LatencySummary },
  bareSteady: PhaseReport & { targetRate: number; latency: LatencySummary },
  bbPeakLatency: BackboneLatency,
  bbSteadyLatency: BackboneLatency,
  checks: { eventsWritten: number; plateOwnershipChanges: number; deadLetters: number },
): string {
  const ratio = bbPeak.throughput / barePeak.throughput;
  const out: string[] = [];
  out.push('');
  out.push(`Event backbone vs bare kafkajs: N=${fmtInt(flags.events)}, Kafka ${config.KAFKA_BROKERS}, ${config.KAFKA_TOPIC_PARTITIONS} partitions, acks=-1`);
  out.push(
    `relay batch ${config.OUTBOX_BATCH_SIZE}, relay poll ${flags.pollMs} ms (bench writes from outside the registry process), consumer partitionsConsumedConcurrently ${config.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY}`,
  );
  out.push('');
  out.push(
    table([
      ['', 'backbone', 'bare kafkajs', 'backbone/bare'],
      ['Peak throughput (events/s)', fmtInt(bbPeak.throughput), fmtInt(barePeak.throughput), `${(ratio * 100).toFixed(0)}%`],
      ['  p50 latency at peak *', fmtMs(bbPeakLatency.endToEnd.p50), fmtMs(barePeak.latency.p50), ''],
      ['  p99 latency at peak *', fmtMs(bbPeakLatency.endToEnd.p99), fmtMs(barePeak.latency.p99), ''],
      [`Steady, target ${fmtInt(bbSteady.targetRate)}/s x ${flags.duration} s: achieved/s`, fmtInt(bbSteady.ratePerSec), fmtInt(bareSteady.ratePerSec), ''],
      ['  p50 latency', fmtMs(bbSteadyLatency.endToEnd.p50), fmtMs(bareSteady.latency.p50), ''],
      ['  p99 latency', fmtMs(bbSteadyLatency.endToEnd.p99), fmtMs(bareSteady.latency.p99), ''],
      ['  max latency', fmtMs(bbSteadyLatency.endToEnd.max), fmtMs(bareSteady.latency.max), ''],
    ]),
  );
  out.push('');
  out.push('Backbone latency: outbox COMMIT -> consumer offset committed (after the effect transaction committed; polled every few ms).');
  out.push('Bare latency: handed to sendBatch -> arrived in the consumer eachBatch.');
  out.push('* at peak the backbone figure includes waiting in the outbox backlog (all N are written within ~1-2 s);');
  out.push('  the bare producer is fed one batch after another, so its figure has no such backlog. Compare latency in the steady phase.');
  out.push('');
  out.push('Backbone latency, where it goes (p50 / p99 / max):');
  out.push(
    table([
      ['', 'peak p50', 'peak p99', 'peak max', 'steady p50', 'steady p99', 'steady max'],
      ['commit -> consumer offset committed', ...latencyCells(bbPeakLatency.endToEnd), ...latencyCells(bbSteadyLatency.endToEnd)],
      ['commit -> consumer tx start (lower bound)', ...latencyCells(bbPeakLatency.toConsumerTxStart), ...latencyCells(bbSteadyLatency.toConsumerTxStart)],
      ['commit -> outbox marked published (relay)', ...latencyCells(bbPeakLatency.relay), ...latencyCells(bbSteadyLatency.relay)],
      ['published -> offset committed (consumer)', ...latencyCells(bbPeakLatency.consumer), ...latencyCells(bbSteadyLatency.consumer)],
    ]),
  );
  out.push('');
  out.push('CPU seconds per phase (2 cores = 2 CPU-s per wall second; "other" = everything else on the machine):');
  const phases: [string, CpuUsage][] = [
    ['backbone peak', bbPeak.cpu],
    ['backbone steady', bbSteady.cpu],
    ['bare peak', barePeak.cpu],
    ['bare steady', bareSteady.cpu],
  ];
  const groups = Object.keys(bbPeak.cpu.cpuSeconds);
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
  out.push(
    `Checks: ${fmtInt(checks.eventsWritten)} outbox events written, ${fmtInt(checks.plateOwnershipChanges)} plate_ownership_change rows, ${checks.deadLetters} dead letters.`,
  );
  out.push('');
  const steadyP99 = bbSteadyLatency.endToEnd.p99;
  out.push(`Aim: backbone >= 50% of bare throughput ........ ${(ratio * 100).toFixed(0)}%  ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`);
  out.push(`Aim: backbone p99 < 100 ms at ${Math.round(flags.rateFraction * 100)}% of peak ...... ${fmtMs(steadyP99)}  ${steadyP99 < 100 ? 'MET' : 'NOT MET'}`);
  return `${out.join('\n')}\n`;
}

main().catch((error: unknown) => {
  log(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
