import { Readable, type ReadableOptions } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { DeadLetterSink } from '../../dead-letter/dead-letter.js';
import type { InputFormat } from '../../stages/parse/row-splitter.js';
import { ExternalSorter, type ExternalSortOptions, type SortStats } from '../../stages/sort/external-sorter.js';
import type { ValidateStats } from '../../stages/validate/validate-events.js';
import type { SourceProgress } from '../file-source.js';
import type { SortedRun } from './sort-worker.js';
export interface ParallelSortOptions {
    /**
     * Threads that parse, validate and sort at once (each takes a contiguous part of the input);
     * `auto` is defaultWorkers() of the input's size, known for stdin once it is spooled. A count
     * above the machine's cores (os.availableParallelism()) is capped at it.
     */
    workers: number | 'auto';
    /** The input format; `array` (or a stdin that turns out to hold one) is read by one worker. */
    format?: InputFormat;
    deadLetters: DeadLetterSink;
    maxRowBytes?: number;
    /**
     * The sort's budget and run files, as for sortEvents(). memoryBytes is for all workers together
     * (default 64 MiB): each worker's own heap is paid from it (WORKER_HEAP_ALLOWANCE), and the
     * rest is split equally among their arenas.
     */
    sort?: ExternalSortOptions;
    /** What dead letters' positions call a Readable input (default `input`). */
    inputName?: string;
}
export interface ParallelSortProgress {
    source: SourceProgress;
    validate: ValidateStats;
    sort: SortStats;
}
/**
 * Phase one of a sort over worker threads, as the start of a Readable: each worker parses,
 * validates and sorts a contiguous part of the input (cut at line starts) into run files in an
 * off-heap arena, and writes its dead letters to a file per piece, which this thread copies to
 * the sink in input order. A subclass merges the runs (phase two) into what it emits:
 * ParallelSortedEvents into VisitEvents, ParallelDeliveryLines into delivery lines. Temp files
 * go when the stream ends, fails or is destroyed.
 */
export declare abstract class WorkerSortStream extends Readable {
    private readonly input;
    protected readonly options: ParallelSortOptions;
    readonly progress: ParallelSortProgress;
    protected readonly sorter: ExternalSorter;
    private readonly workerStats;
    private readonly validateStats;
    protected workers: Worker[];
    protected runDir: string | undefined;
    /** Stops copying stdin into the run directory. */
    private readonly stopSpooling;
    private spooledBytes;
    private merging;
    private phaseOne;
    /**
     * `input`: NDJSON files (or `['-']`, stdin), read by offset; or any Readable of bytes, copied
     * into the run directory first unless it is a file stream from the file's start.
     */
    constructor(input: readonly string[] | Readable, options: ParallelSortOptions, readable: ReadableOptions);
    /** Worker threads started: at most options.workers, fewer for an input too small to split. */
    get workerCount(): number;
    _read(): void;
    /** Phase two starts: every run is on disk, and adopted by `sorter`. */
    protected abstract beginMerge(runs: SortedRun[]): void;
    /** Pushes phase two's output until the buffer is full or it ends. */
    protected abstract pump(): void;
    _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
    private sortInWorkers;
    /**
     * The files the workers read their parts from, by offset. stdin cannot be read that way, so
     * it is first copied into the run directory (private, removed with it): a pass over the input
     * that costs far less than sorting it on one thread. Positions still name `stdin`.
     */
    private inputFiles;
}
