import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { brokers, createTopic, testKafka } from '../helpers/kafka.js';

describe.skipIf(!brokers)('the real Kafka broker', () => {
  it('returns produced keys, values and headers intact through a consumer group', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, 3);
    const sent = Array.from({ length: 300 }, (_, i) => ({
      key: `visit_${i % 17}`,
      // Arbitrary bytes, not just UTF-8 text: the pipeline promises values unchanged.
      value: Buffer.from([0xff, 0x00, i & 0xff, ...Buffer.from(`{"n": ${i}, "é": "ü"}`)]),
      headers: { delivery_batch: String(i % 5), other: Buffer.from([1, 2, 3]) },
    }));

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `group-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; value: Buffer; batch: string; other: Buffer; partition: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            received.push({
              key: message.key!.toString(),
              value: message.value!,
              batch: message.headers!.delivery_batch!.toString(),
              other: message.headers!.other as Buffer,
              partition,
            });
            if (received.length === sent.length) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();

    const byValue = (a: { value: Buffer }, b: { value: Buffer }) => Buffer.compare(a.value, b.value);
    expect(received.map((r) => ({ key: r.key, value: r.value, batch: r.batch, other: r.other })).sort(byValue)).toEqual(
      sent.map((s) => ({ key: s.key, value: s.value, batch: s.headers.delivery_batch, other: s.headers.other })).sort(byValue),
    );
    // One key always maps to one partition.
    const partitionsOfKey = new Map<string, Set<number>>();
    for (const r of received) partitionsOfKey.set(r.key, (partitionsOfKey.get(r.key) ?? new Set()).add(r.partition));
    for (const partitions of partitionsOfKey.values()) expect(partitions.size).toBe(1);
  });
});
