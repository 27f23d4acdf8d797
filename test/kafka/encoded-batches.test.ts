import { compressionsAlgorithms } from '@platformatic/kafka';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/kafka/crc32c.js';
import { DeliveryLineReader } from '../../src/kafka/delivery-line-reader.js';
import { DeliveryBatchEncoder, DeliveryLineEncoder, EncodedDeliveryBatch, encodeAheadOfProducer, recordsOfEncodedBatch } from '../../src/kafka/encoded-batches.js';
import { javaRangePartitioner } from '../../src/kafka/java-partitioner.js';
import type { OutgoingRecord } from '../../src/kafka/port.js';
import { encodeRecordBatch, sealRecordBatch } from '../../src/kafka/record-batch.js';
import { partBytesFor, splitIntoParts } from '../../src/kafka/record-parts.js';

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
const outgoing = fc.array(
  fc.record({
    key: fc.option(bytes(30), { nil: null }),
    value: fc.option(bytes(400), { nil: null }),
    headers: fc.array(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })), { maxLength: 2 }),
  }),
  { minLength: 1, maxLength: 30 },
);
const header = fc.record({
  producerId: fc.bigInt({ min: -1n, max: 2n ** 62n }),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  transactional: fc.boolean(),
  partitionLeaderEpoch: fc.integer({ min: -1, max: 1000 }),
  timestamp: fc.bigInt({ min: 0n, max: 2n ** 45n }),
});

describe('a record batch encoded ahead of its producer', () => {
  it.each(['none', 'gzip', 'zstd'] as const)('sealed, is the batch encodeRecordBatch writes with the same header (compression %s)', (compression) => {
    const algorithm = compression === 'none' ? undefined : compressionsAlgorithms[compression];
    const codec = algorithm && { bitmask: algorithm.bitmask, compress: (b: Buffer) => algorithm.compressSync(b) as Buffer };
    fc.assert(
      fc.property(outgoing, header, header, (generated, first, second) => {
        const records: OutgoingRecord[] = generated.map((r) => ({ partition: 4, ...r }));
        const ahead = encodeAheadOfProducer(records, 4);
        expect(ahead.records).toBe(records.length);
        const sealed = sealRecordBatch(ahead.bytes, first, crc32c, codec);
        expect(sealed.equals(encodeRecordBatch(records, first, crc32c, codec))).toBe(true);
        // Sealed again, for a retry under another producer id or epoch.
        expect(sealRecordBatch(ahead.bytes, second, crc32c, codec).equals(encodeRecordBatch(records, second, crc32c, codec))).toBe(true);
      }),
      { numRuns: compression === 'none' ? 200 : 40 },
    );
  });

  it('reads back as the records it was made of', () => {
    fc.assert(
      fc.property(outgoing, (generated) => {
        const records: OutgoingRecord[] = generated.map((r) => ({ partition: 2, ...r }));
        const read = recordsOfEncodedBatch(encodeAheadOfProducer(records, 2));
        expect(read.map((r) => [r.partition, r.key, r.value, r.headers])).toEqual(records.map((r) => [2, r.key, r.value, r.headers]));
      }),
    );
  });
});

