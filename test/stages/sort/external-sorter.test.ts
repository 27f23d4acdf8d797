import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareEvents, type VisitEvent } from '../../../src/events.js';
import { ExternalSorter } from '../../../src/stages/sort/external-sorter.js';
import { sortEvents } from '../../../src/stages/sort/sort-events.js';
import { event, plain } from '../../helpers/events.js';

const arbitraryEvents = fc
  .array(fc.record({ visit: fc.integer({ min: 0, max: 20 }), time: fc.integer({ min: 0, max: 50 }), payload: fc.string({ maxLength: 30 }) }), {
    maxLength: 300,
  })
  .map((rows) => rows.map((r, seq) => event(`v${r.visit}`, r.time, seq, JSON.stringify({ p: r.payload, é: 'ü' }))));

describe('ExternalSorter', () => {
  let tempDir: string;
  beforeEach(() => (tempDir = mkdtempSync(path.join(os.tmpdir(), 'sorter-test-'))));
  afterEach(() => rmSync(tempDir, { recursive: true, force: true }));

  it('returns exactly the input in (visit, instant, arrival) order, spilled or not, in one or many merge passes', () => {
    fc.assert(
      fc.property(arbitraryEvents, fc.integer({ min: 200, max: 20_000 }), fc.integer({ min: 2, max: 6 }), (events, memoryBytes, fanIn) => {
        const sorter = new ExternalSorter({ memoryBytes, fanIn, tempDir });
        for (const e of events) sorter.add(e);
        const sorted = [...sorter.sorted()];
        expect(sorted.map(plain)).toEqual([...events].sort(compareEvents));
        expect(readdirSync(tempDir)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('spills runs privately and takes extra passes when runs outnumber the fan-in', () => {
    const sorter = new ExternalSorter({ memoryBytes: 2000, fanIn: 3, tempDir });
    for (let i = 0; i < 200; i++) sorter.add(event(`v${i % 7}`, 200 - i, i));
    expect(sorter.stats.spilledRuns).toBeGreaterThan(3);
    const [runDir] = readdirSync(tempDir);
    const { mode } = statSync(path.join(tempDir, runDir!));
    expect(mode & 0o777).toBe(0o700);
    const files = readdirSync(path.join(tempDir, runDir!));
    expect(statSync(path.join(tempDir, runDir!, files[0]!)).mode & 0o777).toBe(0o600);
    const sorted = [...sorter.sorted()];
    expect(sorted).toHaveLength(200);
    expect(sorter.stats.extraMergePasses).toBeGreaterThan(0);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('removes its temp files when the consumer stops early', () => {
    const sorter = new ExternalSorter({ memoryBytes: 1000, tempDir });
    for (let i = 0; i < 100; i++) sorter.add(event(`v${i}`, i, i));
    for (const _ of sorter.sorted()) break;
    expect(readdirSync(tempDir)).toEqual([]);
  });
});

describe('sortEvents stream', () => {
  let tempDir: string;
  beforeEach(() => (tempDir = mkdtempSync(path.join(os.tmpdir(), 'sort-stream-test-'))));
  afterEach(() => rmSync(tempDir, { recursive: true, force: true }));

  const input = (n: number) => Array.from({ length: n }, (_, i) => event(`v${(i * 7919) % 101}`, (i * 31) % 17, i));

  it('sorts through a pipeline', async () => {
    const out: VisitEvent[] = [];
    await pipeline(
      Readable.from(input(2000)),
      sortEvents({ memoryBytes: 20_000, tempDir }),
      new Writable({ objectMode: true, write: (e, _, cb) => (out.push(e), cb()) }),
    );
    expect(out.map(plain)).toEqual(input(2000).sort(compareEvents));
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('removes temp files when the pipeline fails downstream or is aborted', async () => {
    let n = 0;
    const failing = new Writable({ objectMode: true, write: (_e, _, cb) => cb(++n === 10 ? new Error('downstream broke') : null) });
    await expect(pipeline(Readable.from(input(2000)), sortEvents({ memoryBytes: 20_000, tempDir }), failing)).rejects.toThrow('downstream broke');
    expect(readdirSync(tempDir)).toEqual([]);

    const abort = new AbortController();
    const slow = new Writable({ objectMode: true, write: (_e, _, cb) => setTimeout(cb, 1) });
    const sort = sortEvents({ memoryBytes: 20_000, tempDir });
    setTimeout(() => abort.abort(), 30);
    await expect(pipeline(Readable.from(input(2000)), sort, slow, { signal: abort.signal })).rejects.toThrow(/abort/i);
    expect(sort.stats.spilledRuns).toBeGreaterThan(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(readdirSync(tempDir)).toEqual([]);
  });
});
