// binPack runs its workers from compiled files, so these tests drive the built package through
// its public entry points (`npm test` builds first).
import { createReadStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Main from '../../src/index.js';
import type * as Stages from '../../src/api/stages.js';
import type * as EncodedBatches from '../../src/kafka/encoded-batches.js';
import type * as LineReader from '../../src/kafka/delivery-line-reader.js';
import type * as Partitioner from '../../src/kafka/java-partitioner.js';
import { generateEvents } from '../../src/fixtures/generate-events.js';
import { DIST } from '../helpers/cli.js';

const { DeadLetterCollector, startFilePipeline } = (await import(path.join(DIST, 'index.js'))) as typeof Main;
const { binPack } = (await import(path.join(DIST, 'api', 'stages.js'))) as typeof Stages;
const { EncodedDeliveryBatch, recordsOfEncodedBatch } = (await import(path.join(DIST, 'kafka', 'encoded-batches.js'))) as typeof EncodedBatches;
const { DeliveryLineReader } = (await import(path.join(DIST, 'kafka', 'delivery-line-reader.js'))) as typeof LineReader;
const { javaRangePartitioner } = (await import(path.join(DIST, 'kafka', 'java-partitioner.js'))) as typeof Partitioner;

const dir = mkdtempSync(path.join(os.tmpdir(), 'bin-pack-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = [...generateEvents({ events: 20_000, seed: 11, timeOffsets: 'mixed', unprocessable: 0.01, duplicates: 0.01 })].map((r) => r.text);
const file = path.join(dir, 'events.ndjson');
writeFileSync(file, rows.join('\n') + '\n');

async function collect(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  await pipeline(stream, new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }));
  return Buffer.concat(chunks).toString();
}

/** What the CLI's pipeline writes for the file, on one thread. */
async function reference(): Promise<{ output: string; letters: number }> {
  const output = new PassThrough();
  const text = collect(output);
  const deadLetters = new DeadLetterCollector();
  await startFilePipeline({ inputs: [file], output, deadLetters, workers: 1, bin: { maxBatchRecords: 300 } }).done;
  return { output: await text, letters: deadLetters.count };
}

describe('binPack', () => {
  it('turns any Readable of bytes into the same delivery lines as the one-thread pipeline, on 2 workers, and leaves no temp files', async () => {
    const expected = await reference();
    const tempDir = mkdtempSync(path.join(dir, 'tmp-'));
    // Chunks cut anywhere, rows split across them: a source that is not a file.
    const bytes = Buffer.from(rows.join('\n') + '\n');
    const pieces = Array.from({ length: Math.ceil(bytes.length / 7777) }, (_, i) => bytes.subarray(i * 7777, (i + 1) * 7777));
    const deadLetters = new DeadLetterCollector();
    const lines = binPack({
      input: Readable.from(pieces),
      workers: 2,
      deadLetters,
      sort: { memoryBytes: 40 << 20, tempDir },
      bin: { maxBatchRecords: 300 },
      inputName: 'api',
    });
    expect(await collect(lines)).toBe(expected.output);
    expect(lines.progress.sortWorkers).toBe(2);
    expect(lines.progress.lines.delivered + deadLetters.count + lines.progress.dedupe.duplicates).toBe(rows.length);
    expect(deadLetters.count).toBe(expected.letters);
    expect(deadLetters.letters.every((letter) => letter.position.source === 'api')).toBe(true);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('reads a file stream by its path, and its dead letters name the file', async () => {
    const expected = await reference();
    const deadLetters = new DeadLetterCollector();
    const lines = binPack({ input: createReadStream(file), workers: 2, deadLetters, bin: { maxBatchRecords: 300 } });
    expect(await collect(lines)).toBe(expected.output);
    expect(deadLetters.letters.every((letter) => letter.position.source === file)).toBe(true);
  });

  it("gives a Kafka sink's record batches, encoded on the merge's thread, holding the records the lines hold", async () => {
    const expected = await reference();
    const reader = new DeliveryLineReader(javaRangePartitioner(6));
    const wanted = [...reader.push(Buffer.from(expected.output)), reader.end()!];
    const batches = binPack({
      input: file,
      workers: 2,
      deadLetters: new DeadLetterCollector(),
      bin: { maxBatchRecords: 300 },
      recordBatches: { partitions: 6, maxPartBytes: 16 * 1024 },
    });
    const got: InstanceType<typeof EncodedDeliveryBatch>[] = [];
    await pipeline(
      batches,
      new Writable({ objectMode: true, write: (batch: InstanceType<typeof EncodedDeliveryBatch>, _e, done) => (got.push(batch), done()) }),
    );
    expect(got.every((batch) => batch instanceof EncodedDeliveryBatch)).toBe(true);
    expect(got.map((batch) => batch.number)).toEqual(wanted.map((batch) => batch.number));
    const text = (records: { key: Buffer | null; value: Buffer | null }[]) => records.map((r) => `${r.key!.toString()} ${r.value!.toString()}`);
    for (const [i, batch] of got.entries()) {
      const byPartition = new Map<number, string[]>();
      for (const part of batch.parts) byPartition.set(part.partition, [...(byPartition.get(part.partition) ?? []), ...text(recordsOfEncodedBatch(part))]);
      expect(byPartition).toEqual(new Map([...wanted[i]!.byPartition].map(([partition, records]) => [partition, text(records)])));
    }
    expect(batches.progress.lines.delivered).toBe(got.reduce((n, batch) => n + batch.parts.reduce((m, part) => m + part.records, 0), 0));
  });

  it('fails the pipeline when its Readable fails, and removes its run directory', async () => {
    const tempDir = mkdtempSync(path.join(dir, 'tmp-'));
    const source = new Readable({ read() {} });
    source.push(rows.slice(0, 100).join('\n'));
    setTimeout(() => source.destroy(new Error('upstream broke')), 50);
    const lines = binPack({ input: source, workers: 2, deadLetters: new DeadLetterCollector(), sort: { tempDir } });
    await expect(collect(lines)).rejects.toThrow('upstream broke');
    expect(readdirSync(tempDir)).toEqual([]);
  });
});
