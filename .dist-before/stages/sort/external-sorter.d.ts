import { type VisitEvent } from '../../events.js';
import { RunMerge } from './run-file.js';
export interface ExternalSortOptions {
    /** Budget for buffered events, estimated from their sizes (default 64 MiB). */
    memoryBytes?: number;
    /** Parent of the private run directory (default the OS temp dir). */
    tempDir?: string;
    /** Most runs merged at once; more runs take extra merge passes (default 64). */
    fanIn?: number;
}
export interface SortStats {
    phase: 'reading' | 'merging' | 'done';
    events: number;
    /** Sorted runs written to disk, including intermediate merge passes' outputs. */
    spilledRuns: number;
    spilledBytes: number;
    /** Merge passes before the final one (0 when the runs fit the fan-in). */
    extraMergePasses: number;
}
export declare const DEFAULT_SORT_MEMORY: number;
/**
 * External merge sort by (visit_id, instant, arrival): buffers events up to a memory budget,
 * spills each full buffer as a sorted binary run into a private temp directory, and merges
 * the runs with a heap, in several passes when they outnumber the fan-in, so open files and
 * memory stay bounded whatever the input size. add() everything, then iterate sorted() once;
 * cleanup() removes the temp files (sorted() does too when it completes).
 */
export declare class ExternalSorter {
    private readonly options;
    readonly stats: SortStats;
    private readonly memoryBytes;
    private readonly fanIn;
    private buffer;
    private bufferedBytes;
    private runs;
    private dir;
    private cursors;
    constructor(options?: ExternalSortOptions);
    add(event: VisitEvent): void;
    /**
     * Takes over sorted run files written elsewhere (the parallel sort's workers write them in
     * this format): they are merged with the sorter's own runs and removed like them.
     */
    adoptRuns(runs: {
        path: string;
        bytes: number;
        events: number;
    }[]): void;
    sorted(): Generator<VisitEvent>;
    /**
     * Instead of sorted(): the final merge of the runs, record by record, without an object per
     * event. With `reuseBlocks`, a record's bytes are valid only until the next call to next().
     * Call finishMerge() after the last record (cleanup() if giving up).
     */
    mergeRuns(reuseBlocks: boolean): RunMerge;
    /** After mergeRuns()' last record: marks the sort done and removes its files. */
    finishMerge(): void;
    /** Closes open runs and removes the temp directory; safe to call at any time, more than once. */
    cleanup(): void;
    private spill;
    private writeRun;
    private nextRunPath;
    private countRun;
    /** Merges the oldest fan-in runs into one, so the final merge opens at most fan-in files. Records are copied as bytes. */
    private mergePass;
}
