import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareEvents } from '../../../src/events.js';
import { RunCursor, RunMerge, writeRun } from '../../../src/stages/sort/run-file.js';
import { event } from '../../helpers/events.js';

describe('RunMerge over RunCursors', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'run-file-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every record once, in order, with its exact bytes, whether blocks are reused and however small they are', () => {
    const runs = fc.array(
      fc.array(fc.record({ visit: fc.integer({ min: 0, max: 9 }), time: fc.integer({ min: 0, max: 20 }), size: fc.integer({ min: 0, max: 300 }) }), {
        maxLength: 40,
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(runs, fc.boolean(), fc.integer({ min: 1, max: 512 }), (spec, reuseBlocks, blockSize) => {
        let seq = 0;
        const events = spec.map((run) => run.map((r) => event(`v${r.visit}é`, r.time, seq++, 'x'.repeat(r.size))).sort(compareEvents));
        const files = events.map((run, i) => {
          const file = path.join(dir, `run-${i}-${Math.random()}.bin`);
          writeRun(file, run);
          return file;
        });
        const merge = new RunMerge(files.map((file) => new RunCursor(file, reuseBlocks, blockSize)));
        const got: { visitId: string; time: number; seq: number; text: string }[] = [];
        for (let run = merge.next(); run !== undefined; run = merge.next()) {
          got.push({ visitId: run.visitId, time: run.time, seq: run.seq, text: run.buffer.toString('utf8', run.start, run.end) });
        }
        expect(got).toEqual(events.flat().sort(compareEvents));
        expect(merge.next()).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
