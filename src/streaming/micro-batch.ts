import { pipeline } from 'node:stream/promises';
import type { DeadLetterSink } from '../dead-letter/dead-letter.js';
import type { Position, VisitEvent } from '../events.js';
import type { BatchSink } from '../sinks/batch-sink.js';
import { binEvents } from '../stages/bin/bin-events.js';
import type { BinnerOptions } from '../stages/bin/binner.js';
import { dedupeEvents } from '../stages/dedupe/dedupe-events.js';
import { filterEvents } from '../stages/filter/filter-events.js';
import { markLateEvents, type LatePolicy } from '../stages/late/mark-late-events.js';
import { DEFAULT_MAX_ROW_BYTES, withRaw } from '../stages/parse/row-splitter.js';
import { parseEventRow } from '../stages/parse/scan-event-fields.js';
import type { ExternalSortOptions } from '../stages/sort/external-sorter.js';
import { sortEvents } from '../stages/sort/sort-events.js';
import { CommonEventReader } from '../stages/validate/common-event-reader.js';
import { toVisitEvent } from '../stages/validate/validate-row.js';
import { RecordOrigins } from './record-origins.js';
import { ChunkFeed } from './chunk-feed.js';
import type { VisitWatermarks } from '../stages/late/visit-watermarks.js';

/** Events per chunk into the stages. */
const FEED_CHUNK_EVENTS = 256;

/** A consumed record, as much of it as a micro-batch needs. */
export interface InputRecord {
  offset: bigint | string;
  value: Buffer | null;
}

export interface MicroBatchOptions {
  /** The micro-batch's number in this job (for logs). */
  number: number;
  /** The input topic, named in dead letters' positions. */
  topic: string;
  /** Number of the micro-batch's first delivery batch. */
  firstBatch: number;
  sink: BatchSink;
  deadLetters: DeadLetterSink;
  late: { watermarks: VisitWatermarks; policy: LatePolicy };
  /**
   * Whether records read from `partition` in assignment epoch `epoch` are still this
   * instance's to deliver. Asked when the sorted events come out: records of a partition
   * revoked since they were read are handed over (the new owner reads them from the last
   * committed offset), not delivered twice.
   */
  stillOwned: (partition: number, epoch: number) => boolean;
  dedupe?: boolean;
  maxRowBytes?: number;
  sort?: ExternalSortOptions;
  bin?: BinnerOptions;
}

export interface MicroBatchSummary {
  number: number;
  /** Records read: delivered + deadLettered + deduplicated + handedOver. */
  read: number;
  delivered: number;
  deadLettered: number;
  deduplicated: number;
  /** Records left to the partition's new owner after a rebalance. */
  handedOver: number;
  /** Late events, delivered with a `late` header or dead-lettered, by policy. */
  late: number;
  batches: number;
  /** First and last delivery batch numbers used (last < first when there were none). */
  firstBatch: number;
  lastBatch: number;
  batchLowerBound: number;
  spillRuns: number;
}

/**
 * One micro-batch of streaming mode: the records consumed since the last one, validated as
 * they are added (as the file sort's workers do: the common layout scanned straight to an
 * event, anything else by the full path, which names what is wrong), then through the same
 * stages as a file run (external sort → bin → sink), plus a filter for partitions handed over
 * in a rebalance and the late-event policy. Records stream into the
 * sort as they are consumed, so memory is bounded by the sort's budget however large the
 * micro-batch grows. `nextOffsets` says what to commit once `finish()` has resolved.
 */
export class MicroBatch {
  readonly openedAt = Date.now();
  /** Per partition: the offset after the last record read, and the epoch it was read in. */
  readonly nextOffsets = new Map<number, { next: bigint; epoch: number }>();
  /**
   * Resolves once the late-event stage has seen the micro-batch's last event, while its
   * delivery batches may still be in flight: the watermarks' marks are final from then on.
   * Stays pending if the stages fail first.
   */
  readonly marked: Promise<void>;
  private readonly origins = new RecordOrigins();
  private readonly feed = new ChunkFeed<VisitEvent>();
  /** Reads records into events; `origins.size` numbers them in arrival order (their `seq`, the sort's tie-breaker). */
  private readonly events = new CommonEventReader();
  private readonly done: Promise<void>;
  private readonly counts: () => Omit<MicroBatchSummary, 'number' | 'read' | 'deadLettered' | 'firstBatch' | 'lastBatch'>;
  private readonly deadLetteredBefore: number;
  private rows = 0;

