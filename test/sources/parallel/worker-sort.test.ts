// The parallel sort runs its workers from compiled files, so these tests drive the built
// package (`npm test` builds first) and compare it with the same package on one thread.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Api from '../../../src/index.js';
import { generateEvents } from '../../../src/fixtures/generate-events.js';
import { DIST } from '../../helpers/cli.js';
import { slowLineConsumer } from '../../helpers/slow-consumer.js';

const { DeadLetterCollector, startFilePipeline, TooManyInvalidRowsError } = (await import(path.join(DIST, 'index.js'))) as typeof Api;

const dir = mkdtempSync(path.join(os.tmpdir(), 'parallel-sort-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeInputs(events: number, files: number): string[] {
  const rows = [...generateEvents({ events, seed: 7, timeOffsets: 'mixed', missingFields: 0.01, unprocessable: 0.01, duplicates: 0.01 })].map((r) => r.text);
  const per = Math.ceil(rows.length / files);
  return Array.from({ length: files }, (_, i) => {
    const file = path.join(dir, `in-${events}-${i}.ndjson`);
    // CRLF line ends and a last line without one: cuts must still fall on line starts.
    writeFileSync(file, rows.slice(i * per, (i + 1) * per).join(i === 1 ? '\r\n' : '\n'));
    return file;
  });
}

async function run(inputs: string[], workers: number, extra: Partial<Api.FilePipelineOptions> = {}) {
  const tempDir = mkdtempSync(path.join(dir, 'tmp-'));
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  const deadLetters = new DeadLetterCollector();
  try {
    const summary = await startFilePipeline({
      inputs,
      output,
      deadLetters,
      workers,
      sort: { memoryBytes: 1 << 20, tempDir, fanIn: 4 },
      bin: { maxBatchRecords: 500 },
      ...extra,
    }).done;
    return { summary, output: Buffer.concat(chunks).toString(), letters: deadLetters.letters };
  } finally {
    expect(readdirSync(tempDir)).toEqual([]);
  }
}

describe('startFilePipeline with worker threads', () => {
  const inputs = writeInputs(30_000, 3);

  it('delivers the same bytes in the same order, and dead-letters the same rows at the same positions, as one thread', async () => {
    const one = await run(inputs, 1);
    for (const workers of [2, 3]) {
      // Without --dedupe the merge writes delivery lines itself (ParallelDeliveryLines).
      const lines = await run(inputs, workers);
      expect(lines.output).toBe(one.output);
      expect(lines.summary).toMatchObject({
        ...one.summary,
        spillRuns: lines.summary.spillRuns,
        spilledBytes: lines.summary.spilledBytes,
        extraMergePasses: lines.summary.extraMergePasses,
      });
      expect(lines.summary.extraMergePasses).toBeGreaterThan(0);
      const many = await run(inputs, workers, { dedupe: true });
      const oneDeduped = await run(inputs, 1, { dedupe: true });
      expect(many.output).toBe(oneDeduped.output);
      const byPlace = (a: Api.DeadLetter, b: Api.DeadLetter) => a.position.source.localeCompare(b.position.source) || a.position.offset - b.position.offset;
      expect([...many.letters].sort(byPlace)).toEqual([...one.letters].sort(byPlace));
      // Runs differ (each worker spills its own share of the memory); every count does not.
      const counts = ({ spillRuns, spilledBytes, extraMergePasses, ...rest }: Api.RunSummary) => rest;
      expect(counts(many.summary)).toEqual(counts(oneDeduped.summary));
      expect(many.summary.read).toBe(many.summary.delivered + many.summary.deadLettered + many.summary.deduplicated);
      expect(many.summary.deduplicated).toBeGreaterThan(0);
    }
    expect(one.letters.length).toBeGreaterThan(300);
    expect(one.summary.spillRuns).toBeGreaterThan(4);
  });

  it('fails with --max-invalid as one thread does, and leaves no temp files', async () => {
    await expect(run(inputs, 2, { maxInvalid: 10 })).rejects.toBeInstanceOf(TooManyInvalidRowsError);
  });

  it('holds memory flat behind a slow consumer when the merge writes lines itself', async () => {
    const tempDir = mkdtempSync(path.join(dir, 'tmp-'));
    const { output, seen } = slowLineConsumer(() => progress.bin.events);
    const { progress, done } = startFilePipeline({
      inputs,
      output,
      deadLetters: new DeadLetterCollector(),
      workers: 2,
      sort: { memoryBytes: 1 << 20, tempDir },
      bin: { maxBatchRecords: 100 },
    });
    const summary = await done;
    expect(summary.delivered).toBeGreaterThan(25_000);
    expect(seen.chunks).toBeGreaterThan(100);
    // Open batches (up to 9 events per visit), the batch being written and the merge worker's
    // lead (4 messages of ~256 KiB, ~500 lines each), never the whole input.
    expect(seen.maxAhead).toBeLessThan(5000);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it("streams a mostly-bad input's dead letters out under the sink's backpressure, in input order", async () => {
    const rows = Array.from({ length: 100_000 }, (_, n) =>
      n % 10 === 0 ? JSON.stringify({ visit_id: `v${n % 300}`, event_time: n }) : JSON.stringify({ visit_id: `v${n}`, event_time: 'not a time', n }),
    );
    const file = path.join(dir, 'mostly-bad.ndjson');
    writeFileSync(file, rows.join('\n') + '\n');
    // Takes 2 ms to store what it was handed; counts how far the letters ran ahead of storage.
    const lines: number[] = [];
    let stored = 0;
    let maxAhead = 0;
    const deadLetters: Api.DeadLetterSink = {
      write(letter) {
        lines.push(letter.position.line!);
        maxAhead = Math.max(maxAhead, lines.length - stored);
      },
      get count() {
        return lines.length;
      },
      flush: () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            stored = lines.length;
            resolve();
          }, 2),
        ),
    };
    const tempDir = mkdtempSync(path.join(dir, 'tmp-'));
    const summary = await startFilePipeline({ inputs: [file], output: new PassThrough().resume(), deadLetters, workers: 2, sort: { tempDir } }).done;
    expect(summary).toMatchObject({ read: 100_000, delivered: 10_000, deadLettered: 90_000 });
    expect(lines).toEqual(rows.flatMap((_, n) => (n % 10 === 0 ? [] : [n + 1])));
    // About a mebibyte of letters (some 8,000) at a time, never the whole input's 90,000.
    expect(maxAhead).toBeLessThan(20_000);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('removes its temp files when aborted while the workers run or while merging', async () => {
    for (const after of [5, 400]) {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), after);
      const slow = new Writable({ write: (_chunk, _encoding, callback) => setTimeout(callback, 5) });
      await expect(run(inputs, 2, { output: slow, signal: abort.signal })).rejects.toThrow(/abort/i);
    }
  });

  it('falls back to one thread for a top-level JSON array', async () => {
    const file = path.join(dir, 'array.json');
    writeFileSync(file, '[{"visit_id":"v","event_time":2},{"visit_id":"v","event_time":1}]');
    const { summary, output } = await run([file], 2);
    expect(summary).toMatchObject({ read: 2, delivered: 2 });
    expect(
      output
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l).value.event_time),
    ).toEqual([1, 2]);
  });
});

