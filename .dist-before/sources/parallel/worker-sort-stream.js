import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { DEFAULT_SORT_MEMORY, ExternalSorter } from '../../stages/sort/external-sorter.js';
import { createTempDir, removeTempDir } from '../../temp/temp-dirs.js';
import { defaultWorkers } from './default-workers.js';
import { firstNonSpaceByte, isStdinAlone } from './input-format.js';
import { PieceLetters } from './piece-letters.js';
import { lineStartFrom, planPieces } from './plan-pieces.js';
import { spoolStdin, spoolStream, wholeFileBehind } from './spool-input.js';
/** Heap of one worker: its events live in an off-heap arena, so little is needed. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };
/**
 * What a worker thread costs beyond its arena (its isolate and its heap while parsing), charged
 * to the sort memory so that two workers stay under 200 MB of peak RSS (bench/README.md).
 */
const WORKER_HEAP_ALLOWANCE = 16 * 1024 * 1024;
const MIN_ARENA_BYTES = 1024 * 1024;
const WORKER_FILE = new URL('./sort-worker.js', import.meta.url);
/**
 * Phase one of a sort over worker threads, as the start of a Readable: each worker parses,
 * validates and sorts a contiguous part of the input (cut at line starts) into run files in an
 * off-heap arena, and writes its dead letters to a file per piece, which this thread copies to
 * the sink in input order. A subclass merges the runs (phase two) into what it emits:
 * ParallelSortedEvents into VisitEvents, ParallelDeliveryLines into delivery lines. Temp files
 * go when the stream ends, fails or is destroyed.
 */
