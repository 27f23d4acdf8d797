import { Transform } from 'node:stream';
import type { VisitEvent } from '../events.js';
import { BatchPlanner } from '../stages/bin/batch-planner.js';
import type { BinnerOptions, BinStats } from '../stages/bin/binner-options.js';
import { deliveryKey, DeliveryLines } from './delivery-lines.js';
import type { NdjsonSinkStats } from './ndjson-sink.js';

/** Small chunks: a batch's lines are held while it is open, and most batches are far below a MiB. */
const CHUNK_BYTES = 64 * 1024;

export type BinToNdjsonStream = Transform & { readonly stats: NdjsonSinkStats; readonly binStats: BinStats };

/**
 * Sorted VisitEvent → NDJSON delivery lines: binEvents() followed by ndjsonSink(), in one stage
 * and with the same bytes out. Each event is written as its delivery line the moment the
 * binner places it, so open batches hold bytes, not event objects. Events then die young:
 * with objects held in open batches, each one outlived the young generation and was copied
 * into the old one, and the collector ran a full mark every ~50 ms.
 */
export function binToNdjson(options: BinnerOptions = {}): BinToNdjsonStream {
  const planner = new BatchPlanner(options, (number) => new DeliveryLines(number, CHUNK_BYTES));
  const stats: NdjsonSinkStats = { batches: 0, delivered: 0 };
  // A visit's events arrive one after another, each for a different batch: encode its key once.
  let keyOf: string | undefined;
  let key: Buffer = Buffer.alloc(0);
  const stream = new Transform({
    writableObjectMode: true,
    readableObjectMode: false,
    transform(event: VisitEvent, _encoding, callback) {
      try {
        const size = event.bytes?.length ?? Buffer.byteLength(event.text, 'utf8');
        const lines = planner.place(event.visitId, event.time, size, event.seq).payload;
        if (event.visitId !== keyOf) {
          keyOf = event.visitId;
          key = deliveryKey(keyOf);
        }
        lines.add(event, key);
      } catch (error) {
        callback(error as Error);
        return;
      }
      for (let batch = planner.nextClosed(); batch !== undefined; batch = planner.nextClosed()) emit(this, batch.payload, batch.records);
      callback();
    },
    flush(callback) {
      for (const batch of planner.finish()) emit(this, batch.payload, batch.records);
      callback();
    },
  });
  function emit(to: Transform, lines: DeliveryLines, records: number): void {
    for (const chunk of lines.finish()) to.push(chunk);
    stats.batches++;
    stats.delivered += records;
  }
  return Object.assign(stream, { stats, binStats: planner.stats });
}
