import type { Writable } from 'node:stream';
import type { DeadLetterSink } from './dead-letter/dead-letter.js';
import type { BatchSink } from './sinks/batch-sink.js';
export type { BatchSink } from './sinks/batch-sink.js';
import { type SourceProgress } from './sources/file-source.js';
import type { BinnerOptions, BinStats } from './stages/bin/binner.js';
import { type DedupeStats } from './stages/dedupe/dedupe-events.js';
import type { InputFormat } from './stages/parse/row-splitter.js';
import type { ExternalSortOptions, SortStats } from './stages/sort/external-sorter.js';
import { type ValidateStats } from './stages/validate/validate-events.js';
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
    sink: {
        readonly batches: number;
        readonly delivered: number;
    };
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
export declare function startFilePipeline(options: FilePipelineOptions): {
    progress: PipelineProgress;
    done: Promise<RunSummary>;
};
/** The run's counts as they stand, complete or not (an interrupted or failed run reports these). */
export declare function countsSoFar(progress: PipelineProgress, deadLettered: number): RunSummary;
/** The final counts of a completed run; they must add up, or the pipeline lost or invented rows. */
export declare function summarize(progress: PipelineProgress, deadLettered: number): RunSummary;
