import { randomUUID } from 'node:crypto';
import { Admin, Kafka, Partitioners, Producer, logLevel } from 'kafkajs';
import { EVENTS, EventEnvelope, VehicleOwnershipTransferred, VehicleRegistered, allTopics, createEnvelope, deadLetterTopic } from '@app/contracts';
import { KAFKA_BROKERS, ServiceProcess, recreateDatabases, sleep } from './stack';

export const kafka = new Kafka({ clientId: 'fines-e2e', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });

const CONSUMERS = ['vehicle-registry', 'violations', 'payment-gateway', 'notification'];

/** Deletes the project's topics and consumer groups so each run starts from an empty broker. */
export async function resetBroker(): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const ours = [...allTopics(), ...CONSUMERS.map(deadLetterTopic)];
    const existing = (await admin.listTopics()).filter((t) => ours.includes(t));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith('fines.'));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    if (existing.length > 0) {
      await admin.deleteTopics({ topics: existing, timeout: 30000 });
      for (let i = 0; i < 100 && (await admin.listTopics()).some((t) => existing.includes(t)); i++) await sleep(200);
    }
  } finally {
    await admin.disconnect();
  }
}

export async function connectProducer(): Promise<Producer> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}

export async function produce(producer: Producer, topic: string, messages: { key: string; value: string }[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages });
}

export function vehicleRegisteredEvent(plateNumber: string, ownerId: string, key = `PRIVATE:${plateNumber}`): EventEnvelope<VehicleRegistered> {
  return createEnvelope({
    type: EVENTS.vehicleRegistered.type,
    version: 1,
    producer: 'e2e',
    aggregateId: key,
    traceId: randomUUID().replace(/-/g, ''),
    payload: {
      plateType: 'PRIVATE',
      plateNumber,
      owner: { type: 'PERSON', id: ownerId },
      vehicle: { make: 'GMC', model: 'Yukon', year: 2023, color: 'Silver' },
    },
  });
}

export function transferEvent(plateNumber: string, key: string): EventEnvelope<VehicleOwnershipTransferred> {
  return createEnvelope({
    type: EVENTS.vehicleOwnershipTransferred.type,
    version: 1,
    producer: 'e2e',
    aggregateId: key,
    traceId: randomUUID().replace(/-/g, ''),
    payload: {
      plateType: 'PRIVATE',
      plateNumber,
      previousOwner: { type: 'PERSON', id: '288020122596' },
      newOwner: { type: 'PERSON', id: '285010112358' },
      transferredAt: new Date().toISOString(),
    },
  });
}

/** Reads a whole topic from the beginning with a throw-away group. */
export async function readTopic(topic: string, until: (messages: { value: string; headers: Record<string, string> }[]) => boolean, timeoutMs = 30000) {
  const consumer = kafka.consumer({ groupId: `e2e-reader-${randomUUID()}`, sessionTimeout: 6000, heartbeatInterval: 500 });
  const seen: { value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({
    eachMessage: ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']));
      seen.push({ value: message.value?.toString() ?? '', headers });
      if (until(seen)) done();
      return Promise.resolve();
    },
  });
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return seen;
}

/**
 * Registers the suite's hooks: empty databases and an empty broker, then `services` started and
 * ready; stopped (SIGTERM) after the suite.
 */
export function useFreshStack(...services: ServiceProcess[]): void {
  beforeAll(async () => {
    recreateDatabases();
    await resetBroker();
    await Promise.all(services.map((s) => s.startReady()));
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
  });
}