describe('DeliveryBatchEncoder', () => {
  it("encodes each partition's parts as encodeAheadOfProducer does, in the batch's one buffer, or more where headers outgrow its estimate", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), outgoing), { minLength: 1, maxLength: 4 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
        fc.integer({ min: 100, max: 4000 }),
        (partitions, headerBytes, maxPartBytes) => {
          const byPartition = new Map<number, OutgoingRecord[]>();
          for (const [partition, generated] of partitions)
            byPartition.set(partition, [
              ...(byPartition.get(partition) ?? []),
              ...generated.map((r) => ({ partition, ...r, headers: [...r.headers, ['h', 'x'.repeat(headerBytes)] as const] })),
            ]);
          const batch = new DeliveryBatchEncoder(maxPartBytes).encode(9, byPartition);
          expect(batch.number).toBe(9);
          const want: [number, Buffer][] = [];
          for (const [partition, records] of byPartition) {
            splitIntoParts(records, maxPartBytes, (start, end) => want.push([partition, encodeAheadOfProducer(records.slice(start, end), partition).bytes]));
          }
          expect(batch.parts.map((part) => [part.partition, part.bytes])).toEqual(want);
          expect(batch.parts.map((part) => part.records)).toEqual(want.map(([, bytes]) => bytes.readInt32BE(57)));
          if (headerBytes === 0) expect(EncodedDeliveryBatch.transferList([batch])).toHaveLength(1);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("keeps every part of several records, with the sink's headers, within a topic's max.message.bytes once sealed (partBytesFor)", () => {
    const sinkRecord = fc.record({
      key: bytes(200),
      value: bytes(3000),
      batch: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 2 ** 31 - 1 })),
      late: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(sinkRecord, { minLength: 1, maxLength: 60 }), fc.integer({ min: 200, max: 40_000 }), header, (generated, maxMessageBytes, sealedWith) => {
        const records: OutgoingRecord[] = generated.map(({ key, value, batch, late }) => ({
          partition: 0,
          key,
          value,
          headers: late ? [['delivery_batch', String(batch)], ['late', 'true']] : [['delivery_batch', String(batch)]],
        }));
        const encoded = new DeliveryBatchEncoder(partBytesFor(maxMessageBytes, 2 * 1024 * 1024)).encode(1, new Map([[0, records]]));
        expect(encoded.parts.reduce((n, part) => n + part.records, 0)).toBe(records.length);
        // A record too large alone is the broker's to refuse; any other part must fit.
        for (const part of encoded.parts) if (part.records > 1) expect(sealRecordBatch(part.bytes, sealedWith, crc32c).length).toBeLessThanOrEqual(maxMessageBytes);
      }),
      { numRuns: 200 },
    );
  });
});

describe('DeliveryLineEncoder', () => {
  const line = (batch: number, key: string, value: string) => `{"delivery_batch":${batch},"key":${JSON.stringify(key)},"value":${value}}\n`;

  it('encodes the records DeliveryLineReader reads from the lines, partition by partition, in parts no larger than asked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 3000 })), { minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 8 }),
        (batches, partitions) => {
          const text = batches.map((records, b) => records.map(([key, size], i) => line(b + 1, key, `{"n":${i},"pad":"${'x'.repeat(size)}"}`)).join('')).join('');
          const chunk = Buffer.from(text);
          const reader = new DeliveryLineReader(javaRangePartitioner(partitions));
          const expected = [...reader.push(chunk), reader.end()!];
          const encoded: EncodedDeliveryBatch[] = [];
          new DeliveryLineEncoder({ partitions, maxPartBytes: 8 * 1024 }).encode([chunk], (batch) => encoded.push(batch));
          expect(encoded.map((batch) => batch.number)).toEqual(expected.map((batch) => batch.number));
          for (const [i, batch] of encoded.entries()) {
            const byPartition = new Map<number, OutgoingRecord[]>();
            for (const part of batch.parts) {
              expect(part.bytes.length).toBeLessThanOrEqual(8 * 1024 + 4000);
              byPartition.set(part.partition, [...(byPartition.get(part.partition) ?? []), ...recordsOfEncodedBatch(part)]);
            }
            const want = [...expected[i]!.byPartition].map(([p, records]) => [p, records.map((r) => [r.key!.toString(), r.value!.toString(), r.headers])]);
            expect([...byPartition].map(([p, records]) => [p, records.map((r) => [r.key!.toString(), r.value!.toString(), r.headers])])).toEqual(want);
          }
          // A batch's parts share one buffer, handed to another thread once.
          expect(EncodedDeliveryBatch.transferList(encoded)).toHaveLength(encoded.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('revives a batch posted to another thread', async () => {
    const encoded: EncodedDeliveryBatch[] = [];
    new DeliveryLineEncoder({ partitions: 3 }).encode([Buffer.from(line(7, 'v1', '{"a":1}') + line(7, 'v2', '{"a":2}'))], (batch) => encoded.push(batch));
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<unknown>((resolve) => port2.once('message', resolve));
    port1.postMessage(encoded, EncodedDeliveryBatch.transferList(encoded));
    const [revived] = ((await received) as Parameters<typeof EncodedDeliveryBatch.revive>[0][]).map((b) => EncodedDeliveryBatch.revive(b));
    port1.close();
    expect(revived).toBeInstanceOf(EncodedDeliveryBatch);
    expect(revived!.number).toBe(7);
    expect(revived!.parts.flatMap((part) => recordsOfEncodedBatch(part).map((r) => r.value!.toString())).sort()).toEqual(['{"a":1}', '{"a":2}']);
    expect(Buffer.isBuffer(revived!.parts[0]!.bytes)).toBe(true);
  });
});
