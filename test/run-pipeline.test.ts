import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DeadLetterCollector } from '../src/dead-letter/dead-letter.js';
import { isoTime } from '../src/fixtures/generate-events.js';
import { startFilePipeline } from '../src/run-pipeline.js';
import type * as Api from '../src/index.js';
import { DIST } from './helpers/cli.js';
import { slowLineConsumer } from './helpers/slow-consumer.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Line {
  delivery_batch: number;
  key: string;
  value: { visit_id: string; event_time: string; n: number };
}

async function run(input: string, options: { sortMemory: number; maxBatchRecords: number; dedupe?: boolean }) {
  const file = path.join(dir, `in-${Math.random().toString(36).slice(2)}.ndjson`);
  writeFileSync(file, input);
  const tempDir = mkdtempSync(path.join(dir, 'tmp-'));
  const output = new PassThrough();
  let text = '';
  output.on('data', (c: Buffer) => (text += c.toString()));
  const deadLetters = new DeadLetterCollector();
  const { done } = startFilePipeline({
    inputs: [file],
    output,
    deadLetters,
    dedupe: options.dedupe ?? false,
    format: 'ndjson',
    sort: { memoryBytes: options.sortMemory, tempDir, fanIn: 3 },
    bin: { maxBatchRecords: options.maxBatchRecords },
  });
  const summary = await done;
  expect(readdirSync(tempDir)).toEqual([]);
  return { summary, deadLetters: deadLetters.letters, rawLines: text.split('\n').slice(0, -1) };
}

const OFFSETS = [0, 120, -300, 330, 'Z'] as const;
const arbitraryRows = fc.array(
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({ visit: fc.integer({ min: 0, max: 15 }), minute: fc.integer({ min: 0, max: 30 }), offset: fc.constantFrom(...OFFSETS) }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"visit_id": "x", "event_time": "not a time"}',
        '{broken',
        '{"event_time": "2024-01-01T00:00:00Z"}',
        '[1]',
        '{"visit_id": 3, "event_time": 1}',
      ),
    },
  ),
  { maxLength: 250 },
);

