import { randomUUID } from 'node:crypto';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { allTopics, deadLetterTopic } from '@app/contracts';
import { log, now, sleep } from './system';

export const PROJECT_CONSUMERS = ['vehicle-registry', 'violations', 'payment-gateway', 'notification'];

export function benchKafka(brokers: string, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: brokers.split(',').map((b) => b.trim()), logLevel: logLevel.ERROR, retry: { initialRetryTime: 200, retries: 8 } });
}

/**
 * Deletes the project's topics and `fines.*` consumer groups so the run starts from an empty broker
 * (the idea of the e2e suite's resetBroker). Refuses when a `fines.*` group still has members: then
 * something else (an e2e run, a developer's stack) is using this broker and would lose its topics.
 */
export async function resetProjectTopics(admin: Admin): Promise<void> {
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith('fines.'));
  if (groups.length > 0) {
    const described = await admin.describeGroups(groups);
    const busy = described.groups.filter((g) => g.members.length > 0).map((g) => g.groupId);
    if (busy.length > 0) throw new Error(`consumer groups ${busy.join(', ')} have live members: another stack uses this broker; stop it first`);
    await admin.deleteGroups(groups).catch(() => undefined);
  }
  const ours = [...allTopics(), ...PROJECT_CONSUMERS.map(deadLetterTopic)];
  await deleteTopics(admin, ours);
}

export async function deleteTopics(admin: Admin, topics: string[]): Promise<void> {
  const existing = (await admin.listTopics()).filter((t) => topics.includes(t));
  if (existing.length === 0) return;
  await admin.deleteTopics({ topics: existing, timeout: 30000 });
  for (let i = 0; i < 150 && (await admin.listTopics()).some((t) => existing.includes(t)); i++) await sleep(200);
}

export async function recreateTopic(admin: Admin, topic: string, numPartitions: number): Promise<void> {
  await deleteTopics(admin, [topic]);
  // The broker may still be removing the old log for a moment after the topic left the listing.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions, replicationFactor: 1 }] });
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(500);
    }
  }
}

/** Waits until `groupId` is Stable with at least one member (its partitions are assigned). */
export async function waitForGroup(admin: Admin, groupId: string, timeoutMs = 60000): Promise<void> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const [group] = (await admin.describeGroups([groupId])).groups;
    if (group && group.state === 'Stable' && group.members.length > 0) return;
    if (now() > deadline) throw new Error(`consumer group ${groupId} did not become Stable within ${timeoutMs} ms (state ${group?.state})`);
    await sleep(200);
  }
}

/**
 * Watches a consumer group's committed offsets. The backbone commits a batch's offsets only after
 * the batch's database transaction committed, so "committed offset of partition p passed o" is
 * the observable moment the effect of the event at (p, o) is durable. Polled every `intervalMs`;
 * each observation is stamped with the time the answer arrived (a late, conservative stamp).
 */
export class OffsetWatcher {
  private readonly history = new Map<number, { at: number[]; offset: number[] }>();
  private running = false;
  private loop?: Promise<void>;
  private polls = 0;
  /** Sum over partitions of the committed offsets: with offsets from 0, the number of messages done. */
  committedTotal = 0;

  constructor(
    private readonly admin: Admin,
    private readonly groupId: string,
    private readonly topic: string,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<number> {
    this.running = false;
    await this.loop;
    return this.polls;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = now();
      try {
        const answer = await this.admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] });
        const at = now();
        this.polls++;
        let total = 0;
        for (const { partition, offset } of answer[0]?.partitions ?? []) {
          const o = Number(offset);
          if (o < 0) continue;
          total += o;
          let h = this.history.get(partition);
          if (!h) this.history.set(partition, (h = { at: [], offset: [] }));
          if (h.offset.length === 0 || o > h.offset[h.offset.length - 1]) {
            h.at.push(at);
            h.offset.push(o);
          }
        }
        this.committedTotal = total;
      } catch (error) {
        log(`offset poll failed: ${(error as Error).message}`);
      }
      const wait = this.intervalMs - (now() - started);
      if (wait > 0) await sleep(wait);
    }
  }

  /** When the message at (partition, offset) was first seen committed, or undefined. */
  doneAt(partition: number, offset: number): number | undefined {
    const h = this.history.get(partition);
    if (!h) return undefined;
    let lo = 0;
    let hi = h.offset.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (h.offset[mid] > offset) hi = mid;
      else lo = mid + 1;
    }
    return lo < h.offset.length ? h.at[lo] : undefined;
  }

  /** Resolves once `expected` messages are committed; answers when that was observed. */
  async waitForTotal(expected: number, timeoutMs: number, label: string): Promise<number> {
    const deadline = now() + timeoutMs;
    let lastReport = now();
    while (this.committedTotal < expected) {
      if (now() > deadline) throw new Error(`${label}: only ${this.committedTotal} of ${expected} events consumed after ${timeoutMs} ms`);
      if (now() - lastReport > 5000) {
        log(`${label}: ${this.committedTotal.toLocaleString('en-US')} / ${expected.toLocaleString('en-US')} consumed`);
        lastReport = now();
      }
      await sleep(this.intervalMs);
    }
    return now();
  }
}

/** Reads a whole topic with a throw-away group: where each event (by its x-event-id header) landed. */
export async function indexTopic(kafka: Kafka, admin: Admin, topic: string, timeoutMs = 120000): Promise<Map<string, { partition: number; offset: number }>> {
  const expected = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const index = new Map<string, { partition: number; offset: number }>();
  let seen = 0;
  const groupId = `bench.reader.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        seen++;
        const id = m.headers?.['x-event-id']?.toString();
        if (id && !index.has(id)) index.set(id, { partition: batch.partition, offset: Number(m.offset) });
      }
      if (seen >= expected) done();
      return Promise.resolve();
    },
  });
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  if (seen < expected) log(`indexing ${topic}: read ${seen} of ${expected} messages before the timeout`);
  return index;
}
