import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { DeliveredRecord } from './order-checker.js';

/**
 * Every record of `topic` from the beginning up to the end offsets taken at the start, in
 * offset order per partition. Uses a throwaway consumer group, deleted afterwards.
 */
export async function readTopicToEnd(kafka: Kafka, topic: string, onRecord: (record: DeliveredRecord) => void): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `bin-packer-verify-${randomUUID()}`;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const remaining = new Map<number, bigint>();
    for (const { partition, high, low } of offsets) if (BigInt(high) > BigInt(low)) remaining.set(partition, BigInt(high));
    if (remaining.size > 0) {
      const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytes: 16 * 1024 * 1024 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          consumer
            .run({
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                const end = remaining.get(batch.partition);
                if (end === undefined) return;
                for (const message of batch.messages) {
                  if (BigInt(message.offset) >= end) break;
                  onRecord({
                    partition: batch.partition,
                    offset: message.offset,
                    key: message.key?.toString('utf8') ?? null,
                    value: message.value ?? Buffer.alloc(0),
                    batch: message.headers?.delivery_batch?.toString() ?? null,
                    late: message.headers?.late?.toString() === 'true',
                  });
                }
                if (BigInt(batch.lastOffset()) + 1n >= end) {
                  remaining.delete(batch.partition);
                  if (remaining.size === 0) resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
  }
}
