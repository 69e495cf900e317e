import { Logger } from '@nestjs/common';
import { Admin, Kafka, logLevel, LogEntry } from 'kafkajs';
import { allTopics, deadLetterTopic } from '@app/contracts';
import { PlatformConfig } from '@app/platform';

const LEVELS: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs logs through the service's own JSON logger. */
function kafkaLogCreator() {
  const logger = new Logger('kafkajs');
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      logger[LEVELS[level] ?? 'log']({ namespace, ...extra }, message);
    };
}

export function createKafka(clientId: string, config: PlatformConfig): Kafka {
  return new Kafka({
    clientId,
    brokers: config.messaging.KAFKA_BROKERS.split(',').map((b) => b.trim()),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(),
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/** Creates the topics this process publishes to or consumes from, with the configured partitions. */
export async function ensureTopics(admin: Admin, consumers: string[], config: PlatformConfig): Promise<string[]> {
  const wanted = [...allTopics(), ...consumers.map(deadLetterTopic)];
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: config.messaging.KAFKA_TOPIC_PARTITIONS,
        replicationFactor: config.messaging.KAFKA_REPLICATION_FACTOR,
      })),
    });
  }
  return missing;
}
