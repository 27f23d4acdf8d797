import { Worker } from 'node:worker_threads';
import { EncodedDeliveryBatch, type RecordBatchLayout } from '../../kafka/encoded-batches.js';
import type { NdjsonSinkStats } from '../../stages/format/delivery-lines.js';
import type { BinnerOptions, BinStats } from '../../stages/bin/binner-options.js';
import type { DedupeStats } from '../../stages/dedupe/duplicate-filter.js';
import type { SortStats } from '../../stages/sort/external-sorter.js';
import type { MergeWorkerData, MergeWorkerMessage } from './merge-worker.js';
import type { SortedRun } from './sort-worker.js';

const WORKER_FILE = new URL('./merge-worker.js', import.meta.url);
/** Messages of lines (256 KiB or more) the worker may send ahead of what this thread took. */
const MAX_QUEUED = 4;
/**
 * The same for encoded batches, which wait on this thread for the Kafka sink's barrier: two
 * keep the peak RSS lower than four, at the same speed (bench/README.md).
 */
const MAX_QUEUED_ENCODED = 2;
/** The merge holds 8 MiB of run read blocks and the open batches' lines, both off its heap. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 };

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
  /** Delivery batches encoded for Kafka, laid out so, instead of lines. */
  recordBatches?: RecordBatchLayout;
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
export class MergeInWorker {
  readonly worker: Worker;
  private readonly queue: (Buffer | EncodedDeliveryBatch)[][] = [];
  private finished = false;
  private failed = false;
  /** take() found nothing before the end: onLines is owed. */
  private waiting = false;
  private readonly signal: Int32Array;

  constructor(
    runs: SortedRun[],
    counts: MergeCounts,
    private readonly options: MergeInWorkerOptions,
  ) {
    const shared = new SharedArrayBuffer(8);
    this.signal = new Int32Array(shared);
    const data: MergeWorkerData = {
      runs,
      tempDir: options.tempDir,
      ...(options.fanIn !== undefined && { fanIn: options.fanIn }),
      ...(options.bin !== undefined && { bin: options.bin }),
      dedupe: options.dedupe ?? false,
      ...(options.recordBatches && { recordBatches: options.recordBatches }),
      maxQueued: options.recordBatches ? MAX_QUEUED_ENCODED : MAX_QUEUED,
      signal: shared,
    };
    this.worker = new Worker(WORKER_FILE, { workerData: data, resourceLimits: WORKER_LIMITS });
    this.worker.on('message', (message: MergeWorkerMessage) => {
      if (message.type === 'merging') {
        options.onMerging?.(message.stats);
        return;
      }
      Object.assign(counts.stats, message.stats);
      Object.assign(counts.binStats, message.binStats);
      if (message.type === 'lines') {
        this.queue.push(message.chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      } else if (message.type === 'batches') {
        this.queue.push(message.batches.map((batch) => EncodedDeliveryBatch.revive(batch)));
      } else {
        Object.assign(counts.dedupeStats, message.dedupeStats);
        this.finished = true;
      }
      if (this.waiting) {
        this.waiting = false;
        options.onLines();
      }
    });
    this.worker.once('error', (error) => this.fail(error));
    this.worker.once('exit', (code) => {
      if (!this.finished) this.fail(new Error(`merge worker exited (code ${code}) before the merge ended`));
    });
  }

  /** True once every line has been taken. */
  get ended(): boolean {
    return this.finished && this.queue.length === 0;
  }

  /** The next chunks of lines (or encoded batches), in order, or undefined when none is here yet (or, see `ended`, at the end). */
  take(): (Buffer | EncodedDeliveryBatch)[] | undefined {
    const chunks = this.queue.shift();
    if (chunks === undefined) {
      this.waiting = !this.finished && !this.failed;
      return undefined;
    }
    Atomics.add(this.signal, 0, 1);
    Atomics.notify(this.signal, 0);
    return chunks;
  }

  /**
   * Tells the worker to stop (an abort, or a failure downstream): one waiting for this thread
   * wakes and throws. The caller still terminates `worker`, and removes tempDir once it has exited.
   */
  stop(): void {
    this.failed = true;
    Atomics.store(this.signal, 1, 1);
    Atomics.notify(this.signal, 0);
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.queue.length = 0;
    this.options.onError(error);
  }
}
