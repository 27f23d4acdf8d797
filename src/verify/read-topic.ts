import type { KafkaClient } from '../kafka/port.js';
import type { DeliveredRecord } from './order-checker.js';

/**
 * Every record of `topic` from the beginning up to the end offsets taken at the start, in
 * offset order per partition, as the order checker reads them.
 */
export async function readTopicToEnd(client: KafkaClient, topic: string, onRecord: (record: DeliveredRecord) => void): Promise<void> {
  await client.readTopicToEnd(topic, (record) =>
    onRecord({
      partition: record.partition,
      offset: record.offset,
      key: record.key?.toString('utf8') ?? null,
      value: record.value,
      batch: record.headers.get('delivery_batch') ?? null,
      late: record.headers.get('late') === 'true',
    }),
  );
}
