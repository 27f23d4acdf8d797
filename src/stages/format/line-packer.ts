import { BatchPlanner } from '../bin/batch-planner.js';
import type { BinnerOptions, BinStats } from '../bin/binner-options.js';
import { deliveryKey, DeliveryLines } from './delivery-lines.js';
import type { NdjsonSinkStats } from './delivery-lines.js';

/** Small chunks: a batch's lines are held while it is open, and most batches are far below a MiB. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The binner with each open batch kept as delivery lines (bytes) rather than event objects:
 * place an event, write its line into the batch it got, and hand out batches' chunks as they
 * close, in order. The core of binToNdjson and mergeToNdjson.
 */
export class LinePacker {
  readonly stats: NdjsonSinkStats = { batches: 0, delivered: 0 };
  /** deliveryKey of the visit placed last: a visit's events come one after another, each for a different batch. */
  key: Buffer = Buffer.alloc(0);
  private keyOf: string | undefined;
  private readonly planner: BatchPlanner<DeliveryLines>;

  /** allocate: where the lines' chunks come from (DeliveryLines). */
  constructor(options: BinnerOptions, allocate?: (size: number) => Buffer) {
    this.planner = new BatchPlanner(options, (number) => new DeliveryLines(number, CHUNK_BYTES, allocate));
  }

  get binStats(): BinStats {
    return this.planner.stats;
  }

  /** Places an event; returns its batch's lines, to add its line to with `this.key`. Throws on unsorted input. */
  place(visitId: string, time: number, size: number, seq: number): DeliveryLines {
    const lines = this.planner.place(visitId, time, size, seq).payload;
    if (visitId !== this.keyOf) {
      this.keyOf = visitId;
      this.key = deliveryKey(visitId);
    }
    return lines;
  }

  /** Hands the chunks of every batch that is now complete to `push`, lowest first; true if there was one. */
  drainClosed(push: (chunk: Buffer) => void): boolean {
    let any = false;
    for (let batch = this.planner.nextClosed(); batch !== undefined; batch = this.planner.nextClosed()) {
      this.emit(batch.payload, batch.records, push);
      any = true;
    }
    return any;
  }

  /** After the last event: hands out every open batch. */
  finish(push: (chunk: Buffer) => void): void {
    for (const batch of this.planner.finish()) this.emit(batch.payload, batch.records, push);
  }

  private emit(lines: DeliveryLines, records: number, push: (chunk: Buffer) => void): void {
    for (const chunk of lines.finish()) push(chunk);
    this.stats.batches++;
    this.stats.delivered += records;
  }
}
