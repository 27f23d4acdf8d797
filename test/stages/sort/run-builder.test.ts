import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareEvents } from '../../../src/events.js';
import { ExternalSorter } from '../../../src/stages/sort/external-sorter.js';
import { RunBuilder } from '../../../src/stages/sort/run-builder.js';
import { event, plain } from '../../helpers/events.js';

// Ids whose UTF-16 order differs from their code point order ('\uffff' < '😀' in code points only),
// and arrival numbers that do not follow the order rows are added in.
const visitIds = ['v1é', 'v2', 'v10', '\uffff', '😀', 'a'];
const arbitraryEvents = fc
  .array(
    fc.record({
      visit: fc.integer({ min: 0, max: 12 }),
      time: fc.integer({ min: 0, max: 30 }),
      arrival: fc.integer({ min: 0, max: 3 }),
      payload: fc.string({ maxLength: 40, unit: 'grapheme' }),
    }),
    { maxLength: 200 },
  )
  .map((rows) => rows.map((r, i) => event(`${visitIds[r.visit % visitIds.length]}${r.visit}`, r.time, r.arrival * 1000 + i, JSON.stringify({ p: r.payload }))));

describe('RunBuilder', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'run-builder-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes sorted runs of the exact bytes that merge back into the input in (visit, instant, arrival) order', () => {
    fc.assert(
      fc.property(arbitraryEvents, fc.integer({ min: 16, max: 4000 }), (events, capacity) => {
        const builder = new RunBuilder(capacity);
        const runs: { path: string; bytes: number; events: number }[] = [];
        const writeRun = () => {
          const file = path.join(dir, `run-${runs.length}.bin`);
          const count = builder.count;
          runs.push({ path: file, events: count, bytes: builder.writeRun(file) });
          expect(statSync(file).mode & 0o777).toBe(0o600);
        };
        for (const e of events) {
          const bytes = Buffer.from(e.text);
          if (!builder.add(e.visitId, e.time, e.seq, bytes)) {
            writeRun();
            // An emptied builder takes any row, even one larger than its arena.
            expect(builder.add(e.visitId, e.time, e.seq, bytes)).toBe(true);
          }
        }
        if (builder.count > 0) writeRun();
        expect(runs.reduce((n, r) => n + r.bytes, 0)).toBe(runs.reduce((n, r) => n + statSync(r.path).size, 0));

        const sorter = new ExternalSorter({ tempDir: dir, fanIn: 3 });
        sorter.adoptRuns(runs);
        expect(sorter.stats.events).toBe(events.length);
        expect([...sorter.sorted()].map(plain)).toEqual([...events].sort(compareEvents));
        expect(readdirSync(dir)).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});
