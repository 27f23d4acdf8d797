import { Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import { kafkajsLevel, pinoLogCreator } from './log-creator.js';

export interface KafkaConnection {
  /** Comma-separated host:port list. */
  brokers: string;
  clientId?: string;
}

export function createKafka(connection: KafkaConnection, logger: Logger): Kafka {
  const brokers = connection.brokers.split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw new Error('no Kafka brokers given');
  return new Kafka({
    clientId: connection.clientId ?? 'bin-packer',
    brokers,
    logLevel: kafkajsLevel(logger.level),
    logCreator: pinoLogCreator(logger.child({ component: 'kafkajs' })),
  });
}

/** Creates the topic when it does not exist yet; an existing topic is left as it is. */
export async function ensureTopic(kafka: Kafka, topic: string, partitions: number): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(topic)) return false;
    return await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
