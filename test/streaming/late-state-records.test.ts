import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlicedRecord } from '../../src/kafka/sliced-record.js';
import { lateStateRecords } from '../../src/streaming/late-state-log.js';

describe('lateStateRecords', () => {
  it('writes each changed mark and each forgotten visit’s tombstone, in its input partition', () => {
    const records = lateStateRecords([{ visitId: 'a', time: 10, touched: 1000, partition: 2 }], [{ visitId: 'b', time: 5, touched: 1, partition: 4 }]);
    expect(records.map((r) => [r.key?.toString(), r.partition, r.value && JSON.parse(r.value.toString())])).toEqual([
      ['a', 2, { t: 10, w: 1000 }],
      ['b', 4, null],
    ]);
  });

  it('writes no tombstone after the fresh mark of a visit forgotten and then delivered to again', () => {
    const records = lateStateRecords([{ visitId: 'a', time: 20, touched: 5000, partition: 1 }], [{ visitId: 'a', time: 10, touched: 1000, partition: 1 }]);
    expect(records).toHaveLength(1);
    expect(records[0]!.value).not.toBeNull();
  });

  it('writes each mark as JSON.stringify would, its key as the visit id in UTF-8', () => {
    const mark = fc.record({
      visitId: fc.string({ unit: 'grapheme', minLength: 1 }),
      time: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 2 ** 45 })),
      touched: fc.integer({ min: 0, max: 2 ** 45 }),
      partition: fc.nat(11),
    });
    fc.assert(
      fc.property(fc.array(mark, { maxLength: 20 }), (marks) => {
        const records = lateStateRecords(marks, []);
        expect(records.map((r) => [r.partition, r.key, r.value])).toEqual(
          marks.map((m) => [m.partition, Buffer.from(m.visitId), Buffer.from(JSON.stringify({ t: m.time, w: m.touched }))]),
        );
      }),
    );
  });

  it('holds the marks in one buffer sized by their bytes, not by a worst case: long visit ids cost what they weigh', () => {
    const marks = Array.from({ length: 100 }, (_, i) => ({ visitId: `${i}`.padEnd(1000, 'v'), time: 1, touched: 2, partition: 0 }));
    const records = lateStateRecords(marks, []);
    const buffers = new Set(records.map((r) => (r as SlicedRecord).keyBytes));
    expect(buffers.size).toBe(1);
    expect([...buffers][0]!.length).toBeLessThanOrEqual(100 * (1000 + 64));
  });
});
