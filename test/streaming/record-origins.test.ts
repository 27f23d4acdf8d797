import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordOrigins } from '../../src/streaming/record-origins.js';

describe('RecordOrigins', () => {
  it('traces every row back to its partition, offset and epoch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 20 })), { maxLength: 30 }),
        (runs) => {
          const origins = new RecordOrigins();
          const expected: { partition: number; offset: number; epoch: number }[] = [];
          let offset = 0;
          for (const [partition, epoch, rows] of runs) {
            for (let i = 0; i < rows; i++) {
              origins.add(partition, offset, epoch);
              expected.push({ partition, offset, epoch });
              offset += 2;
            }
          }
          expect(origins.size).toBe(expected.length);
          expected.forEach((origin, index) => {
            expect(origins.of(index)).toEqual(origin);
            expect([origins.partitionOf(index), origins.epochOf(index)]).toEqual([origin.partition, origin.epoch]);
          });
        },
      ),
    );
  });

  it('refuses an index it never saw', () => {
    const origins = new RecordOrigins();
    origins.add(0, 7, 1);
    expect(() => origins.of(1)).toThrow(RangeError);
    expect(() => origins.partitionOf(-1)).toThrow(RangeError);
  });
});
