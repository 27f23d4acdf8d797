import { Worker } from 'node:worker_threads';
import type { NdjsonSinkStats } from '../../stages/format/delivery-lines.js';
import type { BinnerOptions, BinStats } from '../../stages/bin/binner-options.js';
import type { DedupeStats } from '../../stages/dedupe/duplicate-filter.js';
import type { SortStats } from '../../stages/sort/external-sorter.js';
import type { SortedRun } from './sort-worker.js';
/** What the merge counts, filled in as its messages arrive. */
export interface MergeCounts {
    /** Delivered lines and batches (the sink's counts), updated with each message. */
    readonly stats: NdjsonSinkStats;
    /** Updated with each message. */
    readonly binStats: BinStats;
    /** Set at the end. */
    readonly dedupeStats: DedupeStats;
}
export interface MergeInWorkerOptions {
    /** Where extra merge passes write: a directory the caller removes. */
    tempDir: string;
    fanIn?: number;
    bin?: BinnerOptions;
    dedupe?: boolean;
    /** Called when lines arrive, or the merge ends, after take() found none. */
    onLines: () => void;
    /** Called once if the merge fails. */
    onError: (error: Error) => void;
    /** Called with the sort's run counts once extra merge passes are done. */
    onMerging?: (stats: Pick<SortStats, 'spilledRuns' | 'spilledBytes' | 'extraMergePasses'>) => void;
}
/**
 * The final merge of sorted runs into delivery lines (MergeToNdjson), run on a worker thread
 * (merge-worker.ts) so that this thread only hands the lines on: merging, binning and
 * formatting then use one core while writing the output uses the other. take() gives the
 * next lines in order; the worker waits while MAX_QUEUED of its messages are untaken.
 */
export declare class MergeInWorker {
    private readonly options;
    readonly worker: Worker;
    private readonly queue;
    private finished;
    private failed;
    /** take() found nothing before the end: onLines is owed. */
    private waiting;
    private readonly signal;
    constructor(runs: SortedRun[], counts: MergeCounts, options: MergeInWorkerOptions);
    /** True once every line has been taken. */
    get ended(): boolean;
    /** The next chunks of lines, in order, or undefined when none is here yet (or, see `ended`, at the end). */
    take(): Buffer[] | undefined;
    /**
     * Tells the worker to stop (an abort, or a failure downstream): one waiting for this thread
     * wakes and throws. The caller still terminates `worker`, and removes tempDir once it has exited.
     */
    stop(): void;
    private fail;
}
