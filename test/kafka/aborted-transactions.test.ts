import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { committedBatches, type FetchedRecordBatch } from '../../src/kafka/aborted-transactions.js';

type Batch = FetchedRecordBatch<{ key: Buffer | null; text: string }>;

const TRANSACTIONAL = 1 << 4;
const CONTROL = 1 << 5;
const marker = (commit: boolean) => {
  const key = Buffer.alloc(4);
  key.writeInt16BE(commit ? 1 : 0, 2);
  return key;
};

/**
 * A partition's log: each transaction's data batch then its marker (a producer has one
 * transaction open at a time), with non-transactional batches inserted anywhere. Returns the
 * batches, what a read_committed reader must see, and the broker's aborted-transaction list.
 */
function log(transactions: { producer: number; records: number; commit: boolean }[], plainAt: number[]) {
  const batches: Batch[] = [];
  const abortedBatches = new Set<Batch>();
  transactions.forEach((t, i) => {
    const producerId = BigInt(t.producer);
    const records = Array.from({ length: t.records }, (_, r) => ({ key: null, text: `${i}.${r}` }));
    const data: Batch = { firstOffset: 0n, lastOffsetDelta: t.records - 1, producerId, attributes: TRANSACTIONAL, records };
    if (!t.commit) abortedBatches.add(data);
    batches.push(data, { firstOffset: 0n, lastOffsetDelta: 0, producerId, attributes: TRANSACTIONAL | CONTROL, records: [{ key: marker(t.commit), text: 'marker' }] });
  });
  for (const [n, at] of plainAt.entries()) {
    batches.splice(at % (batches.length + 1), 0, { firstOffset: 0n, lastOffsetDelta: 0, producerId: -1n, attributes: 0, records: [{ key: null, text: `plain${n}` }] });
  }
  let offset = 0n;
  for (const batch of batches) {
    batch.firstOffset = offset;
    offset += BigInt(batch.lastOffsetDelta) + 1n;
  }
  const expected = batches.filter((b) => !(b.attributes & CONTROL) && !abortedBatches.has(b)).flatMap((b) => b.records.map((r) => r.text));
  const aborted = [...abortedBatches].map((b) => ({ producerId: b.producerId, firstOffset: b.firstOffset }));
  return { batches, expected, aborted };
}

describe('committedBatches', () => {
  it('A commit, B abort, C commit, D abort, E commit by one producer reads A C E', () => {
    const { batches, aborted } = log(
      ['A', 'B', 'C', 'D', 'E'].map((_, i) => ({ producer: 7, records: 1, commit: i % 2 === 0 })),
      [],
    );
    const read = committedBatches(batches, aborted);
    expect(read.batches.flatMap((b) => b.records.map((r) => r.text))).toEqual(['0.0', '2.0', '4.0']);
    expect(read.abortedRecords).toBe(2);
  });

  it('reads exactly the committed and non-transactional records, in order, for any interleaving of producers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ producer: fc.integer({ min: 1, max: 3 }), records: fc.integer({ min: 1, max: 4 }), commit: fc.boolean() }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (transactions, order) => {
          const { batches, expected, aborted } = log(transactions, order);
          const read = committedBatches(batches, aborted);
          expect(read.batches.flatMap((b) => b.records.map((r) => r.text))).toEqual(expected);
          expect(read.abortedRecords).toBe(transactions.filter((t) => !t.commit).reduce((n, t) => n + t.records, 0));
        },
      ),
    );
  });

  it('read_uncommitted (no aborted list) reads every data batch and no markers', () => {
    const { batches } = log([{ producer: 1, records: 2, commit: false }], []);
    expect(committedBatches(batches, null).batches.flatMap((b) => b.records.map((r) => r.text))).toEqual(['0.0', '0.1']);
  });
});