  constructor(private readonly options: MicroBatchOptions) {
    const { deadLetters } = options;
    this.deadLetteredBefore = deadLetters.count;
    const sort = sortEvents(options.sort);
    const owned = filterEvents((event) => options.stillOwned(this.origins.partitionOf(event.seq), this.origins.epochOf(event.seq)));
    const dedupe = options.dedupe ? dedupeEvents() : undefined;
    const late = markLateEvents({
      ...options.late,
      deadLetters,
      positionOf: (event) => {
        const origin = this.origins.of(event.seq);
        return this.position(origin.partition, origin.offset);
      },
      partitionOf: (event) => this.origins.partitionOf(event.seq),
    });
    const bin = binEvents({ ...options.bin, firstBatch: options.firstBatch });
    const stages = [this.feed, sort, owned, ...(dedupe ? [dedupe] : []), late, bin, options.sink];
    this.marked = new Promise((resolve) => late.once('finish', () => resolve()));
    this.done = (pipeline as (...streams: unknown[]) => Promise<void>)(...stages);
    this.done.catch(() => undefined); // surfaced by add() and finish()
    this.counts = () => ({
      delivered: options.sink.stats.delivered,
      deduplicated: dedupe?.stats.duplicates ?? 0,
      handedOver: owned.stats.dropped,
      late: late.stats.late,
      batches: bin.stats.batches,
      batchLowerBound: bin.stats.lowerBound,
      spillRuns: sort.stats.spilledRuns,
    });
  }

  /** The micro-batch's number in its job. */
  get number(): number {
    return this.options.number;
  }

  /** Records read so far. */
  get read(): number {
    return this.rows;
  }

  /** Adds consumed records of one partition; resolves when the stages have room for more. */
  async add(partition: number, epoch: number, records: InputRecord[]): Promise<void> {
    const maxRowBytes = this.options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
    let last: bigint | undefined;
    let events: VisitEvent[] = [];
    // Passes the events gathered to the stages; the micro-batch's offsets then move past `last`.
    const pass = async () => {
      const full = events.length > 0 ? this.feed.write(events) : undefined;
      events = [];
      if (last !== undefined) this.nextOffsets.set(partition, { next: last + 1n, epoch });
      if (full) await full;
    };
    for (const record of records) {
      const offset = typeof record.offset === 'bigint' ? record.offset : BigInt(record.offset);
      this.rows++;
      last = offset;
      const value = record.value;
      let event: VisitEvent | undefined;
      if (value === null) {
        this.options.deadLetters.write({ reason: 'record has no value (a tombstone)', position: this.position(partition, Number(offset)), raw: '' });
      } else if (value.length > maxRowBytes) {
        this.options.deadLetters.write(
          withRaw(
            { reason: `row exceeds ${maxRowBytes} bytes`, position: this.position(partition, Number(offset)), truncated: true, size: value.length },
            value.subarray(0, maxRowBytes),
          ),
        );
      } else {
        event = this.events.read(value, this.origins.size) ?? this.validate(value, partition, Number(offset));
      }
      if (event) {
        this.origins.add(partition, Number(offset), epoch);
        events.push(event);
        if (events.length === FEED_CHUNK_EVENTS) await pass();
      }
    }
    await pass();
  }

  /** A record the common layout's scan declined: parsed in full, and dead-lettered with the reason if it is no event. */
  private validate(value: Buffer, partition: number, offset: number): VisitEvent | undefined {
    const position = this.position(partition, offset);
    const parsed = parseEventRow(value, position, '');
    if ('reason' in parsed) {
      this.options.deadLetters.write(parsed);
      return undefined;
    }
    const event = toVisitEvent(parsed, this.origins.size, this.events.bytes);
    if (typeof event !== 'string') return event;
    this.options.deadLetters.write({ reason: event, position, raw: parsed.text });
    return undefined;
  }

  /** Ends the input and resolves once every delivery batch is acknowledged. */
  async finish(): Promise<MicroBatchSummary> {
    this.feed.push(null);
    await this.done;
    const counts = this.counts();
    const summary: MicroBatchSummary = {
      number: this.options.number,
      read: this.rows,
      deadLettered: this.options.deadLetters.count - this.deadLetteredBefore,
      firstBatch: this.options.firstBatch,
      lastBatch: this.options.firstBatch + counts.batches - 1,
      ...counts,
    };
    if (summary.read !== summary.delivered + summary.deadLettered + summary.deduplicated + summary.handedOver) {
      throw new Error(
        `micro-batch ${summary.number}: counts do not add up: read ${summary.read} ≠ delivered ${summary.delivered} + dead-lettered ${summary.deadLettered} + deduplicated ${summary.deduplicated} + handed over ${summary.handedOver}`,
      );
    }
    return summary;
  }

  /** Tears the stages down (temp files go); nothing of this micro-batch will be committed. */
  abort(error: Error): void {
    this.feed.destroy(error);
  }

  private position(partition: number, offset: number): Position {
    return { source: this.options.topic, partition, offset };
  }
}
