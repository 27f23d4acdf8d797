import type { DeliveryBatch, VisitEvent } from '../../events.js';

export interface BinnerOptions {
  /** Most events in one delivery batch (default 2,000: with the per-partition barrier, the fastest into Kafka in bench/barriers.mjs). */
  maxBatchRecords?: number;
  /** Most bytes of event text in one batch (default 16 MiB); a larger single event gets a batch of its own. */
  maxBatchBytes?: number;
  /** Bytes of events held in open batches before the lowest one is closed early (default 32 MiB). */
  maxBufferedBytes?: number;
  /**
   * Number of the first batch (default 1). Streaming mode continues the numbering across
   * micro-batches, so a visit's delivery_batch keeps increasing from one to the next.
   */
  firstBatch?: number;
}

export interface BinStats {
  events: number;
  visits: number;
  longestVisit: number;
  batches: number;
  /** Batches closed before they were full, to keep buffered memory under maxBufferedBytes. */
  closedEarly: number;
  /**
   * No packing can use fewer batches: max(longest visit, events ÷ max records,
   * oversized events + bytes of the others ÷ max bytes).
   */
  lowerBound: number;
}

export const DEFAULT_MAX_BATCH_RECORDS = 2_000;
export const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/**
 * Run-grouping binner over events sorted by (visit, instant). Each visit's k-th event goes to
 * the lowest open batch above the one that took its (k-1)-th event and still has room, so no
 * batch holds a visit twice and a visit's batches increase with time. Unlike the seed (k-th
 * event of every visit into batch k, all batches in memory), batches fill as the stream goes:
 * the lowest open batch is emitted once full, and a long visit's tail shares batches with
 * the visits after it, keeping the count near its lower bound. Batches come out in order,
 * complete, numbered from firstBatch (1 unless given).
 */
export class Binner {
  readonly stats: BinStats = { events: 0, visits: 0, longestVisit: 0, batches: 0, closedEarly: 0, lowerBound: 0 };
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private readonly maxBuffered: number;
  /** open[i] is batch number firstOpen + i. */
  private open: DeliveryBatch[] = [];
  private firstOpen = 1;
  /** Index in `open` below which every batch is full by records. */
  private lowestWithRoom = 0;
  private bufferedBytes = 0;
  /** Events larger than maxBatchBytes: each needs a batch of its own. */
  private oversizedEvents = 0;
  private fittingBytes = 0;
  private visitId: string | undefined;
  private visitLength = 0;
  private previousBatch = 0;
  private previousTime = -Infinity;

  constructor(options: BinnerOptions = {}) {
    this.maxRecords = Math.max(1, options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS);
    this.maxBytes = Math.max(1, options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES);
    this.maxBuffered = Math.max(1, options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
    this.firstOpen = options.firstBatch ?? 1;
  }

  /** Places one event; returns the batches this closed (possibly none), lowest first. */
  add(event: VisitEvent): DeliveryBatch[] {
    this.startOrContinueVisit(event);
    const size = event.bytes?.length ?? Buffer.byteLength(event.text, 'utf8');
    let index = Math.max(this.previousBatch + 1 - this.firstOpen, this.lowestWithRoom);
    while (index < this.open.length && !this.fits(this.open[index]!, size)) index++;
    const batch = this.open[index] ?? this.openBatch();
    batch.events.push(event);
    batch.bytes += size;
    this.previousBatch = batch.number;
    this.bufferedBytes += size;
    if (size > this.maxBytes) this.oversizedEvents++;
    else this.fittingBytes += size;
    this.stats.events++;
    while (this.lowestWithRoom < this.open.length && this.open[this.lowestWithRoom]!.events.length >= this.maxRecords) this.lowestWithRoom++;
    return this.closeReady();
  }

  /** Closes every open batch, in order. Call once, after the last add(). */
  finish(): DeliveryBatch[] {
    this.endVisit();
    const rest = this.open;
    this.open = [];
    this.lowestWithRoom = 0;
    this.bufferedBytes = 0;
    this.stats.batches += rest.length;
    this.stats.lowerBound = Math.max(
      this.stats.longestVisit,
      Math.ceil(this.stats.events / this.maxRecords),
      this.oversizedEvents + Math.ceil(this.fittingBytes / this.maxBytes),
    );
    return rest;
  }

  private fits(batch: DeliveryBatch, size: number): boolean {
    return batch.events.length < this.maxRecords && (batch.events.length === 0 || batch.bytes + size <= this.maxBytes);
  }

  private openBatch(): DeliveryBatch {
    const batch: DeliveryBatch = { number: this.firstOpen + this.open.length, events: [], bytes: 0 };
    this.open.push(batch);
    return batch;
  }

  private closeReady(): DeliveryBatch[] {
    const closed: DeliveryBatch[] = [];
    while (this.open.length > 0 && (this.open[0]!.events.length >= this.maxRecords || this.bufferedBytes > this.maxBuffered)) {
      const batch = this.open.shift()!;
      if (batch.events.length < this.maxRecords) this.stats.closedEarly++;
      this.firstOpen++;
      this.lowestWithRoom = Math.max(0, this.lowestWithRoom - 1);
      this.bufferedBytes -= batch.bytes;
      this.stats.batches++;
      closed.push(batch);
    }
    return closed;
  }

  private startOrContinueVisit(event: VisitEvent): void {
    if (event.visitId === this.visitId) {
      if (event.time < this.previousTime) {
        throw new Error(`binner input is not sorted: visit ${event.visitId} goes back in time (seq ${event.seq})`);
      }
      this.visitLength++;
      this.previousTime = event.time;
      return;
    }
    if (this.visitId !== undefined && event.visitId < this.visitId) {
      throw new Error(`binner input is not sorted by visit: ${event.visitId} after ${this.visitId}`);
    }
    this.endVisit();
    this.visitId = event.visitId;
    this.visitLength = 1;
    this.previousTime = event.time;
    this.previousBatch = 0;
    this.stats.visits++;
  }

  private endVisit(): void {
    this.stats.longestVisit = Math.max(this.stats.longestVisit, this.visitLength);
  }
}
