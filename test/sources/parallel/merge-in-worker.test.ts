// MergeInWorker runs its worker from the compiled file, so this drives the built package
// (`npm test` builds first).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as MergeInWorkerModule from '../../../src/sources/parallel/merge-in-worker.js';
import type * as RunFileModule from '../../../src/stages/sort/run-file.js';
import { DIST } from '../../helpers/cli.js';

const { MergeInWorker } = (await import(path.join(DIST, 'sources/parallel/merge-in-worker.js'))) as typeof MergeInWorkerModule;
const { writeRun } = (await import(path.join(DIST, 'stages/sort/run-file.js'))) as typeof RunFileModule;

const dir = mkdtempSync(path.join(os.tmpdir(), 'merge-in-worker-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const counts = () => ({
  stats: { batches: 0, delivered: 0 },
  binStats: { events: 0, visits: 0, longestVisit: 0, batches: 0, closedEarly: 0, lowerBound: 0 },
  dedupeStats: { duplicates: 0 },
});

/** Takes every line the merge sends, as onLines says; resolves with them, or rejects with the merge's error. */
function drain(runs: { path: string; bytes: number; events: number }[], tempDir: string) {
  const taken = counts();
  return new Promise<{ text: string; counts: typeof taken }>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const pull = () => {
      for (let lines = merge.take(); lines !== undefined; lines = merge.take()) chunks.push(...(lines as Buffer[]));
      if (merge.ended) resolve({ text: Buffer.concat(chunks).toString(), counts: taken });
    };
    const merge = new MergeInWorker(runs, taken, { tempDir, bin: { maxBatchRecords: 2 }, onLines: pull, onError: reject });
    pull();
  });
}

describe('MergeInWorker', () => {
  it('merges runs into delivery lines on its worker and counts them', async () => {
    const tempDir = mkdtempSync(path.join(dir, 'ok-'));
    const run = (name: string, events: [string, number, number][]) => {
      const file = path.join(tempDir, name);
      const bytes = writeRun(
        file,
        events.map(([visitId, time, seq]) => ({ visitId, time, seq, text: JSON.stringify({ visit_id: visitId, t: time }) })),
      );
      return { path: file, bytes, events: events.length };
    };
    const runs = [
      run('a.bin', [
        ['v1', 1, 0],
        ['v2', 5, 1],
      ]),
      run('b.bin', [
        ['v1', 2, 2],
        ['v3', 0, 3],
      ]),
    ];
    const { text, counts: got } = await drain(runs, tempDir);
    expect(
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { delivery_batch: number; key: string }),
    ).toEqual([
      expect.objectContaining({ delivery_batch: 1, key: 'v1' }),
      expect.objectContaining({ delivery_batch: 1, key: 'v2' }),
      expect.objectContaining({ delivery_batch: 2, key: 'v1' }),
      expect.objectContaining({ delivery_batch: 2, key: 'v3' }),
    ]);
    expect(got.stats).toEqual({ batches: 2, delivered: 4 });
    expect(got.binStats).toMatchObject({ events: 4, visits: 3, longestVisit: 2 });
    // The worker removes the runs it merged.
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('reports a failure in its worker (a truncated run) instead of ending', async () => {
    const tempDir = mkdtempSync(path.join(dir, 'bad-'));
    const file = path.join(tempDir, 'truncated.bin');
    writeFileSync(file, Buffer.from([200, 0, 0, 0, 1, 2, 3]));
    await expect(drain([{ path: file, bytes: 7, events: 1 }], tempDir)).rejects.toThrow(/truncated/);
  });
});
