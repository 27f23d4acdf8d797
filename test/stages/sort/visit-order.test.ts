import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSortKeys } from '../../../src/events.js';
import { visitOrder } from '../../../src/stages/sort/visit-order.js';

// Ids whose UTF-16 order differs from their code point order ('\uffff' < '😀' in code points only).
const ids = ['v1é', 'v2', 'v10', '\uffff', '😀', 'a'];

describe('visitOrder', () => {
  it('orders rows as one comparator sort by (visit, instant, arrival) does, short and long visits alike', () => {
    const rows = fc.array(
      fc.record({ visit: fc.integer({ min: 0, max: 8 }), time: fc.integer({ min: 0, max: 50 }), arrival: fc.integer({ min: 0, max: 1000 }) }),
      // Up to 400 rows over 9 visits: some visits pass the insertion limit (32 rows).
      { maxLength: 400 },
    );
    fc.assert(
      fc.property(rows, (spec) => {
        const visitIds = spec.map((r) => `${ids[r.visit % ids.length]}${r.visit}`);
        const times = spec.map((r) => r.time / 4);
        const seqs = spec.map((r, i) => r.arrival * 1000 + i);
        const expected = spec.map((_, i) => i).sort((a, b) => compareSortKeys(visitIds[a]!, times[a]!, seqs[a]!, visitIds[b]!, times[b]!, seqs[b]!));
        expect(visitOrder(visitIds, times, seqs)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('orders a long visit that arrives in reverse time order in n log n, not n²', () => {
    // 200k rows by insertion would take ~2·10¹⁰ steps (minutes); a sort takes well under a second.
    const count = 200_000;
    const visitIds = new Array<string>(count).fill('one visit');
    const times = Array.from({ length: count }, (_, i) => count - i);
    const seqs = Array.from({ length: count }, (_, i) => i);
    const order = visitOrder(visitIds, times, seqs);
    expect(order[0]).toBe(count - 1);
    expect(order.at(-1)).toBe(0);
  });
});
