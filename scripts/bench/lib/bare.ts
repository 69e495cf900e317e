import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Admin, CompressionTypes, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { BareConsumerOptions, FromChild, ToChild } from './bare-consumer';
import { EVENT_TYPE, vehicleRegistered } from './events';
import { deleteTopics, recreateTopic } from './kafka';
import { LatencySummary, summarize } from './stats';
import { log, now, sleep } from './system';

export interface BareOptions {
  brokers: string;
  topic: string;
  partitions: number;
  /** Messages per sendBatch call: the relay's OUTBOX_BATCH_SIZE. */
  batchSize: number;
  partitionsConsumedConcurrently: number;
  minBytes: number;
  maxWaitTimeInMs: number;
  sessionTimeout: number;
  heartbeatInterval: number;
}

/**
 * The baseline: bare kafkajs on the same broker. The producer (here) is configured like the
 * backbone's KafkaPublisher (idempotent, one request in flight, default partitioner, acks=-1, no
 * compression) and sends the same envelope JSON with the same key and headers; the consumer is a
 * child process (as the backbone's consumer is another process than its producer) in a fresh group.
 * Latency of a message = arrival in the consumer's eachBatch - the moment it was handed to sendBatch.
 */
export class BareKafka {
  private producer?: Producer;
  private child?: ChildProcess;
  private readonly groupId = `bench.bare.${randomUUID()}`;
  private sentAt: number[] = [];
  private receivedAt: number[] = [];
  private received = 0;
  private seq = 0;
  private childError?: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly options: BareOptions,
  ) {}

  get childPid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  async start(): Promise<void> {
    const o = this.options;
    await recreateTopic(this.admin, o.topic, o.partitions);
    this.child = fork(join(__dirname, 'bare-consumer.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const joined = new Promise<void>((resolve, reject) => {
      this.child!.on('message', (m: FromChild) => {
        if (m.type === 'joined') resolve();
        else if (m.type === 'error') reject(new Error((this.childError = m.message)));
        else this.onBatch(m.at, m.seqs);
      });
      this.child!.once('exit', (code) => {
        this.childError ??= `exited with ${code}`;
        reject(new Error(`bare consumer ${this.childError}`));
      });
    });
    const options: BareConsumerOptions = {
      brokers: o.brokers,
      topic: o.topic,
      groupId: this.groupId,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently,
      minBytes: o.minBytes,
      maxWaitTimeInMs: o.maxWaitTimeInMs,
      sessionTimeout: o.sessionTimeout,
      heartbeatInterval: o.heartbeatInterval,
    };
    this.child.send({ type: 'start', options } satisfies ToChild);
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await this.producer.connect();
    await joined;
    log(`bare consumer joined group ${this.groupId} (pid ${this.child.pid})`);
  }

  private onBatch(at: number, seqs: number[]): void {
    for (const s of seqs) {
      if (s < 0 || this.receivedAt[s] !== undefined) continue;
      this.receivedAt[s] = at;
      this.received++;
    }
  }

  /** The next `count` messages, built ahead: the same envelope, key and headers the relay sends, plus x-bench-seq. */
  prepare(count: number): { seq: number; message: Message }[] {
    const out: { seq: number; message: Message }[] = [];
    for (let i = 0; i < count; i++) {
      const seq = this.seq++;
      const envelope = vehicleRegistered(seq);
      out.push({
        seq,
        message: {
          key: envelope.aggregateId,
          value: JSON.stringify(envelope),
          headers: { 'x-event-id': envelope.eventId, 'x-event-type': EVENT_TYPE, 'x-trace-id': envelope.traceId, 'x-bench-seq': String(seq) },
        },
      });
    }
    return out;
  }

  /** Sends in sendBatch calls of `batchSize`, one after the other, as the relay does. */
  async send(items: { seq: number; message: Message }[]): Promise<number> {
    let firstAt = 0;
    for (let i = 0; i < items.length; i += this.options.batchSize) {
      const chunk = items.slice(i, i + this.options.batchSize);
      const at = now();
      firstAt ||= at;
      for (const c of chunk) this.sentAt[c.seq] = at;
      await this.producer!.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [{ topic: this.options.topic, messages: chunk.map((c) => c.message) }],
      });
    }
    return firstAt;
  }

  get sentCount(): number {
    return this.seq;
  }

  /** Resolves once every message sent so far has arrived; answers the last arrival time. */
  async waitForAll(timeoutMs: number, label: string): Promise<number> {
    const deadline = now() + timeoutMs;
    let lastReport = now();
    while (this.received < this.seq) {
      if (this.childError) throw new Error(`bare consumer failed: ${this.childError}`);
      if (now() > deadline) throw new Error(`${label}: only ${this.received} of ${this.seq} messages arrived after ${timeoutMs} ms`);
      if (now() - lastReport > 5000) {
        log(`${label}: ${this.received.toLocaleString('en-US')} / ${this.seq.toLocaleString('en-US')} received`);
        lastReport = now();
      }
      await sleep(5);
    }
    let last = 0;
    for (let s = 0; s < this.seq; s++) last = Math.max(last, this.receivedAt[s]);
    return last;
  }

  latency(fromSeq: number, toSeq: number): LatencySummary {
    const values: number[] = [];
    for (let s = fromSeq; s < toSeq; s++) values.push(this.receivedAt[s] - this.sentAt[s]);
    return summarize(values);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      this.childError = 'stopped';
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' } satisfies ToChild);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(timer);
    }
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
    await deleteTopics(this.admin, [this.options.topic]).catch(() => undefined);
  }
}
