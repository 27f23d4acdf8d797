import type { Readable } from 'node:stream';
import type { RecordBatchLayout } from '../../kafka/encoded-batches.js';
import { emptyBinStats, type BinnerOptions, type BinStats } from '../../stages/bin/binner-options.js';
import type { DedupeStats } from '../../stages/dedupe/duplicate-filter.js';
import type { NdjsonSinkStats } from '../../stages/format/delivery-lines.js';
import { MergeInWorker, type MergeCounts } from './merge-in-worker.js';
import type { SortedRun } from './sort-worker.js';
import { WorkerSortStream, type ParallelSortOptions } from './worker-sort-stream.js';

/**
 * Files → NDJSON delivery lines: sorted on worker threads (WorkerSortStream), then merged,
 * binned and formatted (MergeToNdjson) together on a worker thread of their own (MergeInWorker),
 * with the same bytes out as sortFilesInParallel() → (dedupeEvents() →) binToNdjson() and no
 * event object in between. This thread only hands the lines on to whatever writes them.
 */
export class ParallelDeliveryLines extends WorkerSortStream {
  private merge: MergeInWorker | undefined;
  private readonly lineOptions: { bin?: BinnerOptions; dedupe?: boolean; recordBatches?: RecordBatchLayout };
  /** Filled in by the merge. */
  private readonly counts: MergeCounts = {
    stats: { batches: 0, delivered: 0 },
    binStats: emptyBinStats(),
    dedupeStats: { duplicates: 0 },
  };

  /** recordBatches: EncodedDeliveryBatch objects out instead of lines. */
  constructor(
    input: readonly string[] | Readable,
    options: ParallelSortOptions & { bin?: BinnerOptions; dedupe?: boolean; recordBatches?: RecordBatchLayout },
  ) {
    // An encoded batch holds a batch's bytes (~1 MiB by default): one waits here, not Readable's default 16.
    super(input, options, options.recordBatches ? { objectMode: true, highWaterMark: 1 } : { objectMode: false });
    this.lineOptions = { bin: options.bin, dedupe: options.dedupe, ...(options.recordBatches && { recordBatches: options.recordBatches }) };
  }

  get dedupeStats(): DedupeStats {
    return this.counts.dedupeStats;
  }

  /** Delivered lines and batches (the sink's counts). */
  get stats(): NdjsonSinkStats {
    return this.counts.stats;
  }

  get binStats(): BinStats {
    return this.counts.binStats;
  }

  protected beginMerge(runs: SortedRun[]): void {
    this.sorter.stats.phase = 'merging';
    this.merge = new MergeInWorker(runs, this.counts, {
      ...this.lineOptions,
      tempDir: this.runDir!,
      ...(this.options.sort?.fanIn !== undefined && { fanIn: this.options.sort.fanIn }),
      onLines: () => this.pump(),
      onError: (error) => this.destroy(error),
      onMerging: (stats) => Object.assign(this.sorter.stats, stats),
    });
    this.workers.push(this.merge.worker);
  }

  protected pump(): void {
    const merge = this.merge!;
    if (this.destroyed) return;
    for (;;) {
      const chunks = merge.take();
      if (chunks === undefined) break;
      let full = false;
      for (const chunk of chunks) full = !this.push(chunk) || full;
      if (full) return;
    }
    if (merge.ended) {
      this.sorter.finishMerge();
      this.push(null);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.merge?.stop();
    super._destroy(error, callback);
  }
}
