import { emptyBinStats } from '../../stages/bin/binner-options.js';
import { MergeInWorker } from './merge-in-worker.js';
import { WorkerSortStream } from './worker-sort-stream.js';
/**
 * Files → NDJSON delivery lines: sorted on worker threads (WorkerSortStream), then merged,
 * binned and formatted (MergeToNdjson) together on a worker thread of their own (MergeInWorker),
 * with the same bytes out as sortFilesInParallel() → (dedupeEvents() →) binToNdjson() and no
 * event object in between. This thread only hands the lines on to whatever writes them.
 */
export class ParallelDeliveryLines extends WorkerSortStream {
    merge;
    lineOptions;
    /** Filled in by the merge. */
    counts = {
        stats: { batches: 0, delivered: 0 },
        binStats: emptyBinStats(),
        dedupeStats: { duplicates: 0 },
    };
    constructor(input, options) {
        super(input, options, { objectMode: false });
        this.lineOptions = { bin: options.bin, dedupe: options.dedupe };
    }
    get dedupeStats() {
        return this.counts.dedupeStats;
    }
    /** Delivered lines and batches (the sink's counts). */
    get stats() {
        return this.counts.stats;
    }
    get binStats() {
        return this.counts.binStats;
    }
    beginMerge(runs) {
        this.sorter.stats.phase = 'merging';
        this.merge = new MergeInWorker(runs, this.counts, {
            ...this.lineOptions,
            tempDir: this.runDir,
            ...(this.options.sort?.fanIn !== undefined && { fanIn: this.options.sort.fanIn }),
            onLines: () => this.pump(),
            onError: (error) => this.destroy(error),
            onMerging: (stats) => Object.assign(this.sorter.stats, stats),
        });
        this.workers.push(this.merge.worker);
    }
    pump() {
        const merge = this.merge;
        if (this.destroyed)
            return;
        for (;;) {
            const chunks = merge.take();
            if (chunks === undefined)
                break;
            let full = false;
            for (const chunk of chunks)
                full = !this.push(chunk) || full;
            if (full)
                return;
        }
        if (merge.ended) {
            this.sorter.finishMerge();
            this.push(null);
        }
    }
    _destroy(error, callback) {
        this.merge?.stop();
        super._destroy(error, callback);
    }
}
//# sourceMappingURL=parallel-delivery-lines.js.map