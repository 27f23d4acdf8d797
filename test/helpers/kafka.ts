import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { inject } from 'vitest';
import { createKafkaClient } from '../../src/kafka/client.js';
import type { ClientName, Isolation } from '../../src/kafka/port.js';
import { createLogger } from '../../src/logger.js';
import type { DeliveredRecord } from '../../src/verify/order-checker.js';
import { readTopicToEnd } from '../../src/verify/read-topic.js';

/** The broker from the global setup; '' means the integration tests are skipped. */
export const brokers = inject('kafkaBrokers');
/** The broker is the test setup's own, with the local broker's known config (short quota windows). */
export const brokerStartedHere = inject('kafkaBrokerStartedHere');

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'bin-packer-test', brokers: [brokers], logLevel: logLevel.NOTHING });
}

export async function createTopic(kafka: Kafka, partitions: number, prefix = 'test', config: Record<string, string> = {}): Promise<string> {
  const topic = `${prefix}-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, configEntries }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/** Records in a topic so far (sum of end offsets); 0 while it does not exist or has no leaders yet. */
export async function topicRecordCount(admin: Admin, topic: string): Promise<number> {
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } catch {
    return 0;
  }
}

/** Records a read_committed reader sees in the topic (end offsets count transaction markers too). */
export async function committedRecordCount(topic: string): Promise<number> {
  let count = 0;
  await readTopic(topic, () => count++);
  return count;
}

/** Polls until the topic holds at least `records`; returns the last count seen. */
export async function waitForRecords(admin: Admin, topic: string, records: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = 0;
  while ((count = await topicRecordCount(admin, topic)) < records && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return count;
}

/** Reads a topic to its end offsets through the client port (verify's own reader). */
export async function readTopic(
  topic: string,
  onRecord: (record: DeliveredRecord) => void,
  client: ClientName = 'platformatic',
  isolation: Isolation = 'read_committed',
): Promise<void> {
  const kafka = await createKafkaClient({ brokers, clientId: 'bin-packer-test' }, createLogger({ level: 'silent' }), client);
  try {
    await readTopicToEnd(kafka, topic, onRecord, { isolation });
  } finally {
    await kafka.close();
  }
}
