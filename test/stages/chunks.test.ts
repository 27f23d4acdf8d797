import fc from 'fast-check';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DeadLetterCollector } from '../../src/dead-letter/dead-letter.js';
import type { DeliveryBatch, ParsedRow, VisitEvent } from '../../src/events.js';
import { binEvents } from '../../src/stages/bin/bin-events.js';
import { dedupeEvents } from '../../src/stages/dedupe/dedupe-events.js';
import { filterEvents } from '../../src/stages/filter/filter-events.js';
import { markLateEvents } from '../../src/stages/late/mark-late-events.js';
import { VisitWatermarks } from '../../src/stages/late/visit-watermarks.js';
import { parseEventRow } from '../../src/stages/parse/scan-event-fields.js';
import { sortEvents } from '../../src/stages/sort/sort-events.js';
import { validateEvents } from '../../src/stages/validate/validate-events.js';
import { binToNdjson } from '../../src/sinks/bin-to-ndjson.js';

const row = fc.record({
  visit: fc.integer({ min: 0, max: 12 }),
  second: fc.integer({ min: 0, max: 40 }),
  bad: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

function rowsOf(specs: { visit: number; second: number; bad: boolean }[]): ParsedRow[] {
  return specs.map(({ visit, second, bad }, i) => {
    const time = bad ? 'not a time' : `2024-01-01T00:00:${String(second).padStart(2, '0')}Z`;
    const parsed = parseEventRow(Buffer.from(`{"visit_id":"v${visit}","event_time":"${time}","i":${i}}`), { source: 's', line: i + 1, offset: 0 }, '');
    if ('reason' in parsed) throw new Error(parsed.reason);
    return parsed;
  });
}

/** The rows as single items, or cut into chunks at the given points. */
function itemsOf(rows: ParsedRow[], cuts: number[] | undefined): (ParsedRow | ParsedRow[])[] {
  if (!cuts) return rows;
  const at = [...new Set(cuts.map((cut) => cut % (rows.length + 1)))].sort((a, b) => a - b);
  const chunks: ParsedRow[][] = [];
  let start = 0;
  for (const end of [...at, rows.length]) {
    if (end > start) chunks.push(rows.slice(start, end));
    start = Math.max(start, end);
  }
  return chunks;
}

/** A Writable that keeps what it is given. */
function collectInto<T>(items: T[], objectMode = true): Writable {
  return new Writable({
    objectMode,
    write(item: T, _encoding, callback) {
      items.push(item);
      callback();
    },
  });
}

/** validate → sort → filter → dedupe → late → bin; the batches, the dead letters and the shape of what reached bin. */
async function run(rows: ParsedRow[], cuts: number[] | undefined) {
  const deadLetters = new DeadLetterCollector();
  const watermarks = new VisitWatermarks();
  watermarks.record('v3', Date.parse('2024-01-01T00:00:20Z'), 0); // an earlier micro-batch's
  const batches: DeliveryBatch[] = [];
  const shapes: string[] = [];
  let seen = 0;
  await pipeline(
    Readable.from(itemsOf(rows, cuts), { objectMode: true }),
    validateEvents({ deadLetters }),
    sortEvents({ memoryBytes: 4096 }),
    filterEvents(() => seen++ % 7 !== 3),
    dedupeEvents(),
    markLateEvents({ watermarks, policy: 'dead-letter', deadLetters, positionOf: () => ({ source: 's', partition: 0, offset: 0 }) }),
    new Transform({
      objectMode: true,
      transform(chunk: VisitEvent | VisitEvent[], _encoding, callback) {
        shapes.push(Array.isArray(chunk) ? 'chunk' : 'single');
        callback(null, chunk);
      },
    }),
    binEvents({ maxBatchRecords: 5 }),
    collectInto(batches),
  );
  return { batches, shapes, deadLetters: deadLetters.letters.map((letter) => letter.reason) };
}

const plainBatches = (batches: DeliveryBatch[]) =>
  batches.map((batch) => ({ number: batch.number, events: batch.events.map((e) => [e.visitId, e.time, e.seq, e.text]) }));

describe('the event stages, fed chunks of rows', () => {
  it('answer chunks with chunks, and deliver the same batches and dead letters as single rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 120 }), fc.array(fc.nat(), { maxLength: 12 }), async (specs, cuts) => {
        const rows = rowsOf(specs);
        const single = await run(rows, undefined);
        const chunked = await run(rows, cuts);
        expect(plainBatches(chunked.batches)).toEqual(plainBatches(single.batches));
        expect(chunked.deadLetters).toEqual(single.deadLetters);
        expect(single.shapes.every((shape) => shape === 'single')).toBe(true);
        expect(chunked.shapes.every((shape) => shape === 'chunk')).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('binToNdjson writes the same lines for chunks as for single events', async () => {
    const rows = rowsOf(Array.from({ length: 300 }, (_, i) => ({ visit: i % 17, second: (i * 7) % 50, bad: false })));
    const lines = async (items: (ParsedRow | ParsedRow[])[]) => {
      const parts: Buffer[] = [];
      await pipeline(
        Readable.from(items, { objectMode: true }),
        validateEvents({ deadLetters: new DeadLetterCollector() }),
        sortEvents({ memoryBytes: 8192 }),
        binToNdjson({ maxBatchRecords: 8 }),
        collectInto(parts, false),
      );
      return Buffer.concat(parts).toString();
    };
    expect(await lines(itemsOf(rows, [10, 11, 100, 250]))).toBe(await lines(rows));
  });
});