export class WorkerSortStream extends Readable {
    input;
    options;
    progress;
    sorter;
    workerStats = [];
    validateStats = { valid: 0, invalid: 0 };
    workers = [];
    runDir;
    /** Stops copying stdin into the run directory. */
    stopSpooling = new AbortController();
    spooledBytes = 0;
    merging = false;
    phaseOne;
    /**
     * `input`: NDJSON files (or `['-']`, stdin), read by offset; or any Readable of bytes, copied
     * into the run directory first unless it is a file stream from the file's start.
     */
    constructor(input, options, readable) {
        super(readable);
        this.input = input;
        this.options = options;
        this.sorter = new ExternalSorter({
            ...(options.sort?.tempDir !== undefined && { tempDir: options.sort.tempDir }),
            ...(options.sort?.fanIn !== undefined && { fanIn: options.sort.fanIn }),
        });
        const sum = (key) => this.workerStats.reduce((n, s) => n + s[key], 0);
        const spooled = () => this.spooledBytes;
        this.progress = {
            source: {
                get bytesRead() {
                    // A spooled input counts once, as it arrives; the workers then read it again.
                    return spooled() || sum('bytes');
                },
                get rows() {
                    return sum('rows');
                },
                get rejected() {
                    return sum('rejected');
                },
            },
            validate: this.validateStats,
            sort: this.sorter.stats,
        };
    }
    /** Worker threads started: at most options.workers, fewer for an input too small to split. */
    get workerCount() {
        return this.workerStats.length;
    }
    _read() {
        if (this.merging)
            return this.pump();
        // Phase one starts on the first read, not in _construct: a stream still constructing
        // defers destroy(), and an abort must reach the workers at once.
        this.phaseOne ??= this.sortInWorkers().then((runs) => {
            if (this.destroyed)
                return;
            this.workers = [];
            this.sorter.adoptRuns(runs);
            try {
                this.beginMerge(runs);
            }
            catch (error) {
                this.destroy(error);
                return;
            }
            this.merging = true;
            this.pump();
        }, (error) => void this.destroy(error));
    }
    _destroy(error, callback) {
        // Synchronous, so the temp files are gone when the pipeline reports the failure: a worker
        // stops at its next instruction once told to terminate, and the directory is removed again
        // once all have stopped, in case one was opening a run file just then.
        this.stopSpooling.abort();
        const stopped = Promise.all(this.workers.map((worker) => worker.terminate()));
        this.sorter.cleanup();
        const runDir = this.runDir;
        if (runDir) {
            removeTempDir(runDir);
            void stopped.finally(() => removeTempDir(runDir));
        }
        callback(error);
    }
    async sortInWorkers() {
        this.runDir = createTempDir(this.options.sort?.tempDir, 'bin-packer-parallel-');
        const { files, format, names } = await this.inputFiles();
        const size = files.reduce((n, file) => n + file.size, 0);
        // More threads than cores only split the memory budget into slivers and contend for the CPU.
        const workers = this.options.workers === 'auto' ? defaultWorkers(size) : Math.min(this.options.workers, os.availableParallelism());
        // A JSON array cannot be cut at line starts: one worker reads it whole.
        const plan = format === 'array'
            ? [files.map((file) => ({ path: file.path, start: 0, end: file.size, base: 0 }))]
            : planPieces(files, Math.max(1, workers), lineStartFrom);
        let numbered = 0;
        const parts = plan.map((part) => part.map((piece) => ({ ...piece, index: numbered++ })));
        const pieces = parts.flat();
        const letters = new PieceLetters(pieces, this.options.deadLetters, names);
        const budget = (this.options.sort?.memoryBytes ?? DEFAULT_SORT_MEMORY) - WORKER_HEAP_ALLOWANCE * plan.length;
        const arenaBytes = Math.max(MIN_ARENA_BYTES, Math.floor(budget / plan.length));
        const done = parts.map((part, w) => {
            const runDir = path.join(this.runDir, `worker-${w}`);
            mkdirSync(runDir, { mode: 0o700 });
            const data = {
                pieces: part,
                format,
                runDir,
                arenaBytes,
                ...(this.options.maxRowBytes !== undefined && { maxRowBytes: this.options.maxRowBytes }),
            };
            this.workerStats.push({ bytes: 0, rows: 0, rejected: 0 });
            const worker = new Worker(WORKER_FILE, { workerData: data, resourceLimits: WORKER_LIMITS });
            this.workers.push(worker);
            return new Promise((resolve, reject) => {
                worker.on('message', (message) => {
                    try {
                        if (message.type === 'letters')
                            letters.add(message.piece, message.file);
                        else if (message.type === 'progress')
                            this.workerStats[w] = message;
                        else {
                            this.workerStats[w] = { bytes: this.workerStats[w].bytes, rows: message.rows, rejected: message.rejected };
                            this.validateStats.valid += message.valid;
                            this.validateStats.invalid += message.invalid;
                            resolve(message.runs);
                        }
                    }
                    catch (error) {
                        reject(error);
                    }
                });
                worker.once('error', reject);
                worker.once('exit', (code) => reject(new Error(`sort worker ${w} exited (code ${code}) before it was done`)));
            });
        });
        try {
            const [runs] = await Promise.all([Promise.all(done), letters.countLines()]);
            await letters.deliver(this.stopSpooling.signal);
            return runs.flat();
        }
        catch (error) {
            await Promise.all(this.workers.map((worker) => worker.terminate()));
            throw error;
        }
    }
    /**
     * The files the workers read their parts from, by offset. stdin cannot be read that way, so
     * it is first copied into the run directory (private, removed with it): a pass over the input
     * that costs far less than sorting it on one thread. Positions still name `stdin`.
     */
    async inputFiles() {
        const names = new Map();
        const input = this.input;
        if (!(input instanceof Readable) && !isStdinAlone(input)) {
            return { files: input.map((file) => ({ path: file, size: statSync(file).size })), format: 'ndjson', names };
        }
        let file = input instanceof Readable ? wholeFileBehind(input) : undefined;
        if (file !== undefined) {
            input.destroy();
        }
        else {
            file = path.join(this.runDir, input instanceof Readable ? 'input' : 'stdin');
            const fd = openSync(file, 'wx', 0o600);
            try {
                const append = (bytes, length) => {
                    for (let at = 0; at < length;)
                        at += writeSync(fd, bytes, at, length - at);
                    this.spooledBytes += length;
                };
                await (input instanceof Readable ? spoolStream(input, append, this.stopSpooling.signal) : spoolStdin(append, this.stopSpooling.signal));
            }
            finally {
                closeSync(fd);
            }
            names.set(file, input instanceof Readable ? (this.options.inputName ?? 'input') : 'stdin');
        }
        const format = this.options.format !== 'ndjson' && firstNonSpaceByte(file) === 0x5b ? 'array' : 'ndjson';
        return { files: [{ path: file, size: statSync(file).size }], format, names };
    }
}
//# sourceMappingURL=worker-sort-stream.js.map