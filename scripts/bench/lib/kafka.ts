import { Admin, Kafka, logLevel } from 'kafkajs';
import { allTopics, deadLetterTopic } from '@app/contracts';
import { now, sleep } from './system';

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
