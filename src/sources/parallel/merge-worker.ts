// Worker thread of the parallel sort's phase two: merges the sorted runs (taking any extra
// passes first), bins the records and formats their delivery lines (MergeToNdjson), and sends
// the lines to the main thread, which only writes them out.
import { parentPort, workerData } from 'node:worker_threads';
import { MergeToNdjson } from '../../stages/format/merge-to-ndjson.js';
import type { NdjsonSinkStats } from '../../stages/format/delivery-lines.js';
import type { BinnerOptions, BinStats } from '../../stages/bin/binner-options.js';
import type { DedupeStats } from '../../stages/dedupe/duplicate-filter.js';
import { ExternalSorter, type SortStats } from '../../stages/sort/external-sorter.js';
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
  | { type: 'merging'; stats: Pick<SortStats, 'spilledRuns' | 'spilledBytes' | 'extraMergePasses'> }
  /** Delivery lines, in order (each chunk's ArrayBuffer is transferred), and the counts so far. */
  | { type: 'lines'; chunks: Uint8Array[]; stats: NdjsonSinkStats; binStats: BinStats }
  | { type: 'end'; stats: NdjsonSinkStats; binStats: BinStats; dedupeStats: DedupeStats };

/** Lines go out once this many bytes are ready (or at the end), not per batch: a batch may hold a few records. */
const MESSAGE_BYTES = 256 * 1024;

function mergeToLines(data: MergeWorkerData, post: (message: MergeWorkerMessage, transfer?: ArrayBuffer[]) => void): void {
  const signal = new Int32Array(data.signal);
  const sorter = new ExternalSorter({ tempDir: data.tempDir, ...(data.fanIn !== undefined && { fanIn: data.fanIn }) });
  try {
    sorter.adoptRuns(data.runs);
    const merge = sorter.mergeRuns(true);
    const { spilledRuns, spilledBytes, extraMergePasses } = sorter.stats;
    post({ type: 'merging', stats: { spilledRuns, spilledBytes, extraMergePasses } });
    const lines = new MergeToNdjson(data.bin, data.dedupe);
    let chunks: Buffer[] = [];
    let bytes = 0;
    let sent = 0;
    const push = (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
    };
    for (;;) {
      const more = lines.step(merge, push);
      if (chunks.length > 0 && (bytes >= MESSAGE_BYTES || !more)) {
        // Backpressure: wait while the main thread has maxQueued messages it has not taken.
        for (let taken = Atomics.load(signal, 0); sent - taken >= data.maxQueued; taken = Atomics.load(signal, 0)) {
          if (Atomics.load(signal, 1) !== 0) throw new Error('merge stopped by the main thread');
          Atomics.wait(signal, 0, taken);
        }
        // Each chunk has an ArrayBuffer of its own (LinePacker's chunks are too large for Buffer's pool).
        post(
          { type: 'lines', chunks, stats: lines.stats, binStats: lines.binStats },
          chunks.map((chunk) => chunk.buffer as ArrayBuffer),
        );
        sent++;
        chunks = [];
        bytes = 0;
      }
      if (!more) break;
    }
    sorter.finishMerge();
    post({ type: 'end', stats: lines.stats, binStats: lines.binStats, dedupeStats: lines.dedupeStats });
  } finally {
    sorter.cleanup();
  }
}

if (parentPort) mergeToLines(workerData as MergeWorkerData, (message, transfer) => parentPort!.postMessage(message, transfer));