describe('startFilePipeline with worker threads, on random inputs', () => {
  it('matches one thread byte for byte: blank lines, CRLF, non-ASCII, oversized and broken rows, files without a last newline', async () => {
    const { default: fc } = await import('fast-check');
    const row = fc.oneof(
      {
        weight: 10,
        arbitrary: fc
          .record({ visit: fc.integer({ min: 0, max: 9 }), minute: fc.integer({ min: 0, max: 20 }), note: fc.string({ maxLength: 12, unit: 'grapheme' }) })
          .map((r) => JSON.stringify({ visit_id: `v${r.visit}`, event_time: `2024-01-01T00:${String(r.minute).padStart(2, '0')}:00Z`, note: r.note })),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom('', '   ', '{broken', '{"visit_id":"v1"}', `{"visit_id":"v2","event_time":1,"pad":"${'x'.repeat(300)}"}`, '\u00e9t\u00e9'),
      },
    );
    const file = fc.record({ rows: fc.array(row, { maxLength: 60 }), crlf: fc.boolean(), lastNewline: fc.boolean() });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(file, { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 4 }), fc.boolean(), async (files, workers, dedupe) => {
        const inputs = files.map((f, i) => {
          const name = path.join(dir, `random-${round}-${i}.ndjson`);
          writeFileSync(name, f.rows.join(f.crlf ? '\r\n' : '\n') + (f.lastNewline ? '\n' : ''));
          return name;
        });
        round++;
        const one = await run(inputs, 1, { maxRowBytes: 200, dedupe });
        const many = await run(inputs, workers, { maxRowBytes: 200, dedupe });
        expect(many.output).toBe(one.output);
        const byPlace = (a: Api.DeadLetter, b: Api.DeadLetter) => a.position.source.localeCompare(b.position.source) || a.position.offset - b.position.offset;
        expect([...many.letters].sort(byPlace)).toEqual([...one.letters].sort(byPlace));
        expect(many.summary.read).toBe(one.summary.read);
      }),
      { numRuns: 25 },
    );
  });
});
