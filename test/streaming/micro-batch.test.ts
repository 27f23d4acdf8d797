import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadLetterCollector } from '../../src/dead-letter/dead-letter.js';
import type { DeliveryBatch } from '../../src/events.js';
import type { BatchSink } from '../../src/run-pipeline.js';
import { MicroBatch, type InputRecord, type MicroBatchOptions } from '../../src/streaming/micro-batch.js';
import { VisitWatermarks } from '../../src/stages/late/visit-watermarks.js';
import { assertBatchInvariants } from '../helpers/events.js';

function collectingSink(): BatchSink & { batches: DeliveryBatch[] } {
  const batches: DeliveryBatch[] = [];
  const stats = { batches: 0, delivered: 0 };
  const sink = new Writable({
    objectMode: true,
    write(batch: DeliveryBatch, _encoding, callback) {
      batches.push(batch);
      stats.batches++;
      stats.delivered += batch.events.length;
      callback();
    },
  });
  return Object.assign(sink, { stats, batches });
}

const record = (offset: number, visit: string, minute: number, extra = ''): InputRecord => ({
  offset: String(offset),
  value: Buffer.from(`{"visit_id": "${visit}", "event_time": "2024-01-01T00:${String(minute).padStart(2, '0')}:00+00:00"${extra}}`),
});

