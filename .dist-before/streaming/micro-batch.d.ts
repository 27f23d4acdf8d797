import type { DeadLetterSink } from '../dead-letter/dead-letter.js';
import type { BatchSink } from '../sinks/batch-sink.js';
import type { BinnerOptions } from '../stages/bin/binner.js';
import { type LatePolicy } from '../stages/late/mark-late-events.js';
import type { ExternalSortOptions } from '../stages/sort/external-sorter.js';
import type { VisitWatermarks } from '../stages/late/visit-watermarks.js';
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
    late: {
        watermarks: VisitWatermarks;
        policy: LatePolicy;
    };
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
 * One micro-batch of streaming mode: the records consumed since the last one, through the
 * same stages as a file run (validate → external sort → bin → sink), plus a filter for
 * partitions handed over in a rebalance and the late-event policy. Records stream into the
 * sort as they are consumed, so memory is bounded by the sort's budget however large the
 * micro-batch grows. `nextOffsets` says what to commit once `finish()` has resolved.
 */
export declare class MicroBatch {
    private readonly options;
    readonly openedAt: number;
    /** Per partition: the offset after the last record read, and the epoch it was read in. */
    readonly nextOffsets: Map<number, {
        next: bigint;
        epoch: number;
    }>;
    private readonly origins;
    private readonly feed;
    private readonly done;
    private readonly counts;
    private readonly deadLetteredBefore;
    private rows;
    constructor(options: MicroBatchOptions);
    /** The micro-batch's number in its job. */
    get number(): number;
    /** Records read so far. */
    get read(): number;
    /** The highest offset read from `partition` in this micro-batch, or -1. */
    lastOffset(partition: number): bigint;
    /** Adds consumed records of one partition; resolves when the stages have room for more. */
    add(partition: number, epoch: number, records: InputRecord[]): Promise<void>;
    /** Ends the input and resolves once every delivery batch is acknowledged. */
    finish(): Promise<MicroBatchSummary>;
    /** Tears the stages down (temp files go); nothing of this micro-batch will be committed. */
    abort(error: Error): void;
    private position;
}
