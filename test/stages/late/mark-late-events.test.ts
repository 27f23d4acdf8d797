import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadLetterCollector } from '../../../src/dead-letter/dead-letter.js';
import type { VisitEvent } from '../../../src/events.js';
import { markLateEvents } from '../../../src/stages/late/mark-late-events.js';
import { VisitWatermarks } from '../../../src/stages/late/visit-watermarks.js';

/** The rule, event by event: late when older than the visit's latest delivered, which every on-time event moves. */
function reference(events: VisitEvent[], marks: Map<string, number>): boolean[] {
  const latest = new Map(marks);
  return events.map((event) => {
    const before = latest.get(event.visitId);
    if (before !== undefined && event.time < before) return true;
    latest.set(event.visitId, Math.max(before ?? event.time, event.time));
    return false;
  });
}

describe('markLateEvents', () => {
  it('marks exactly the events the per-event rule marks, and leaves each visit at its latest on-time event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ visit: fc.constantFrom('a', 'b', 'c', 'd'), time: fc.integer({ min: 0, max: 50 }) }), { maxLength: 40 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 50 })),
        async (rows, before) => {
          const events: VisitEvent[] = rows
            .map((r, seq) => ({ visitId: r.visit, time: r.time, seq, text: `${r.visit}@${r.time}` }))
            .sort((x, y) => (x.visitId < y.visitId ? -1 : x.visitId > y.visitId ? 1 : x.time - y.time || x.seq - y.seq));
          const watermarks = new VisitWatermarks();
          for (const [visit, time] of Object.entries(before)) watermarks.record(visit, time, 0);
          const expected = reference(events, new Map(Object.entries(before)));
          const out: VisitEvent[] = [];
          const stage = markLateEvents({
            watermarks,
            policy: 'deliver',
            deadLetters: new DeadLetterCollector(),
            positionOf: () => ({ source: 't', partition: 2, offset: 0 }),
          });
          await pipeline(Readable.from(events.map((e) => ({ ...e }))), stage, async (source: AsyncIterable<VisitEvent>) => {
            for await (const event of source) out.push(event);
          });
          expect(out.map((e) => e.late === true)).toEqual(expected);
          expect(stage.stats.late).toBe(expected.filter(Boolean).length);
          const latest = new Map(Object.entries(before));
          events.forEach((e, i) => !expected[i] && latest.set(e.visitId, Math.max(latest.get(e.visitId) ?? e.time, e.time)));
          for (const [visit, time] of latest) expect(watermarks.latest(visit)).toBe(time);
        },
      ),
    );
  });
});
