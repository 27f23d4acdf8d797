import { statSync } from 'node:fs';
import type { Stream, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeadLetterLimit } from './dead-letter/dead-letter-limit.js';
import type { DeadLetterSink } from './dead-letter/dead-letter.js';
import type { BatchSink } from './sinks/batch-sink.js';
import { binToNdjson } from './sinks/bin-to-ndjson.js';

export type { BatchSink } from './sinks/batch-sink.js';
import { WrittenLines } from './sinks/written-lines.js';
import { readRowsFromFiles, type SourceProgress } from './sources/file-source.js';
import { binPack } from './sources/bin-pack.js';
import { defaultWorkers } from './sources/parallel/default-workers.js';
import { canSortInParallel } from './sources/parallel/input-format.js';
import { sortFilesInParallel } from './sources/parallel/sorted-events.js';
import type { ParallelSortOptions } from './sources/parallel/worker-sort-stream.js';
import { binEvents } from './stages/bin/bin-events.js';
import type { BinnerOptions, BinStats } from './stages/bin/binner.js';
import { dedupeEvents, type DedupeStats } from './stages/dedupe/dedupe-events.js';
import type { InputFormat } from './stages/parse/row-splitter.js';
import { parseEventRow } from './stages/parse/scan-event-fields.js';
import type { ExternalSortOptions, SortStats } from './stages/sort/external-sorter.js';
import { sortEvents } from './stages/sort/sort-events.js';
import { validateEvents, type ValidateStats } from './stages/validate/validate-events.js';

export interface FilePipelineOptions {
  /** Paths to read one after another; '-' is stdin. */
  inputs: string[];
  /** Receives the NDJSON delivery lines (the embedded default sink)... */
  output?: Writable;
  /** ...or a Writable of DeliveryBatches with delivery counters, such as the Kafka sink. */
  sink?: BatchSink;
  deadLetters: DeadLetterSink;
  /** Fail as soon as more rows than this are dead-lettered. */
  maxInvalid?: number;
  dedupe?: boolean;
  format?: InputFormat;
  maxRowBytes?: number;
  sort?: ExternalSortOptions;
  /**
   * Threads that parse, validate and sort parts of the input at once (default 1; `auto`:
   * defaultWorkers() of the input's size). Used when every input is a regular NDJSON file, or
   * the input is stdin alone (copied into the run directory first); JSON array files and
   * several inputs that include stdin are read by one thread.
   */
  workers?: number | 'auto';
  bin?: BinnerOptions;
  signal?: AbortSignal;
}

/** Live counters of every stage, readable while the run goes (progress) and after it (summary). */
export interface PipelineProgress {
  source: SourceProgress;
  validate: ValidateStats;
  sort: SortStats;
  dedupe: DedupeStats;
  bin: BinStats;
  sink: { readonly batches: number; readonly delivered: number };
  /** Threads that parsed, validated and sorted (1 unless the input could be split among workers). */
  sortWorkers: number;
}

export interface RunSummary {
  /** Rows read: delivered + deadLettered + deduplicated. */
  read: number;
  delivered: number;
  deadLettered: number;
  deduplicated: number;
  visits: number;
  longestVisit: number;
  batches: number;
  batchLowerBound: number;
  spillRuns: number;
  spilledBytes: number;
  extraMergePasses: number;
}

/**
 * The file job: read → parse → validate → external sort → (dedupe) → bin → NDJSON sink,
 * joined with stream.pipeline so errors and aborts reach every stage and temp files go.
 */
export function startFilePipeline(options: FilePipelineOptions): { progress: PipelineProgress; done: Promise<RunSummary> } {
  const deadLetters = options.maxInvalid === undefined ? options.deadLetters : new DeadLetterLimit(options.deadLetters, options.maxInvalid);
  if (!options.sink === !options.output) throw new Error('give the pipeline either an output stream or a batch sink');
  const workers = resolveWorkers(options.inputs, options.workers ?? 1);
  const parallel = workers !== 1 && canSortInParallel(options.inputs, options.format);
  const sortOptions = parallel ? parallelSortOptions(options, deadLetters, workers) : undefined;
  const linesOut = options.output !== undefined || options.sink?.acceptsDeliveryLines === true;
  // Delivered lines are the ones the output confirmed written, not the ones handed to it.
  const written = options.output && new WrittenLines(options.output);
  const staged = { ...options, ...(written && { output: written }) };
  const { streams, progress } = sortOptions && linesOut ? parallelLines(staged, sortOptions) : composedStages(staged, deadLetters, sortOptions);
  if (written) {
    const lines = progress.sink;
    progress.sink = {
      get batches() {
        return lines.batches;
      },
      get delivered() {
        return written.stats.delivered;
      },
    };
  }
  const done = (pipeline as (...streams: unknown[]) => Promise<void>)(...streams, options.signal ? { signal: options.signal } : {}).then(() =>
    summarize(progress, deadLetters.count),
  );
  return { progress, done };
}

/** One stream per stage: head (parse, validate, sort), optional dedupe, binner, sink. */
function composedStages(
  options: FilePipelineOptions,
  deadLetters: DeadLetterSink,
  sortOptions: ParallelSortOptions | undefined,
): { streams: Stream[]; progress: PipelineProgress } {
  const head = sortOptions ? parallelHead(options.inputs, sortOptions) : singleThreadHead(options, deadLetters);
  const dedupe = options.dedupe ? dedupeEvents() : undefined;
  const tail = deliveryTail(options);
  const progress: PipelineProgress = {
    source: head.progress.source,
    validate: head.progress.validate,
    sort: head.progress.sort,
    // A getter, not a copy: the workers are counted once they start.
    get sortWorkers() {
      return head.progress.sortWorkers;
    },
    dedupe: dedupe?.stats ?? { duplicates: 0 },
    bin: tail.bin,
    sink: tail.sink,
  };
  return { streams: [...head.streams, ...(dedupe ? [dedupe] : []), ...tail.streams], progress };
}

