import { Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareEvents, StoredEvent, type VisitEvent } from '../../src/events.js';
import { binToNdjson } from '../../src/sinks/bin-to-ndjson.js';
import { ndjsonSink } from '../../src/sinks/ndjson-sink.js';
import { binEvents } from '../../src/stages/bin/bin-events.js';
import type { BinnerOptions } from '../../src/stages/bin/binner.js';

async function collect(stages: Transform[], events: VisitEvent[]): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await (pipeline as (...streams: unknown[]) => Promise<void>)(Readable.from(events), ...stages, sink);
  return Buffer.concat(chunks).toString('utf8');
}

const visitIds = ['a', 'b"q', 'c\\d', 'é', 'line\nbreak', '日本', 'z'];
const sortedEvents = fc
  .array(
    fc.record({
      visit: fc.integer({ min: 0, max: visitIds.length - 1 }),
      time: fc.integer({ min: 0, max: 30 }),
      pad: fc.string({ maxLength: 20 }),
      stored: fc.boolean(),
    }),
    { maxLength: 300 },
  )
  .map((rows) =>
    rows
      .map((r, seq): VisitEvent => {
        const visitId = visitIds[r.visit]!;
        const text = JSON.stringify({ visit_id: visitId, t: r.time, pad: r.pad });
        if (!r.stored) return { visitId, time: r.time, seq, text };
        // Bytes lying inside a larger buffer, as in a slab or a run file's block.
        const source = Buffer.from(`>>${text}<<`);
        return new StoredEvent(visitId, r.time, seq, source, 2, source.length - 2);
      })
      .sort(compareEvents),
  );

describe('binToNdjson', () => {
  it('writes the same bytes and counts as binEvents() into ndjsonSink()', async () => {
    await fc.assert(
      fc.asyncProperty(
        sortedEvents,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 2000 }),
        async (events, maxBatchRecords, maxBatchBytes, maxBufferedBytes) => {
          const options: BinnerOptions = { maxBatchRecords, maxBatchBytes, maxBufferedBytes };
          const bin = binEvents(options);
          const sink = ndjsonSink();
          const expected = await collect([bin, sink], events);
          const fused = binToNdjson(options);
          expect(await collect([fused], events)).toBe(expected);
          expect(fused.binStats).toEqual(bin.stats);
          expect(fused.stats).toEqual(sink.stats);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fails on unsorted input, like the binner', async () => {
    const events: VisitEvent[] = [
      { visitId: 'b', time: 1, seq: 0, text: '{}' },
      { visitId: 'a', time: 1, seq: 1, text: '{}' },
    ];
    await expect(collect([binToNdjson()], events)).rejects.toThrow(/not sorted by visit: a after b/);
  });
});
