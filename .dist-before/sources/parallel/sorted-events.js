import { pushFrom } from '../../stages/sort/push-from.js';
import { WorkerSortStream } from './worker-sort-stream.js';
/**
 * Files → VisitEvents in (visit_id, instant, arrival) order, sorted on worker threads
 * (WorkerSortStream), then merged on this thread. The same events, order and dead letters as
 * parse → validate → sort on one thread, except that dead letters of different parts may
 * interleave (each names its line and offset), and that arrival order (`seq`) counts bytes
 * rather than rows.
 */
export class ParallelSortedEvents extends WorkerSortStream {
    sorted;
    constructor(input, options) {
        super(input, options, { objectMode: true, highWaterMark: 256 });
    }
    beginMerge(_runs) {
        this.sorted = this.sorter.sorted();
    }
    pump() {
        pushFrom(this, this.sorted);
    }
}
/** parse → validate → sort over worker threads; see ParallelSortedEvents. */
export function sortFilesInParallel(paths, options) {
    return new ParallelSortedEvents(paths, options);
}
//# sourceMappingURL=sorted-events.js.map