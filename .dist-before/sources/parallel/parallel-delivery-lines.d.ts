import type { Readable } from 'node:stream';
import { type BinnerOptions, type BinStats } from '../../stages/bin/binner-options.js';
import type { DedupeStats } from '../../stages/dedupe/duplicate-filter.js';
import type { NdjsonSinkStats } from '../../stages/format/delivery-lines.js';
import type { SortedRun } from './sort-worker.js';
import { WorkerSortStream, type ParallelSortOptions } from './worker-sort-stream.js';
/**
 * Files → NDJSON delivery lines: sorted on worker threads (WorkerSortStream), then merged,
 * binned and formatted (MergeToNdjson) together on a worker thread of their own (MergeInWorker),
 * with the same bytes out as sortFilesInParallel() → (dedupeEvents() →) binToNdjson() and no
 * event object in between. This thread only hands the lines on to whatever writes them.
 */
export declare class ParallelDeliveryLines extends WorkerSortStream {
    private merge;
    private readonly lineOptions;
    /** Filled in by the merge. */
    private readonly counts;
    constructor(input: readonly string[] | Readable, options: ParallelSortOptions & {
        bin?: BinnerOptions;
        dedupe?: boolean;
    });
    get dedupeStats(): DedupeStats;
    /** Delivered lines and batches (the sink's counts). */
    get stats(): NdjsonSinkStats;
    get binStats(): BinStats;
    protected beginMerge(runs: SortedRun[]): void;
    protected pump(): void;
    _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
}
