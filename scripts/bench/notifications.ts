/**
 * npm run bench:notifications [-- --plates 1000 --messages 10000 --rate 20 --duration 10]
 *
 * Messages delivered per second by the notification service to a local SMS endpoint (HTTP) and a
 * local SMTP server, and the latency from a fine recorded to its SMS delivered.
 *
 * SYSTEM: the built violations and notification services as child processes (ports 3402 / 3404,
 * NODE_ENV=production with a random JWT key, EVENT_TRANSPORT=kafka on KAFKA_BROKERS, default
 * 127.0.0.1:9092; started with scripts/infra/kafka-up.sh and stopped at the end if nothing listens),
 * fresh databases fines_violations_benchnotif / fines_notification_benchnotif, the project's topics
 * and fines.* groups deleted first. notification posts SMS to an HTTP endpoint in this process that
 * answers 200, and email to an smtp-server in this process; default retry and concurrency settings.
 * DATA: --plates owners (persons with a mobile and an email, Arabic and English alternately) and
 * their vehicles, published as registry events straight to Kafka (no registry service).
 *   (1) throughput: --messages fine alerts (half SMS, half email, rendered by the service's own
 *       templates) written PENDING into the delivery log, all due at the same moment; messages/s =
 *       messages / seconds from that moment to the last one received.
 *   (2) latency: fines POSTed to violations at --rate per second for --duration seconds; latency =
 *       the SMS (and the email) received by the endpoint - the POST sent. Path: violations'
 *       transaction and outbox, Kafka, notification's consumer writing the delivery log, the
 *       dispatcher woken at commit, the HTTP post.
 * Checks: every fine of (2) delivered exactly once per channel, no FAILED messages.
 * Output: tables on stdout, JSON in bench-results/notifications-<timestamp>.json, logs in .data/bench-logs/.
 * Needs the shared broker to itself: run it under `flock /tmp/fines-kafka.lock`.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { EVENTS, EventName, completeCivilId, createEnvelope, ownerKey, plateKey } from '@app/contracts';
import { renderFineIssued } from '../../apps/notification/src/templates/templates';
import { gitState } from './lib/git';
import { benchKafka, resetProjectTopics } from './lib/kafka';
import { BENCH_BROKERS, Cleanups, parseFlags, startBrokerBench, writeBenchResult } from './lib/run';
import { ServiceProcess } from './lib/services';
import { LatencySummary, fmtInt, fmtMs, summarize, table } from './lib/stats';
import { PG_BASE, log, machineInfo, recreateDatabases, round, sleep } from './lib/system';

interface Flags extends Record<string, number> {
  plates: number;
  messages: number;
  rate: number;
  duration: number;
}

const USAGE = 'npm run bench:notifications -- [--plates N] [--messages M] [--rate R] [--duration S]';

function parseNotificationFlags(argv: string[]): Flags {
  return parseFlags<Flags>(
    argv,
    { plates: 1000, messages: 10000, rate: 20, duration: 10 },
    { '--plates': 'plates', '--messages': 'messages', '--rate': 'rate', '--duration': 'duration' },
    USAGE,
  );
}

const SUFFIX = '_benchnotif';
const DB = { violations: `fines_violations${SUFFIX}`, notification: `fines_notification${SUFFIX}` };
const PORTS = { violations: 3402, notification: 3404 };
const TIMEOUT_MS = 180000;

const mobileOf = (i: number) => `+9655${String(1000000 + i).slice(-7)}`;
const plateOf = (i: number) => String(500000 + i);
let civilSerial = 0;
/** A distinct valid civil ID on each call (born 1990-01-01, serials in order, check digit computed). */
function nextCivilId(): string {
  for (;;) {
    const id = completeCivilId(`2900101${String(civilSerial++).padStart(4, '0')}`);
    if (id) return id;
  }
}

