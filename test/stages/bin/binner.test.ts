import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareEvents, type DeliveryBatch } from '../../../src/events.js';
import { generateEvents } from '../../../src/fixtures/generate-events.js';
import { Binner, type BinnerOptions } from '../../../src/stages/bin/binner.js';
import { toVisitEvent } from '../../../src/stages/validate/validate-row.js';
import { assertBatchInvariants, event } from '../../helpers/events.js';

function binAll(events: ReturnType<typeof event>[], options: BinnerOptions) {
  const binner = new Binner(options);
  const batches: DeliveryBatch[] = [];
  for (const e of events) batches.push(...binner.add(e));
  batches.push(...binner.finish());
  return { batches, stats: binner.stats };
}

const sortedEvents = fc
  .array(fc.record({ visit: fc.integer({ min: 0, max: 30 }), time: fc.integer({ min: 0, max: 40 }), size: fc.integer({ min: 0, max: 40 }) }), {
    maxLength: 400,
  })
  .map((rows) => rows.map((r, seq) => event(`v${String(r.visit).padStart(2, '0')}`, r.time, seq, 'x'.repeat(r.size))).sort(compareEvents));

describe('Binner', () => {
  it('keeps every batch invariant, loses nothing, and never beats the lower bound', () => {
    fc.assert(
      fc.property(
        sortedEvents,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 600 }),
        (events, maxBatchRecords, maxBatchBytes, maxBufferedBytes) => {
          const { batches, stats } = binAll(events, { maxBatchRecords, maxBatchBytes, maxBufferedBytes });
          assertBatchInvariants(batches, { maxRecords: maxBatchRecords, maxBytes: maxBatchBytes });
          expect(batches.flatMap((b) => b.events).sort(compareEvents)).toEqual(events);
          expect(stats.batches).toBe(batches.length);
          expect(stats.events).toBe(events.length);
          expect(batches.length).toBeGreaterThanOrEqual(events.length === 0 ? 0 : stats.lowerBound);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("packs the seed's example like the seed: visit k-th events in batch k", () => {
    const events = ['a', 'b', 'c'].flatMap((v) => [1, 2, 3].map((t) => event(v, t, 0))).sort(compareEvents);
    const { batches } = binAll(events, {});
    expect(batches.map((b) => b.events.map((e) => `${e.visitId}${e.time}`))).toEqual([
      ['a1', 'b1', 'c1'],
      ['a2', 'b2', 'c2'],
      ['a3', 'b3', 'c3'],
    ]);
  });

  it("lets a long visit's tail share batches with the visits after it", () => {
    const long = Array.from({ length: 6 }, (_, t) => event('a', t, t));
    const short = ['b', 'c', 'd', 'e', 'f'].flatMap((v) => [event(v, 0, 0), event(v, 1, 1)]);
    const { batches, stats } = binAll([...long, ...short], { maxBatchRecords: 3 });
    // 16 events, at most 3 per batch and the 6-event visit: at least 6 batches; the seed's method would need 6 too,
    // but with all batches held at once. Streaming packing reaches the bound.
    expect(stats.lowerBound).toBe(6);
    expect(batches.length).toBe(6);
  });

  it('stays near the lower bound on realistic data', () => {
    const events = [...generateEvents({ events: 30_000, seed: 4 })]
      .map((row, seq) => toVisitEvent({ text: row.text, value: JSON.parse(row.text), position: { source: 'g', offset: 0 } }, seq))
      .filter((e) => typeof e !== 'string')
      .sort(compareEvents);
    const { batches, stats } = binAll(events, { maxBatchRecords: 1000 });
    assertBatchInvariants(batches, { maxRecords: 1000, maxBytes: Infinity });
    // Streaming, it cannot see the last visits coming: their tails may each need a batch of
    // their own past the full ones, so at most one longest visit above the bound.
    expect(stats.lowerBound).toBeGreaterThan(stats.longestVisit);
    expect(batches.length).toBeLessThanOrEqual(stats.lowerBound + stats.longestVisit);
  });

  it('closes batches early rather than buffer past its memory limit', () => {
    const events = Array.from({ length: 2000 }, (_, i) => event(`v${String(Math.floor(i / 4)).padStart(4, '0')}`, i % 4, i, 'x'.repeat(100))).sort(
      compareEvents,
    );
    const binner = new Binner({ maxBatchRecords: 1000, maxBufferedBytes: 5000 });
    let maxBuffered = 0;
    let emitted = 0;
    for (const e of events) {
      emitted += binner.add(e).reduce((n, b) => n + b.events.length, 0);
      maxBuffered = Math.max(maxBuffered, binner.stats.events - emitted);
    }
    expect(maxBuffered * 100).toBeLessThanOrEqual(5000 + 100);
    expect(binner.stats.closedEarly).toBeGreaterThan(0);
  });

  it('holds a bounded number of open batches however long a visit is, and still streams it', () => {
    // One visit of 20,000 events opens a batch per event: each open batch costs memory beyond its event.
    const events = Array.from({ length: 20_000 }, (_, i) => event('only', i, i, 'x'.repeat(100)));
    const binner = new Binner({ maxBufferedBytes: 64 * 1024 });
    let maxOpen = 0;
    let closed = 0;
    let previous = 0;
    for (const e of events) {
      for (const batch of binner.add(e)) {
        expect(batch.number).toBe(++previous);
        closed++;
      }
      maxOpen = Math.max(maxOpen, binner.stats.events - closed);
    }
    closed += binner.finish().length;
    expect(closed).toBe(20_000);
    // 64 KiB over (100 bytes + an open batch's overhead): some 60, not the 650 that 100-byte events alone allow.
    expect(maxOpen).toBeLessThan(100);
  });

  it('refuses unsorted input instead of breaking the order', () => {
    const binner = new Binner();
    binner.add(event('b', 1, 0));
    expect(() => binner.add(event('a', 1, 1))).toThrow(/not sorted by visit/);
    binner.add(event('b', 2, 2));
    expect(() => binner.add(event('b', 1, 3))).toThrow(/back in time/);
  });
});

describe('Binner numbering', () => {
  it('starts at firstBatch and keeps every other invariant', () => {
    const events = [event('a', 1, 0), event('a', 2, 1), event('b', 1, 2), event('c', 5, 3), event('c', 6, 4), event('c', 7, 5)];
    const { batches } = binAll(events, { firstBatch: 41, maxBatchRecords: 2 });
    expect(batches.map((b) => b.number)).toEqual(batches.map((_, i) => 41 + i));
    assertBatchInvariants(
      batches.map((b, i) => ({ ...b, number: i + 1 })),
      { maxRecords: 2, maxBytes: Infinity },
    );
  });
});
