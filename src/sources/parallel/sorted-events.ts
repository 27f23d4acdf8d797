import type { VisitEvent } from '../../events.js';
import { pushFrom } from '../../stages/sort/push-from.js';
import type { SortedRun } from './sort-worker.js';
import { WorkerSortStream, type ParallelSortOptions } from './worker-sort-stream.js';

/**
 * Files → VisitEvents in (visit_id, instant, arrival) order, sorted on worker threads
 * (WorkerSortStream), then merged on this thread. The same events, order and dead letters as
 * parse → validate → sort on one thread, except that dead letters of different parts may
 * interleave (each names its line and offset), and that arrival order (`seq`) counts bytes
 * rather than rows.
 */
export class ParallelSortedEvents extends WorkerSortStream {
  private sorted: Iterator<VisitEvent> | undefined;

  constructor(input: readonly string[], options: ParallelSortOptions) {
    super(input, options, { objectMode: true, highWaterMark: 256 });
  }

  protected beginMerge(_runs: SortedRun[]): void {
    this.sorted = this.sorter.sorted();
  }

  protected pump(): void {
    pushFrom(this, this.sorted!);
  }
}

/** parse → validate → sort over worker threads; see ParallelSortedEvents. */
export function sortFilesInParallel(paths: string[], options: ParallelSortOptions): ParallelSortedEvents {
  return new ParallelSortedEvents(paths, options);
}
