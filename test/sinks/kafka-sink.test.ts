import { finished } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { StoredEvent, type VisitEvent } from '../../src/events.js';
import { DeliveryBatchEncoder, EncodedDeliveryBatch, encodeAheadOfProducer, recordsOfEncodedBatch } from '../../src/kafka/encoded-batches.js';
import { javaPartitioner } from '../../src/kafka/java-partitioner.js';
import type { EncodedRecordBatch, OutgoingRecord, ProducerPort } from '../../src/kafka/port.js';
import { KafkaSink } from '../../src/sinks/kafka-sink.js';

/** A producer that acknowledges every record at once, keeping what it was given (the sink's records, not Kafka's). */
function recordingProducer(): ProducerPort & { sent: OutgoingRecord[] } {
  const sent: OutgoingRecord[] = [];
  return { sent, send: async (_topic, records) => void sent.push(...records), close: async () => undefined };
}

describe('KafkaSink with DeliveryBatches', () => {
  it("sends each event with its visit id as the key, its bytes as the value, on Java's partition, with its batch's headers", async () => {
    const event = fc.record({
      visitId: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
      text: fc.json(),
      stored: fc.boolean(),
      late: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uniqueArray(event, { selector: (e) => e.visitId, minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 4 }),
        async (batches) => {
          const producer = recordingProducer();
          const sink = new KafkaSink({ producer, topic: 't', partitions: 6 });
          batches.forEach((events, b) => {
            const visitEvents = events.map(({ visitId, text, stored, late }, i): VisitEvent => {
              // A stored event's bytes lie inside a larger buffer, as in a slab or a run block.
              const made: VisitEvent = stored
                ? new StoredEvent(visitId, 0, i, Buffer.from(`[${text}]`), 1, 1 + Buffer.byteLength(text))
                : { visitId, time: 0, seq: i, text };
              if (late) made.late = true;
              return made;
            });
            sink.write({ number: b + 1, events: visitEvents, bytes: 0 });
          });
          sink.end();
          await finished(sink);
          const partitionOf = javaPartitioner(6);
          const expected = batches.flatMap((events, b) =>
            events.map(({ visitId, text, late }) => ({
              key: visitId,
              value: text,
              partition: partitionOf(visitId),
              headers: late
                ? [
                    ['delivery_batch', String(b + 1)],
                    ['late', 'true'],
                  ]
                : [['delivery_batch', String(b + 1)]],
            })),
          );
          const got = producer.sent.map((r) => ({
            key: r.key!.toString('utf8'),
            value: r.value!.toString('utf8'),
            partition: r.partition,
            headers: r.headers,
          }));
          const order = (x: { key: string; headers: unknown }) => `${JSON.stringify(x.headers)}\u0000${x.key}`;
          expect(got.sort((x, y) => order(x).localeCompare(order(y)))).toEqual(expected.sort((x, y) => order(x).localeCompare(order(y))));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('KafkaSink with EncodedDeliveryBatches', () => {
  const record = (partition: number): OutgoingRecord => ({ partition, key: Buffer.from('v'), value: Buffer.from('{}'), headers: [['delivery_batch', '1']] });

  it('offers its layout only when its producer sends batches encoded ahead, and sends them to one that does not as records', async () => {
    const producer = recordingProducer();
    expect(
      new KafkaSink({ producer: { ...producer, sendEncoded: async () => undefined }, topic: 't', partitions: 6, maxRequestBytes: 4096 }).recordBatchLayout,
    ).toEqual({ partitions: 6, maxPartBytes: 4096 });
    const sink = new KafkaSink({ producer, topic: 't', partitions: 6 });
    expect(sink.recordBatchLayout).toBeUndefined();
    sink.end(new EncodedDeliveryBatch(1, [encodeAheadOfProducer([record(2), record(2)], 2)]));
    await finished(sink);
    expect(producer.sent.map((r) => [r.partition, r.value!.toString()])).toEqual([
      [2, '{}'],
      [2, '{}'],
    ]);
    expect(sink.stats).toMatchObject({ batches: 1, delivered: 2 });
  });

  it('encodes DeliveryBatches itself for a producer that sends batches encoded ahead: the same records, partition by partition', async () => {
    const events = (b: number): VisitEvent[] =>
      Array.from({ length: 300 }, (_, i) => {
        const event: VisitEvent = new StoredEvent(`visit-${i}`, 0, i, Buffer.from(`[{"b":${b},"i":${i}}]`), 1, `{"b":${b},"i":${i}}`.length + 1);
        if (i % 7 === 0) event.late = true;
        return event;
      });
    const plain = recordingProducer();
    const parts: EncodedRecordBatch[] = [];
    const encoding: ProducerPort = {
      send: () => Promise.reject(new Error('records sent')),
      // The bytes are the sink's again once acknowledged: what a producer keeps, it copies.
      sendEncoded: async (_topic, batches) => void parts.push(...batches.map((batch) => ({ ...batch, bytes: Buffer.from(batch.bytes) }))),
      close: async () => undefined,
    };
    for (const producer of [plain, encoding]) {
      const sink = new KafkaSink({ producer, topic: 't', partitions: 6, maxRequestBytes: 4096 });
      for (const b of [1, 2, 3]) sink.write({ number: b, events: events(b), bytes: 0 });
      sink.end();
      await finished(sink);
      expect(sink.stats).toMatchObject({ batches: 3, delivered: 900 });
    }
    const text = (r: OutgoingRecord) => [r.partition, r.key!.toString(), r.value!.toString(), JSON.stringify(r.headers)].join(' ');
    const byPartition = (records: OutgoingRecord[]) => [0, 1, 2, 3, 4, 5].map((p) => records.filter((r) => r.partition === p).map(text));
    expect(parts.every((part) => part.bytes.length <= 4096 + 200)).toBe(true);
    expect(byPartition(parts.flatMap(recordsOfEncodedBatch))).toEqual(byPartition(plain.sent));
  });

  it("frees a batch's bytes once every part is acknowledged, and not before", async () => {
    const acknowledge: (() => void)[] = [];
    const seen: string[] = [];
    const producer: ProducerPort = {
      send: () => Promise.reject(new Error('records sent')),
      sendEncoded: (_topic, batches) => {
        seen.push(...batches.flatMap(recordsOfEncodedBatch).map((r) => r.value!.toString()));
        return new Promise<void>((resolve) => acknowledge.push(resolve));
      },
      close: async () => undefined,
    };
    const sink = new KafkaSink({ producer, topic: 't', partitions: 6 });
    const batch = new DeliveryBatchEncoder().encode(
      1,
      new Map([
        [1, [record(1)]],
        [4, [record(4), record(4)]],
      ]),
    );
    const buffers = EncodedDeliveryBatch.transferList([batch]);
    sink.end(batch);
    await vi.waitFor(() => expect(acknowledge).toHaveLength(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(buffers.every((buffer) => !buffer.detached && buffer.byteLength > 0)).toBe(true);
    acknowledge[0]!();
    await finished(sink);
    expect(seen).toEqual(['{}', '{}', '{}']);
    expect(sink.stats).toMatchObject({ batches: 1, delivered: 3 });
    expect(buffers.every((buffer) => buffer.detached)).toBe(true);
    expect(batch.bytes).toBe(0);
  });

  it('leaves the bytes of a batch sent as records to the producer that took them', async () => {
    const producer = recordingProducer();
    const sink = new KafkaSink({ producer, topic: 't', partitions: 6 });
    const batch = new DeliveryBatchEncoder().encode(1, new Map([[2, [record(2)]]]));
    sink.end(batch);
    await finished(sink);
    expect(EncodedDeliveryBatch.transferList([batch]).some((buffer) => buffer.detached)).toBe(false);
    expect(producer.sent.map((r) => r.value!.toString())).toEqual(['{}']);
  });

  it('refuses a batch encoded for more partitions than its topic has, naming the fix', async () => {
    const sink = new KafkaSink({ producer: recordingProducer(), topic: 't', partitions: 3 });
    sink.end(new EncodedDeliveryBatch(4, [encodeAheadOfProducer([record(5)], 5)]));
    await expect(finished(sink)).rejects.toThrow(
      "delivery batch 4 was encoded for partition 5, but the topic has 3: give binPack() the sink's recordBatchLayout",
    );
  });
});
