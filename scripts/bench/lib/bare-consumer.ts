/**
 * Child process of the bare kafkajs baseline: one consumer in its own fresh group, eachBatch, that
 * only notes when each message arrived and tells the parent (Date.now(), the same realtime clock
 * the parent stamps sends with). Started with fork(); driven by IPC messages.
 */
import { Consumer, Kafka, logLevel } from 'kafkajs';

export interface BareConsumerOptions {
  brokers: string;
  topic: string;
  groupId: string;
  partitionsConsumedConcurrently: number;
  minBytes: number;
  maxWaitTimeInMs: number;
  sessionTimeout: number;
  heartbeatInterval: number;
}

export type ToChild = { type: 'start'; options: BareConsumerOptions } | { type: 'stop' };
export type FromChild = { type: 'joined' } | { type: 'batch'; at: number; seqs: number[] } | { type: 'error'; message: string };

function send(message: FromChild): void {
  process.send?.(message);
}

let consumer: Consumer | undefined;

async function start(o: BareConsumerOptions): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-bare-consumer', brokers: o.brokers.split(','), logLevel: logLevel.ERROR });
  consumer = kafka.consumer({
    groupId: o.groupId,
    sessionTimeout: o.sessionTimeout,
    heartbeatInterval: o.heartbeatInterval,
    rebalanceTimeout: Math.max(o.sessionTimeout, 10000),
    minBytes: o.minBytes,
    maxWaitTimeInMs: o.maxWaitTimeInMs,
    allowAutoTopicCreation: false,
  });
  consumer.on(consumer.events.GROUP_JOIN, () => send({ type: 'joined' }));
  await consumer.connect();
  await consumer.subscribe({ topic: o.topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: o.partitionsConsumedConcurrently,
    eachBatch: ({ batch }) => {
      const at = Date.now();
      send({ type: 'batch', at, seqs: batch.messages.map((m) => Number(m.headers?.['x-bench-seq']?.toString() ?? -1)) });
      return Promise.resolve();
    },
  });
}

process.on('message', (message: ToChild) => {
  if (message.type === 'start') {
    start(message.options).catch((error: unknown) => send({ type: 'error', message: (error as Error).message }));
  } else {
    void (consumer?.disconnect() ?? Promise.resolve()).finally(() => process.exit(0));
  }
});

// The parent went away: nothing left to report to.
process.on('disconnect', () => process.exit(0));
