import type { Readable } from 'node:stream';
import type { RecordBatchLayout } from '../kafka/encoded-batches.js';
import type { DeadLetterSink } from '../dead-letter/dead-letter.js';
import type { NdjsonSinkStats } from '../stages/format/delivery-lines.js';
import type { BinnerOptions, BinStats } from '../stages/bin/binner-options.js';
import type { DedupeStats } from '../stages/dedupe/duplicate-filter.js';
import type { InputFormat } from '../stages/parse/row-splitter.js';
import type { ExternalSortOptions, SortStats } from '../stages/sort/external-sorter.js';
import type { ValidateStats } from '../stages/validate/validate-events.js';
import type { SourceProgress } from './file-source.js';
import { ParallelDeliveryLines } from './parallel/parallel-delivery-lines.js';

export interface BinPackOptions {
  /**
   * NDJSON (or a JSON array): file paths, read by offset, or any Readable of bytes, copied into
   * the run directory first (a stream of a whole file, such as fs.createReadStream(path), is
   * read by path instead).
   */
  input: string | readonly string[] | Readable;
  /** Threads that parse, validate and sort parts of the input at once (default `auto`: up to 2, one per core, from 32 MiB). */
  workers?: number | 'auto';
  deadLetters: DeadLetterSink;
  format?: InputFormat;
  maxRowBytes?: number;
  /** memoryBytes: shared by the workers; tempDir: where the private run directory goes. */
  sort?: ExternalSortOptions;
  bin?: BinnerOptions;
  dedupe?: boolean;
  /** What dead letters' positions call a Readable input (default `input`). */
  inputName?: string;
  /**
   * For a KafkaSink (its `recordBatchLayout`): the stream gives EncodedDeliveryBatch objects
   * instead of lines, each batch's records already encoded as Kafka record batches by the
   * merge's thread, so the sink's thread only seals and sends them.
   */
  recordBatches?: RecordBatchLayout;
}

/** Live counters, readable while the stream flows and after it ends. */
export interface BinPackProgress {
  source: SourceProgress;
  validate: ValidateStats;
  sort: SortStats;
  readonly dedupe: DedupeStats;
  readonly bin: BinStats;
  /** Delivery lines and batches pushed. */
  readonly lines: NdjsonSinkStats;
  /** Sort threads started (fewer than asked for an input too small to split). */
  readonly sortWorkers: number;
}

export type BinPackStream = Readable & { readonly progress: BinPackProgress };

/**
 * The whole ordering job as one source stage: NDJSON rows in, delivery lines out, as chunks of
 * `{"delivery_batch":N,"key":…,"value":…}` lines, batch after batch. Worker threads parse,
 * validate and sort parts of the input into runs; one more merges them, bins the events and
 * formats the lines, so no event object reaches this thread. Pipe it to a file or stdout, or
 * to kafkaSink(), which reads the lines back into records; given the sink's recordBatchLayout
 * as `recordBatches`, it gives the sink the batches encoded instead. The CLI runs it on NDJSON
 * input of 32 MiB or more (or with --workers N); it writes the same bytes as parseRows →
 * validateEvents → sortEvents → (dedupeEvents →) binToNdjson, which the CLI runs on one thread.
 */
export function binPack({ input, workers = 'auto', ...options }: BinPackOptions): BinPackStream {
  const lines = new ParallelDeliveryLines(typeof input === 'string' ? [input] : input, { ...options, workers });
  const { source, validate, sort } = lines.progress;
  const progress: BinPackProgress = {
    source,
    validate,
    sort,
    get dedupe() {
      return lines.dedupeStats;
    },
    get bin() {
      return lines.binStats;
    },
    get lines() {
      return lines.stats;
    },
    get sortWorkers() {
      return lines.workerCount;
    },
  };
  return Object.assign(lines, { progress }) as unknown as BinPackStream;
}