let tempDir: string;
beforeEach(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'micro-batch-test-'));
});
afterEach(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

function microBatch(overrides: Partial<MicroBatchOptions> = {}) {
  const sink = collectingSink();
  const deadLetters = new DeadLetterCollector();
  const options: MicroBatchOptions = {
    number: 1,
    topic: 'visits',
    firstBatch: 1,
    sink,
    deadLetters,
    late: { watermarks: new VisitWatermarks(), policy: 'deliver' },
    stillOwned: () => true,
    sort: { tempDir, memoryBytes: 2048 },
    ...overrides,
  };
  return { batch: new MicroBatch(options), sink: options.sink as typeof sink, deadLetters: options.deadLetters as DeadLetterCollector };
}

describe('MicroBatch', () => {
  it('orders, bins from firstBatch and counts; bad records are dead-lettered with partition and offset', async () => {
    const { batch, sink, deadLetters } = microBatch({ firstBatch: 100 });
    await batch.add(0, 1, [record(10, 'a', 3), record(11, 'b', 1), { offset: '12', value: Buffer.from('{oops') }, record(13, 'a', 1)]);
    await batch.add(3, 1, [record(7, 'c', 2), { offset: '8', value: null }, record(9, 'a', 2, ', "x": 1')]);
    const summary = await batch.finish();
    expect(summary).toMatchObject({ read: 7, delivered: 5, deadLettered: 2, handedOver: 0, late: 0, firstBatch: 100, lastBatch: 102, batches: 3 });
    expect(sink.batches.map((b) => b.number)).toEqual([100, 101, 102]);
    assertBatchInvariants(
      sink.batches.map((b, i) => ({ ...b, number: i + 1 })),
      { maxRecords: Infinity, maxBytes: Infinity },
    );
    expect(sink.batches.flatMap((b) => b.events.filter((e) => e.visitId === 'a').map((e) => e.time))).toEqual([
      Date.UTC(2024, 0, 1, 0, 1),
      Date.UTC(2024, 0, 1, 0, 2),
      Date.UTC(2024, 0, 1, 0, 3),
    ]);
    expect(deadLetters.letters.map((l) => [l.position, l.reason.split(':')[0]])).toEqual([
      [{ source: 'visits', partition: 0, offset: 12 }, 'malformed JSON'],
      [{ source: 'visits', partition: 3, offset: 8 }, 'record has no value (a tombstone)'],
    ]);
    expect(Object.fromEntries(batch.nextOffsets)).toEqual({ 0: { next: 14n, epoch: 1 }, 3: { next: 10n, epoch: 1 } });
  });

  it('keeps the original bytes of each event', async () => {
    const { batch, sink } = microBatch();
    const raw = record(0, 'z', 5, ',   "page" : "main"');
    await batch.add(0, 1, [raw]);
    await batch.finish();
    expect(sink.batches[0]!.events[0]!.text).toBe(raw.value!.toString());
  });

  it('hands over the records of a partition revoked since they were read, and counts them', async () => {
    const owned = new Map([
      [0, 1],
      [1, 1],
    ]);
    const { batch, sink } = microBatch({ stillOwned: (partition, epoch) => (owned.get(partition) ?? Infinity) <= epoch });
    await batch.add(0, 1, [record(0, 'a', 1), record(1, 'a', 2)]);
    await batch.add(1, 1, [record(0, 'b', 1)]);
    owned.delete(1); // a rebalance took partition 1 away before delivery
    const summary = await batch.finish();
    expect(summary).toMatchObject({ read: 3, delivered: 2, handedOver: 1 });
    expect(sink.batches.flatMap((b) => b.events.map((e) => e.visitId))).toEqual(['a', 'a']);
  });

  it('marks events older than what an earlier micro-batch delivered as late, or dead-letters them', async () => {
    for (const policy of ['deliver', 'dead-letter'] as const) {
      const watermarks = new VisitWatermarks();
      const first = microBatch({ late: { watermarks, policy } });
      await first.batch.add(0, 1, [record(0, 'a', 10), record(1, 'a', 20)]);
      await first.batch.finish();
      const second = microBatch({ number: 2, firstBatch: 3, late: { watermarks, policy } });
      await second.batch.add(0, 1, [record(2, 'a', 15), record(3, 'a', 30), record(4, 'b', 1)]);
      const summary = await second.batch.finish();
      expect(summary.late).toBe(1);
      const delivered = second.sink.batches.flatMap((b) => b.events);
      if (policy === 'deliver') {
        expect(summary).toMatchObject({ delivered: 3, deadLettered: 0 });
        expect(delivered.filter((e) => e.late).map((e) => e.time)).toEqual([Date.UTC(2024, 0, 1, 0, 15)]);
      } else {
        expect(summary).toMatchObject({ delivered: 2, deadLettered: 1 });
        expect(second.deadLetters.letters[0]).toMatchObject({ position: { source: 'visits', partition: 0, offset: 2 } });
        expect(second.deadLetters.letters[0]!.reason).toMatch(
          /^late event: visit a at 2024-01-01T00:15:00.000Z is older than its event at 2024-01-01T00:20:00.000Z/,
        );
      }
      expect(watermarks.latest('a')).toBe(Date.UTC(2024, 0, 1, 0, 30));
    }
  });

  it('says when its marks are final, while its delivery batches are still being delivered', async () => {
    const watermarks = new VisitWatermarks();
    watermarks.begin();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const delivered: number[] = [];
    const stats = { batches: 0, delivered: 0 };
    // A sink that holds its first batch until released, as a broker that has yet to answer.
    const sink = Object.assign(
      new Writable({
        objectMode: true,
        highWaterMark: 1,
        write(batch: DeliveryBatch, _encoding, callback) {
          delivered.push(batch.number);
          void (delivered.length === 1 ? held : Promise.resolve()).then(() => {
            stats.batches++;
            stats.delivered += batch.events.length;
            callback();
          });
        },
      }),
      { stats },
    );
    const { batch } = microBatch({ sink, late: { watermarks, policy: 'deliver' } });
    await batch.add(0, 1, [record(0, 'a', 10), record(1, 'b', 5), record(2, 'a', 20)]);
    let finished = false;
    const finishing = batch.finish().then(() => (finished = true));
    await batch.marked;
    expect(watermarks.changed().map((mark) => [mark.visitId, mark.time])).toEqual([
      ['a', Date.UTC(2024, 0, 1, 0, 20)],
      ['b', Date.UTC(2024, 0, 1, 0, 5)],
    ]);
    expect(finished).toBe(false);
    release();
    await finishing;
    expect(delivered).toEqual([1, 2]);
  });

  it('spills to the temp dir under a small budget and leaves nothing behind', async () => {
    const { batch, sink } = microBatch();
    const records = Array.from({ length: 500 }, (_, i) => record(i, `v${i % 37}`, i % 60));
    await batch.add(2, 1, records);
    const summary = await batch.finish();
    expect(summary.spillRuns).toBeGreaterThan(1);
    expect(sink.stats.delivered).toBe(500);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('abort() tears the stages down and removes spilled runs', async () => {
    const { batch } = microBatch();
    await batch.add(
      0,
      1,
      Array.from({ length: 300 }, (_, i) => record(i, `v${i}`, 1)),
    );
    batch.abort(new Error('stop'));
    await expect(batch.finish()).rejects.toThrow();
    expect(readdirSync(tempDir)).toEqual([]);
  });
});
