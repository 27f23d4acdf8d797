import type { SortedRun } from './sort-worker.js';
import { WorkerSortStream, type ParallelSortOptions } from './worker-sort-stream.js';
/**
 * Files → VisitEvents in (visit_id, instant, arrival) order, sorted on worker threads
 * (WorkerSortStream), then merged on this thread. The same events, order and dead letters as
 * parse → validate → sort on one thread, except that dead letters of different parts may
 * interleave (each names its line and offset), and that arrival order (`seq`) counts bytes
 * rather than rows.
 */
export declare class ParallelSortedEvents extends WorkerSortStream {
    private sorted;
    constructor(input: readonly string[], options: ParallelSortOptions);
    protected beginMerge(_runs: SortedRun[]): void;
    protected pump(): void;
}
/** parse → validate → sort over worker threads; see ParallelSortedEvents. */
export declare function sortFilesInParallel(paths: string[], options: ParallelSortOptions): ParallelSortedEvents;