/**
 * binPack(): worker threads sort, then the merge writes delivery lines record by record: the
 * same bytes as the composed stages, without an event object between sort and output. Used for
 * NDJSON output and for a sink that reads delivery lines (KafkaSink), or takes them encoded
 * as Kafka record batches (its recordBatchLayout).
 */
function parallelLines(options: FilePipelineOptions, sortOptions: ParallelSortOptions): { streams: Stream[]; progress: PipelineProgress } {
  const recordBatches = options.sink?.recordBatchLayout;
  const lines = binPack({
    input: options.inputs,
    ...sortOptions,
    ...(options.bin && { bin: options.bin }),
    ...(options.dedupe && { dedupe: true }),
    ...(recordBatches && { recordBatches }),
  });
  const packed = lines.progress;
  const progress: PipelineProgress = {
    source: packed.source,
    validate: packed.validate,
    sort: packed.sort,
    get sortWorkers() {
      return packed.sortWorkers;
    },
    dedupe: packed.dedupe,
    bin: packed.bin,
    sink: options.sink?.stats ?? packed.lines,
  };
  return { streams: [lines, options.sink ?? options.output!], progress };
}

/** The stages from sorted events to the destination, and their counters. */
function deliveryTail(options: FilePipelineOptions): { streams: Stream[]; bin: BinStats; sink: BatchSink['stats'] } {
  if (options.sink) {
    const bin = binEvents(options.bin);
    return { streams: [bin, options.sink], bin: bin.stats, sink: options.sink.stats };
  }
  // Same bytes as binEvents() into ndjsonSink(), without holding events in open batches.
  const lines = binToNdjson(options.bin);
  return { streams: [lines, options.output!], bin: lines.binStats, sink: lines.stats };
}

/** The stages from files to sorted events, and their counters. */
interface PipelineHead {
  streams: Stream[];
  progress: Pick<PipelineProgress, 'source' | 'validate' | 'sort' | 'sortWorkers'>;
}

function singleThreadHead(options: FilePipelineOptions, deadLetters: DeadLetterSink): PipelineHead {
  const source = readRowsFromFiles(options.inputs, {
    deadLetters,
    // Validation needs visit_id and event_time only: scanned, not JSON.parsed (see scanEventFields).
    parse: parseEventRow,
    ...(options.maxRowBytes !== undefined && { maxRowBytes: options.maxRowBytes }),
    ...(options.format !== undefined && { format: options.format }),
  });
  const validate = validateEvents({ deadLetters });
  const sort = sortEvents(options.sort);
  return { streams: [source, validate, sort], progress: { source: source.progress, validate: validate.stats, sort: sort.stats, sortWorkers: 1 } };
}

function parallelHead(inputs: string[], sortOptions: ParallelSortOptions): PipelineHead {
  const sorted = sortFilesInParallel(inputs, sortOptions);
  const { source, validate, sort } = sorted.progress;
  return {
    streams: [sorted],
    progress: {
      source,
      validate,
      sort,
      get sortWorkers() {
        return sorted.workerCount;
      },
    },
  };
}

/** `auto` becomes a count from the files' size; for stdin alone it is decided once stdin is spooled. */
function resolveWorkers(inputs: string[], workers: number | 'auto'): number | 'auto' {
  if (workers !== 'auto') return workers;
  if (inputs.length === 1 && inputs[0] === '-') return 'auto';
  if (inputs.includes('-')) return 1;
  return defaultWorkers(inputs.reduce((n, file) => n + statSync(file).size, 0));
}

function parallelSortOptions(options: FilePipelineOptions, deadLetters: DeadLetterSink, workers: number | 'auto'): ParallelSortOptions {
  return {
    workers,
    ...(options.format !== undefined && { format: options.format }),
    deadLetters,
    ...(options.maxRowBytes !== undefined && { maxRowBytes: options.maxRowBytes }),
    ...(options.sort && { sort: options.sort }),
  };
}

/** The run's counts as they stand, complete or not (an interrupted or failed run reports these). */
export function countsSoFar(progress: PipelineProgress, deadLettered: number): RunSummary {
  return {
    read: progress.source.rows + progress.source.rejected,
    delivered: progress.sink.delivered,
    deadLettered,
    deduplicated: progress.dedupe.duplicates,
    visits: progress.bin.visits,
    longestVisit: progress.bin.longestVisit,
    batches: progress.bin.batches,
    batchLowerBound: progress.bin.lowerBound,
    spillRuns: progress.sort.spilledRuns,
    spilledBytes: progress.sort.spilledBytes,
    extraMergePasses: progress.sort.extraMergePasses,
  };
}

/** The final counts of a completed run; they must add up, or the pipeline lost or invented rows. */
export function summarize(progress: PipelineProgress, deadLettered: number): RunSummary {
  const summary = countsSoFar(progress, deadLettered);
  if (summary.read !== summary.delivered + summary.deadLettered + summary.deduplicated) {
    throw new Error(
      `counts do not add up: read ${summary.read} ≠ delivered ${summary.delivered} + dead-lettered ${summary.deadLettered} + deduplicated ${summary.deduplicated}`,
    );
  }
  return summary;
}
