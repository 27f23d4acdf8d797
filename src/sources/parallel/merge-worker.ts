// Worker thread of the parallel sort's phase two: merges the sorted runs (taking any extra
// passes first), bins the records and formats their delivery lines (MergeToNdjson), and sends
// the lines to the main thread, which only writes them out; or, for a Kafka sink, the batches'
// records encoded for Kafka (DeliveryLineEncoder), which that thread only seals and sends.
import { parentPort, workerData } from 'node:worker_threads';
import { DeliveryLineEncoder, EncodedDeliveryBatch, type RecordBatchLayout } from '../../kafka/encoded-batches.js';
import { ChunkPool } from '../../stages/format/chunk-pool.js';
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
  /** Send the delivery batches as Kafka record batches laid out so, instead of lines. */
  recordBatches?: RecordBatchLayout;
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
  /** Delivery batches encoded for Kafka, in order (each part's ArrayBuffer is transferred). */
  | { type: 'batches'; batches: EncodedDeliveryBatch[]; stats: NdjsonSinkStats; binStats: BinStats }
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
    // Lines encoded here never leave this thread: their chunks are reused.
    const pool = data.recordBatches && new ChunkPool();
    const lines = new MergeToNdjson(data.bin, data.dedupe, pool?.take);
    const encoder = data.recordBatches && new DeliveryLineEncoder(data.recordBatches);
    let chunks: Buffer[] = [];
    let bytes = 0;
    let sent = 0;
    const push = (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
    };
    // Backpressure: wait while the main thread has maxQueued messages it has not taken.
    const postWhenRoom = (message: MergeWorkerMessage, transfer: ArrayBuffer[]) => {
      for (let taken = Atomics.load(signal, 0); sent - taken >= data.maxQueued; taken = Atomics.load(signal, 0)) {
        if (Atomics.load(signal, 1) !== 0) throw new Error('merge stopped by the main thread');
        Atomics.wait(signal, 0, taken);
      }
      post(message, transfer);
      sent++;
    };
    let batches: EncodedDeliveryBatch[] = [];
    let batchBytes = 0;
    const postBatches = () => {
      postWhenRoom({ type: 'batches', batches, stats: lines.stats, binStats: lines.binStats }, EncodedDeliveryBatch.transferList(batches));
      batches = [];
      batchBytes = 0;
    };
    for (;;) {
      const more = lines.step(merge, push);
      if (chunks.length > 0 && (bytes >= MESSAGE_BYTES || !more)) {
        if (encoder) {
          // The chunks hold whole batches (LinePacker hands a batch out once it is complete),
          // up to the binner's 32 MiB of open batches at the end: encoded and sent a few at a
          // time, so that no more than a message's worth of encoded bytes waits beside them.
          encoder.encode(chunks, (batch) => {
            batches.push(batch);
            batchBytes += batch.bytes;
            if (batchBytes >= MESSAGE_BYTES) postBatches();
          });
          if (batches.length > 0) postBatches();
          pool!.release(chunks);
        } else {
          // Each chunk has an ArrayBuffer of its own (LinePacker's chunks are too large for Buffer's pool).
          postWhenRoom(
            { type: 'lines', chunks, stats: lines.stats, binStats: lines.binStats },
            chunks.map((chunk) => chunk.buffer as ArrayBuffer),
          );
        }
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