describe('the file pipeline', () => {
  it('delivers a permutation of the valid input, in time order per visit, in valid batches; dead-letters exactly the rest', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRows, fc.integer({ min: 500, max: 50_000 }), fc.integer({ min: 1, max: 20 }), async (rows, sortMemory, maxBatchRecords) => {
        const texts = rows.map((row, n) =>
          typeof row === 'string'
            ? row
            : JSON.stringify({ visit_id: `v${row.visit}`, event_time: isoTime(Date.UTC(2024, 0, 1, 0, row.minute), row.offset), n }),
        );
        const valid = texts.filter((_, i) => typeof rows[i] !== 'string');
        const { summary, deadLetters, rawLines } = await run(texts.join('\n') + '\n', { sortMemory, maxBatchRecords });

        expect(rawLines.map((l) => l.slice(l.indexOf('"value":') + 8, -1)).sort()).toEqual([...valid].sort());
        expect(deadLetters.map((d) => d.position.line! - 1).sort((a, b) => a - b)).toEqual(rows.flatMap((r, i) => (typeof r === 'string' ? [i] : [])));
        expect(summary).toMatchObject({ read: rows.length, delivered: valid.length, deadLettered: rows.length - valid.length });

        const lines = rawLines.map((l) => JSON.parse(l) as Line);
        const last = new Map<string, { batch: number; time: number; n: number }>();
        let batch = 1;
        for (const line of lines) {
          expect(line.key).toBe(line.value.visit_id);
          if (line.delivery_batch !== batch) {
            expect(line.delivery_batch).toBe(batch + 1);
            batch++;
          }
          const time = Date.parse(line.value.event_time);
          const previous = last.get(line.key);
          if (previous) {
            expect(line.delivery_batch).toBeGreaterThan(previous.batch);
            expect(time > previous.time || (time === previous.time && line.value.n > previous.n)).toBe(true);
          }
          last.set(line.key, { batch: line.delivery_batch, time, n: line.value.n });
        }
        expect(summary.batches).toBe(valid.length === 0 ? 0 : batch);
      }),
      { numRuns: 40 },
    );
  });

  it('drops exact duplicates with --dedupe and counts them so the totals add up', async () => {
    const e = (n: number, t = '2024-01-01T00:00:00Z') => JSON.stringify({ visit_id: 'v', event_time: t, n });
    const input = [e(1), e(1), e(2), e(1), e(1, '2024-01-01T01:00:00+01:00'), 'bad'].join('\n');
    const { summary } = await run(input, { sortMemory: 1 << 20, maxBatchRecords: 10, dedupe: true });
    // Same instant and visit but other bytes (the +01:00 spelling) is not a duplicate.
    expect(summary).toMatchObject({ read: 6, delivered: 3, deduplicated: 2, deadLettered: 1 });
  });

  it('reads several files in turn, each in its own format, positions naming the file', async () => {
    const ndjson = path.join(dir, 'a.ndjson');
    const array = path.join(dir, 'b.json');
    writeFileSync(ndjson, '{"visit_id":"v","event_time":2}\nbad\n');
    const arrayText = '[{"visit_id":"v","event_time":1}, {"visit_id":"w"}]';
    writeFileSync(array, arrayText);
    const deadLetters = new DeadLetterCollector();
    const output = new PassThrough();
    let text = '';
    output.on('data', (c: Buffer) => (text += c.toString()));
    const summary = await startFilePipeline({ inputs: [ndjson, array], output, deadLetters }).done;
    expect(summary).toMatchObject({ read: 4, delivered: 2, deadLettered: 2, batches: 2 });
    expect(
      text
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l).value.event_time),
    ).toEqual([1, 2]);
    expect(deadLetters.letters.map((l) => l.position)).toEqual([
      { source: ndjson, line: 2, offset: 32 },
      { source: array, index: 1, offset: arrayText.indexOf('{"visit_id":"w"}') },
    ]);
  });

  it('holds memory flat behind a slow consumer: the binner does not run ahead of delivery', async () => {
    const texts = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ visit_id: `v${i % 4000}`, event_time: i, n: i }));
    const file = path.join(dir, 'slow.ndjson');
    writeFileSync(file, texts.join('\n'));
    const { output, seen } = slowLineConsumer(() => progress.bin.events);
    const { progress, done } = startFilePipeline({
      inputs: [file],
      output,
      deadLetters: new DeadLetterCollector(),
      bin: { maxBatchRecords: 100 },
    });
    await done;
    expect(seen.chunks).toBeGreaterThan(100);
    // Open batches (5 events per visit) plus a batch or two in the stream buffers, never the whole input.
    expect(seen.maxAhead).toBeLessThan(1500);
  });
});

describe('an output that fails midway (a full disk)', () => {
  it('counts as delivered only the lines the output confirmed written, on every path', async () => {
    const rows = Array.from({ length: 3000 }, (_, n) =>
      JSON.stringify({ visit_id: `v${n % 97}`, event_time: isoTime(Date.UTC(2024, 0, 1) + n * 1000, 'Z'), n }),
    );
    const file = path.join(dir, 'enospc.ndjson');
    writeFileSync(file, rows.join('\n') + '\n');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 200_000 }), fc.constantFrom(1, 2), async (capacity, workers) => {
        // Takes whole chunks while they fit, then fails as a full disk does.
        let accepted = '';
        const output = new Writable({
          highWaterMark: 16 * 1024,
          write(chunk: Buffer, _encoding, callback) {
            if (accepted.length + chunk.length > capacity)
              return callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
            accepted += chunk.toString();
            callback();
          },
        });
        const tempDir = mkdtempSync(path.join(dir, 'enospc-'));
        // From dist/: the sort workers load from there.
        const api = (await import(path.join(DIST, 'index.js'))) as typeof Api;
        const { done, progress } = api.startFilePipeline({
          inputs: [file],
          output,
          deadLetters: new api.DeadLetterCollector(),
          workers,
          sort: { tempDir },
          bin: { maxBatchRecords: 50 },
        });
        const failure = await done.then(
          () => undefined,
          (error: unknown) => error,
        );
        const lines = accepted.split('\n').length - 1;
        expect(progress.sink.delivered).toBe(lines);
        if (accepted.length + 100 * 1024 < capacity) expect(failure).toBeUndefined();
        if (failure) expect((failure as { code?: string }).code).toBe('ENOSPC');
      }),
      { numRuns: 12 },
    );
  });
});