async function sql<T>(database: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: `${PG_BASE}/${database}` });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function until(probe: () => Promise<boolean> | boolean, what: string, timeoutMs = TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function main(): Promise<void> {
  const flags = parseNotificationFlags(process.argv.slice(2));
  const startedAt = new Date();
  const cleanups = new Cleanups();
  const cleanUp = () => cleanups.runAll();

  try {
    await startBrokerBench(cleanups, Object.values(PORTS));

    // The SMS endpoint and the SMTP server: each message's arrival time, by what it is about.
    const smsArrivals: { at: number; to: string; text: string; reference: string }[] = [];
    const smsServer = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string; reference: string };
        smsArrivals.push({ at: Date.now(), ...body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
      });
    });
    await new Promise<void>((resolve) => smsServer.listen(0, '127.0.0.1', resolve));
    cleanups.push('sms endpoint', () => new Promise<void>((resolve) => smsServer.close(() => resolve())));
    const mailArrivals: { at: number; raw: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mailArrivals.push({ at: Date.now(), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    cleanups.push('smtp server', () => new Promise<void>((resolve) => smtp.close(() => resolve())));

    recreateDatabases(SUFFIX, ['fines_violations', 'fines_notification']);
    const kafka = benchKafka(BENCH_BROKERS, 'bench-notifications');
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push('kafka admin', () => admin.disconnect());
    await resetProjectTopics(admin);

    const jwtSecret = randomBytes(32).toString('hex');
    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      AUTH_JWT_SECRET: jwtSecret,
      DB_DRIVER: 'postgres',
      EVENT_TRANSPORT: 'kafka',
      KAFKA_BROKERS: BENCH_BROKERS,
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    };
    const violations = new ServiceProcess('violations', PORTS.violations, common, { databaseUrl: `${PG_BASE}/${DB.violations}` });
    const notification = new ServiceProcess(
      'notification',
      PORTS.notification,
      {
        ...common,
        SMS_PROVIDER_URL: `http://127.0.0.1:${(smsServer.address() as AddressInfo).port}/v1/sms`,
        SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      },
      { databaseUrl: `${PG_BASE}/${DB.notification}` },
    );
    violations.start();
    cleanups.push('violations', () => violations.stop());
    notification.start();
    cleanups.push('notification', () => notification.stop());
    await Promise.all([violations.ready(), notification.ready()]);

    // Owners and their vehicles, as the registry would publish them.
    log(`publishing ${flags.plates} owners and vehicles`);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    cleanups.push('producer', () => producer.disconnect());
    const event = (name: EventName, key: string, payload: object) => {
      const envelope = createEnvelope({
        type: EVENTS[name].type,
        version: 1,
        producer: 'bench',
        aggregateId: key,
        traceId: randomBytes(16).toString('hex'),
        payload,
      });
      return { topic: EVENTS[name].topic, key, value: JSON.stringify(envelope) };
    };
    for (let start = 0; start < flags.plates; start += 500) {
      const owners: ReturnType<typeof event>[] = [];
      const vehicles: ReturnType<typeof event>[] = [];
      for (let i = start; i < Math.min(flags.plates, start + 500); i++) {
        const civilId = nextCivilId();
        const owner = { type: 'PERSON' as const, id: civilId };
        owners.push(
          event('ownerRegistered', ownerKey('PERSON', civilId), {
            owner,
            nameAr: 'مالك تجريبي',
            nameEn: 'Bench Owner',
            contact: { mobile: mobileOf(i), email: `owner${i}@bench.example`, language: i % 2 === 0 ? 'ar' : 'en' },
          }),
        );
        vehicles.push(
          event('vehicleRegistered', plateKey('PRIVATE', plateOf(i)), {
            plateType: 'PRIVATE',
            plateNumber: plateOf(i),
            owner,
            vehicle: { make: 'Toyota', model: 'Camry', year: 2022, color: 'White' },
          }),
        );
      }
      await producer.sendBatch({
        topicMessages: [EVENTS.ownerRegistered.topic, EVENTS.vehicleRegistered.topic].map((topic) => ({
          topic,
          messages: [...owners, ...vehicles].filter((m) => m.topic === topic),
        })),
      });
    }
    await until(
      async () =>
        Number((await sql<{ n: string }>(DB.notification, 'SELECT count(*) AS n FROM plate_owner'))[0].n) === flags.plates &&
        Number((await sql<{ n: string }>(DB.notification, 'SELECT count(*) AS n FROM contact'))[0].n) === flags.plates &&
        Number((await sql<{ n: string }>(DB.violations, 'SELECT count(*) AS n FROM plate_ownership'))[0].n) === flags.plates,
      'the read models',
    );

    // (1) Throughput: a backlog of messages, all due at once.
    log(`throughput: ${flags.messages} messages due at once`);
    const fine = (i: number) => ({
      fineNumber: `27${String(i).padStart(9, '0')}`,
      plateType: 'PRIVATE',
      plateNumber: plateOf(i % flags.plates),
      titleAr: 'تجاوز الإشارة الضوئية الحمراء',
      titleEn: 'Running a red light',
      amountMinor: 150000,
      currency: 'KWD',
      occurredAt: new Date().toISOString(),
      locationAr: 'شارع الخليج العربي، الشرق',
      locationEn: 'Arabian Gulf Street, Sharq',
    });
    const rows = Array.from({ length: flags.messages }, (_, i) => {
      const lang = i % 4 < 2 ? 'ar' : 'en';
      const rendered = renderFineIssued(lang, { name: 'Bench Owner', fine: fine(i) });
      const sms = i % 2 === 0;
      return {
        channel: sms ? 'SMS' : 'EMAIL',
        recipient: sms ? mobileOf(i % flags.plates) : `owner${i % flags.plates}@bench.example`,
        lang,
        subject: sms ? null : rendered.subject,
        body: sms ? rendered.sms : rendered.text,
        html: sms ? null : rendered.html,
        fine: fine(i).fineNumber,
      };
    });
    const [{ due }] = await sql<{ due: Date }>(DB.notification, `SELECT now() + interval '3 seconds' AS due`);
    for (let start = 0; start < rows.length; start += 2000) {
      const chunk = rows.slice(start, start + 2000);
      await sql(
        DB.notification,
        `INSERT INTO delivery (event_id, channel, recipient, template, language, subject, body, html, fine_numbers, next_attempt_at)
         SELECT gen_random_uuid(), c, r, 'fine-issued', l, s, b, h, ARRAY[f], $8 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS x(c, r, l, s, b, h, f)`,
        [
          chunk.map((r) => r.channel),
          chunk.map((r) => r.recipient),
          chunk.map((r) => r.lang),
          chunk.map((r) => r.subject),
          chunk.map((r) => r.body),
          chunk.map((r) => r.html),
          chunk.map((r) => r.fine),
          due,
        ],
      );
    }
    const dueAt = new Date(due).getTime();
    const smsWanted = rows.filter((r) => r.channel === 'SMS').length;
    const mailWanted = rows.length - smsWanted;
    await until(() => smsArrivals.length >= smsWanted && mailArrivals.length >= mailWanted, 'the backlog to be delivered');
    const lastSms = Math.max(...smsArrivals.map((a) => a.at));
    const lastMail = Math.max(...mailArrivals.map((a) => a.at));
    const throughput = {
      messages: rows.length,
      seconds: round((Math.max(lastSms, lastMail) - dueAt) / 1000, 2),
      perSecond: round(rows.length / ((Math.max(lastSms, lastMail) - dueAt) / 1000)),
      smsPerSecond: round(smsWanted / ((lastSms - dueAt) / 1000)),
      emailPerSecond: round(mailWanted / ((lastMail - dueAt) / 1000)),
    };
    smsArrivals.length = 0;
    mailArrivals.length = 0;

    // (2) Latency: fines recorded at a steady rate, until their SMS and email arrive.
    log(`latency: ${flags.rate} fines/s for ${flags.duration} s`);
    const officer = `Bearer ${await new SignJWT({ role: 'officer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('officer:bench')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(jwtSecret))}`;
    const sentAt = new Map<string, number>();
    const total = Math.floor(flags.rate * flags.duration);
    const start = Date.now();
    const posts: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = start + (i * 1000) / flags.rate - Date.now();
      if (wait > 0) await sleep(wait);
      const t0 = Date.now();
      posts.push(
        fetch(`http://127.0.0.1:${PORTS.violations}/v1/fines`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: officer },
          body: JSON.stringify({
            externalRef: `BENCH-${i}-${t0}`,
            plateNumber: plateOf(i % flags.plates),
            plateType: 'PRIVATE',
            violationCode: 'RED-LIGHT',
            occurredAt: new Date().toISOString(),
            location: { textAr: 'الدائري الرابع', textEn: 'Fourth Ring Road' },
            source: { type: 'CAMERA', id: 'CAM-BENCH' },
          }),
        }).then(async (response) => {
          const body = (await response.json()) as { fineNumber?: string };
          if (response.status !== 201 || !body.fineNumber) throw new Error(`POST /v1/fines answered ${response.status}`);
          sentAt.set(body.fineNumber, t0);
        }),
      );
    }
    await Promise.all(posts);
    const numbers = [...sentAt.keys()];
    const mailFor = (n: string) => mailArrivals.filter((m) => m.raw.includes(`X-Fine-Numbers: ${n}`));
    await until(
      () => numbers.every((n) => smsArrivals.some((a) => a.text.includes(n))) && numbers.every((n) => mailFor(n).length > 0),
      'the fines to be delivered',
    );
    await sleep(2000); // a duplicate would arrive by now
    const smsLatency = numbers.map((n) => smsArrivals.find((a) => a.text.includes(n))!.at - sentAt.get(n)!);
    const mailLatency = numbers.map((n) => mailFor(n)[0].at - sentAt.get(n)!);
    const duplicates =
      numbers.filter((n) => smsArrivals.filter((a) => a.text.includes(n)).length !== 1).length + numbers.filter((n) => mailFor(n).length !== 1).length;
    const failed = Number((await sql<{ n: string }>(DB.notification, `SELECT count(*) AS n FROM delivery WHERE status <> 'SENT'`))[0].n);

    const latency: Record<string, LatencySummary> = { sms: summarize(smsLatency), email: summarize(mailLatency) };
    process.stdout.write(
      `\nthroughput (${fmtInt(throughput.messages)} messages due at once)\n${table([
        ['', 'messages/s', 'seconds'],
        ['all', fmtInt(throughput.perSecond), String(throughput.seconds)],
        ['SMS (HTTP)', fmtInt(throughput.smsPerSecond), ''],
        ['email (SMTP)', fmtInt(throughput.emailPerSecond), ''],
      ])}\n\nlatency, fine recorded -> delivered (${numbers.length} fines at ${flags.rate}/s)\n${table([
        ['', 'p50', 'p90', 'p99', 'max'],
        ...Object.entries(latency).map(([name, s]) => [name, fmtMs(s.p50), fmtMs(s.p90), fmtMs(s.p99), fmtMs(s.max)]),
      ])}\n\nchecks: ${duplicates === 0 ? 'each fine delivered once per channel' : `${duplicates} fines not delivered exactly once`}; ${failed} messages not SENT\n`,
    );
    const result = {
      bench: 'notifications',
      startedAt: startedAt.toISOString(),
      git: gitState(),
      machine: machineInfo(),
      flags,
      throughput,
      latency,
      duplicates,
      notSent: failed,
    };
    const file = writeBenchResult('notifications', startedAt, result);
    log(`results in ${file}`);
    if (duplicates > 0 || failed > 0) process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
