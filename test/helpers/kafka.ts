import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { inject } from 'vitest';

/** The broker from the global setup; '' means the integration tests are skipped. */
export const brokers = inject('kafkaBrokers');

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'bin-packer-test', brokers: [brokers], logLevel: logLevel.NOTHING });
}

export async function createTopic(kafka: Kafka, partitions: number, prefix = 'test'): Promise<string> {
  const topic = `${prefix}-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return topic;
}
