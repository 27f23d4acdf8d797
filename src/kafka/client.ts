import { readFileSync } from 'node:fs';
import { Kafka, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { Logger } from '../logger.js';
import type { KafkaConnection } from './connection.js';
import { kafkajsLevel, pinoLogCreator } from './log-creator.js';

export { saslFromEnv, type KafkaConnection, type SaslMechanism } from './connection.js';

export function createKafka(connection: KafkaConnection, logger: Logger): Kafka {
  const brokers = connection.brokers.split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw new Error('no Kafka brokers given');
  const config: KafkaConfig = {
    clientId: connection.clientId ?? 'bin-packer',
    brokers,
    connectionTimeout: connection.connectionTimeout ?? 3000,
    retry: { retries: connection.retries ?? 5, initialRetryTime: 300, maxRetryTime: 10_000 },
    logLevel: kafkajsLevel(logger.level),
    logCreator: pinoLogCreator(logger.child({ component: 'kafkajs' })),
  };
  if (connection.ssl || connection.sslCa) {
    config.ssl = connection.sslCa ? { ca: [readFileSync(connection.sslCa, 'utf8')] } : true;
  }
  if (connection.sasl) config.sasl = connection.sasl as SASLOptions;
  return new Kafka(config);
}

/** What may be logged about a connection: never the credentials. */
export function describeConnection(connection: KafkaConnection): Record<string, unknown> {
  return {
    brokers: connection.brokers,
    ssl: Boolean(connection.ssl || connection.sslCa),
    sasl: connection.sasl ? { mechanism: connection.sasl.mechanism, username: connection.sasl.username } : false,
  };
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
