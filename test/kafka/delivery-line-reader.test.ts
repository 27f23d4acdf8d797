import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { javaPartitioner, javaRangePartitioner } from '../../src/kafka/java-partitioner.js';
import { DeliveryLineReader, type ReadBatch } from '../../src/kafka/delivery-line-reader.js';

/** The delivery-line format written out plainly: an oracle independent of the encoder (DeliveryLines). */
function deliveryLine(batch: number, visitId: string, text: string): string {
  return `{"delivery_batch":${batch},"key":${JSON.stringify(visitId)},"value":${text}}\n`;
}

const partitionOf = javaPartitioner(6);
const rangePartitionOf = javaRangePartitioner(6);

describe('DeliveryLineReader', () => {
  it('reads back what the NDJSON sink wrote: batch numbers, keys (escaped or not) and value bytes, however the lines are chunked', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.record({ visitId: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), text: fc.json() }), { minLength: 1, maxLength: 5 }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        (batches, cuts) => {
          const bytes = Buffer.from(batches.map((events, b) => events.map((e) => deliveryLine(b + 1, e.visitId, e.text)).join('')).join(''));
          const reader = new DeliveryLineReader(rangePartitionOf);
          const read: ReadBatch[] = [];
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const next = Math.min(bytes.length, at + cuts[i % cuts.length]!);
            // A copy: the reader must not depend on a chunk's buffer being kept as it was.
            read.push(...reader.push(Buffer.from(bytes.subarray(at, next))));
            at = next;
          }
          const last = reader.end();
          if (last) read.push(last);
          expect(read.map((b) => b.number)).toEqual(batches.map((_, b) => b + 1));
          read.forEach((batch, b) => {
            const records = [...batch.byPartition.values()].flat();
            const expected = batches[b]!.map((e) => ({ key: e.visitId, value: e.text, partition: partitionOf(Buffer.from(e.visitId)) }));
            const got = records.map((r) => ({ key: r.key!.toString('utf8'), value: r.value!.toString('utf8'), partition: r.partition }));
            const order = (x: { key: string; value: string }) => `${x.key}\u0000${x.value}`;
            expect(got.sort((x, y) => order(x).localeCompare(order(y)))).toEqual(expected.sort((x, y) => order(x).localeCompare(order(y))));
            for (const r of records) expect(r.headers).toEqual([['delivery_batch', String(b + 1)]]);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a line that is not a delivery line, and input that ends mid-line', () => {
    expect(() => new DeliveryLineReader(rangePartitionOf).push(Buffer.from('{"visit_id":"a"}\n'))).toThrow(/not a delivery line/);
    const reader = new DeliveryLineReader(rangePartitionOf);
    reader.push(Buffer.from('{"delivery_batch":1,"key":"a","value":{}'));
    expect(() => reader.end()).toThrow(/middle of a line/);
  });
});
