import { eventByteLength, type DeliveryBatch, type VisitEvent } from '../../events.js';
import { BatchPlanner } from './batch-planner.js';
import type { BinnerOptions, BinStats } from './binner-options.js';

export { DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_RECORDS, DEFAULT_MAX_BUFFERED_BYTES, type BinnerOptions, type BinStats } from './binner-options.js';

// Shared by the many add() calls that close nothing; frozen, so a caller cannot change it.
const NONE_CLOSED = Object.freeze([]) as unknown as DeliveryBatch[];

/**
 * Run-grouping binner over events sorted by (visit, instant), placing them with BatchPlanner.
 * Unlike the seed (k-th event of every visit into batch k, all batches in memory), batches
 * fill as the stream goes and come out in order, complete, numbered from firstBatch (1
 * unless given), with the count near its lower bound.
 */
export class Binner {
  private readonly planner: BatchPlanner<DeliveryBatch>;

  constructor(options: BinnerOptions = {}) {
    this.planner = new BatchPlanner(options, (number) => ({ number, events: [], bytes: 0 }));
  }

  get stats(): BinStats {
    return this.planner.stats;
  }

  /** Places one event; returns the batches this closed (possibly none), lowest first. */
  add(event: VisitEvent): DeliveryBatch[] {
    const size = eventByteLength(event);
    const batch = this.planner.place(event.visitId, event.time, size, event.seq).payload;
    batch.events.push(event);
    batch.bytes += size;
    let closed = this.planner.nextClosed();
    if (closed === undefined) return NONE_CLOSED;
    const batches: DeliveryBatch[] = [];
    for (; closed !== undefined; closed = this.planner.nextClosed()) batches.push(closed.payload);
    return batches;
  }

  /** Closes every open batch, in order. Call once, after the last add(). */
  finish(): DeliveryBatch[] {
    return this.planner.finish().map((batch) => batch.payload);
  }
}
