import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Admin, CompressionTypes, Consumer, Kafka, Partitioners, Producer } from 'kafkajs';
import { deadLetterTopic } from '@app/contracts';
import { HOSTED_SERVICES, PLATFORM_CONFIG, PlatformConfig, ReadinessRegistry, ServiceName } from '@app/platform';
import { ConsumerPipeline } from '../consumer/consumer-pipeline';
import { ConsumerRegistry } from '../consumer/consumer-registry';
import { EventServer } from '../consumer/event-server';
import { EventTransport, InboundMessage, OutboundMessage } from '../transport';
import { BatchGroup } from './batch-group';
import { createKafka, ensureTopics } from './kafka-connection';
import { eventDefinition } from '@app/contracts';

/**
 * Publishing to Kafka: an idempotent producer, acks from all in-sync replicas, each event keyed by
 * its aggregate so one aggregate's events share a partition and keep their order.
 */
@Injectable()
export class KafkaPublisher implements EventTransport, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('KafkaPublisher');
  readonly kafka: Kafka;
  private producer: Producer;
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(HOSTED_SERVICES) private readonly services: ServiceName[],
    private readonly readiness: ReadinessRegistry,
  ) {
    this.kafka = createKafka(`fines-${services.join('+')}`, config);
    this.producer = this.createProducer();
    this.admin = this.kafka.admin();
  }

  onModuleInit(): void {
    this.readiness.register('kafka', async () => {
      await this.admin.describeCluster();
    });
  }

  /** Connects once (retrying until the broker answers) and creates the topics. */
  ready(): Promise<void> {
    this.connected ??= this.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  private async connect(): Promise<void> {
    await this.admin.connect();
    const created = await ensureTopics(this.admin, this.services, this.config);
    if (created.length > 0) this.logger.log({ topics: created, partitions: this.config.messaging.KAFKA_TOPIC_PARTITIONS }, 'created topics');
    await this.producer.connect();
  }

  async publish(messages: OutboundMessage[]): Promise<void> {
    const byTopic = new Map<string, OutboundMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list) list.push(m);
      else byTopic.set(m.topic, [m]);
    }
    await this.sending((producer) =>
      producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({
            key: m.key,
            value: m.value,
            headers: { 'x-event-id': m.eventId, 'x-event-type': m.eventType, 'x-trace-id': m.traceId },
          })),
        })),
      }),
    );
  }

  /**
   * After a failed send the idempotent producer's sequence numbers may no longer match the broker's
   * (kafkajs then fails every later send with OUT_OF_ORDER_SEQUENCE_NUMBER): start a new producer.
   * The relay publishes again from the first unmarked row, and inboxes absorb what got through.
   */
  private async sending<T>(send: (producer: Producer) => Promise<T>): Promise<T> {
    await this.ready();
    const producer = this.producer;
    try {
      return await send(producer);
    } catch (error) {
      if (producer === this.producer) {
        this.logger.warn({ err: (error as Error).message }, 'send failed; replacing the producer');
        this.producer = this.createProducer();
        this.connected = undefined;
        await producer.disconnect().catch(() => undefined);
      }
      throw error;
    }
  }

  private createProducer(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  }

  async deadLetter(consumer: string, message: InboundMessage, error: string, attempts: number): Promise<void> {
    await this.sending((producer) =>
      producer.send({
        topic: deadLetterTopic(consumer),
        acks: -1,
        messages: [
          {
            value: message.value,
            headers: {
              'x-dlq-error': error.slice(0, 4000),
              'x-dlq-attempts': String(attempts),
              'x-dlq-original-topic': message.topic,
              'x-dlq-original-partition': String(message.partition ?? ''),
              'x-dlq-original-offset': message.offset ?? '',
              'x-dlq-failed-at': new Date().toISOString(),
            },
          },
        ],
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}

/**
 * Consuming from Kafka as a @nestjs/microservices transport: one consumer group per hosted consumer
 * (`fines.<service>`), batches handed to the pipeline, offsets committed only after the batch's
 * effects are committed. A crash in between redelivers the batch, which the inbox absorbs.
 */
export class KafkaEventServer extends EventServer {
  private readonly kafkaConsumers: Consumer[] = [];
  /** Commit each consumer's resolved offsets before it leaves its group. */
  private readonly commitsOnClose: (() => Promise<void>)[] = [];
  private readonly startedConsumers = new Set<string>();
  private started = false;
  private closed = false;
  private starting?: Promise<void>;

  constructor(
    consumers: ConsumerRegistry,
    private readonly pipeline: ConsumerPipeline,
    private readonly publisher: KafkaPublisher,
    private readonly config: PlatformConfig,
    private readonly readiness: ReadinessRegistry,
  ) {
    super(consumers);
  }

  /**
   * Starts at once and connects in the background, retrying until the broker answers: a service
   * whose broker is briefly away still serves reads, keeps writing events to its outbox, and reports
   * not ready until its consumers run.
   */
  listen(callback: (error?: unknown) => void): void {
    this.registerHandlers();
    this.readiness.register('kafka-consumers', () => (this.started ? Promise.resolve() : Promise.reject(new Error('consumers not started yet'))));
    this.starting = this.startWithRetries();
    callback();
  }

  private async startWithRetries(): Promise<void> {
    let delay = 500;
    while (!this.closed) {
      try {
        await this.publisher.ready();
        for (const consumer of this.consumers.consumers()) {
          if (!this.startedConsumers.has(consumer)) await this.startConsumer(consumer);
          this.startedConsumers.add(consumer);
        }
        this.started = true;
        return;
      } catch (error) {
        this.logger.warn({ err: (error as Error).message, retryInMs: delay }, 'could not start consumers yet; retrying');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10000);
      }
    }
  }

  private async startConsumer(name: string): Promise<void> {
    const topics = [
      ...new Set(
        this.consumers
          .eventTypes(name)
          .map((type) => eventDefinition(type)?.topic)
          .filter((t): t is NonNullable<typeof t> => !!t),
      ),
    ];
    const { messaging } = this.config;
    const consumer = this.publisher.kafka.consumer({
      groupId: `fines.${name}`,
      sessionTimeout: messaging.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: messaging.KAFKA_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeout: Math.max(messaging.KAFKA_SESSION_TIMEOUT_MS, 10000),
      minBytes: messaging.KAFKA_FETCH_MIN_BYTES,
      maxWaitTimeInMs: messaging.KAFKA_FETCH_MAX_WAIT_MS,
      allowAutoTopicCreation: false,
    });
    // A consumer kafkajs will not restart would leave its partitions unread while the process looks
    // healthy: stop the process instead, so the orchestrator starts a fresh one.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      this.logger.error({ consumer: name, err: payload.error.message }, 'consumer stopped for good; shutting down so the process is restarted');
      process.kill(process.pid, 'SIGTERM');
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const together = new BatchGroup((batches) => this.pipeline.handleBatches(name, batches));
    let commitPending: (() => Promise<void>) | undefined;
    await consumer.run({
      // Offsets are committed by the handler below, at most once a second: kafkajs's auto-commit would
      // send an OffsetCommit to the broker after every partition batch.
      autoCommit: false,
      autoCommitInterval: 1000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: messaging.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
        const messages: InboundMessage[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          value: m.value ?? Buffer.alloc(0),
        }));
        // The partitions being consumed concurrently share one transaction.
        await together.handle({ messages, heartbeat: () => payload.heartbeat() });
        const last = batch.messages[batch.messages.length - 1].offset;
        payload.resolveOffset(last);
        commitPending = () => payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
        // Only offsets whose effects have committed are resolved; they are committed at most once a
        // second, and at once when stopping. A crash in between redelivers up to a second of events,
        // which the inbox absorbs.
        if (this.closed) await commitPending();
        else await payload.commitOffsetsIfNecessary();
        await payload.heartbeat();
      },
    });
    this.commitsOnClose.push(() => commitPending?.() ?? Promise.resolve());
    this.kafkaConsumers.push(consumer);
    this.logger.log(`consumer group fines.${name} reads ${topics.join(', ')}`);
  }

  /** Stops fetching and waits for the batch in hand to commit. */
  async close(): Promise<void> {
    this.closed = true;
    await this.starting;
    await Promise.all(this.commitsOnClose.map((commit) => commit().catch(() => undefined)));
    await Promise.all(this.kafkaConsumers.map((c) => c.disconnect().catch(() => undefined)));
    this.kafkaConsumers.length = 0;
  }
}
