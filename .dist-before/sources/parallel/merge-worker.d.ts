import type { NdjsonSinkStats } from '../../stages/format/delivery-lines.js';
import type { BinnerOptions, BinStats } from '../../stages/bin/binner-options.js';
import type { DedupeStats } from '../../stages/dedupe/duplicate-filter.js';
import { type SortStats } from '../../stages/sort/external-sorter.js';
import type { SortedRun } from './sort-worker.js';
export interface MergeWorkerData {
    runs: SortedRun[];
    /** Where extra merge passes write: inside the run directory the main thread removes. */
    tempDir: string;
    fanIn?: number;
    bin?: BinnerOptions;
    dedupe: boolean;
    /** Messages of lines sent but not yet taken by the main thread, at most. */
    maxQueued: number;
    /** Int32 [0]: messages of lines the main thread has taken; [1]: set to 1 to stop. */
    signal: SharedArrayBuffer;
}
export type MergeWorkerMessage = 
/** The runs are merged down to the fan-in: the final merge starts. */
{
    type: 'merging';
    stats: Pick<SortStats, 'spilledRuns' | 'spilledBytes' | 'extraMergePasses'>;
}
/** Delivery lines, in order (each chunk's ArrayBuffer is transferred), and the counts so far. */
 | {
    type: 'lines';
    chunks: Uint8Array[];
    stats: NdjsonSinkStats;
    binStats: BinStats;
} | {
    type: 'end';
    stats: NdjsonSinkStats;
    binStats: BinStats;
    dedupeStats: DedupeStats;
};
