import { closeSync, fstatSync, mkdirSync, openSync, read, ReadStream, readSync, statSync, writeSync } from 'node:fs';
import { Socket, type SocketConstructorOpts } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable, type ReadableOptions } from 'node:stream';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { DeadLetterSink } from '../../dead-letter/dead-letter.js';
import type { VisitEvent } from '../../events.js';
import type { NdjsonSinkStats } from '../../stages/format/delivery-lines.js';
import { emptyBinStats, type BinnerOptions, type BinStats } from '../../stages/bin/binner-options.js';
import type { DedupeStats } from '../../stages/dedupe/duplicate-filter.js';
import { hasByteOrderMark, isSpace, type InputFormat } from '../../stages/parse/row-splitter.js';
import { DEFAULT_SORT_MEMORY, ExternalSorter, type SortStats } from '../../stages/sort/external-sorter.js';
import { pushFrom } from '../../stages/sort/push-from.js';
import type { ValidateStats } from '../../stages/validate/validate-events.js';
import { createTempDir, removeTempDir } from '../../temp/temp-dirs.js';
import type { SourceProgress } from '../file-source.js';
import { MergeInWorker, type MergeCounts } from './merge-in-worker.js';
import { PieceLetters } from './piece-letters.js';
import { planPieces } from './plan-pieces.js';
import type { SortedRun, SortWorkerData, SortWorkerMessage } from './sort-worker.js';

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
   * Sort memory for all workers together (default 64 MiB): each worker's own heap is paid
   * from it (WORKER_HEAP_ALLOWANCE), and the rest is split equally among their arenas.
   */
  memoryBytes?: number;
  /** Parent of the private run directory (default the OS temp dir). */
  tempDir?: string;
  fanIn?: number;
  /** What dead letters' positions call a Readable input (default `input`). */
  inputName?: string;
}

export interface ParallelSortProgress {
  source: SourceProgress;
  validate: ValidateStats;
  sort: SortStats;
}

/** Heap of one worker: its events live in an off-heap arena, so little is needed. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };
/**
 * What a worker thread costs beyond its arena (its isolate and its heap while parsing), charged
 * to the sort memory so that two workers stay under 200 MB of peak RSS (bench/README.md).
 */
const WORKER_HEAP_ALLOWANCE = 16 * 1024 * 1024;
const MIN_ARENA_BYTES = 1024 * 1024;
const WORKER_FILE = new URL('./sort-worker.js', import.meta.url);
const SPOOL_BLOCK = 1024 * 1024;
const readAsync = promisify(read);

/**
 * True when `paths` can be split among workers: regular files of NDJSON (by `format`, or for
 * `auto` by their first non-space byte not being `[`), or stdin alone (spooled first). JSON
 * array files, and several inputs that include stdin, are read by one thread.
 */
export function canSortInParallel(paths: string[], format: InputFormat = 'auto'): boolean {
  if (format === 'array' || paths.length === 0) return false;
  // stdin alone is spooled into the run directory first (see ParallelSortedEvents).
  if (isStdinAlone(paths)) return true;
  for (const file of paths) {
    if (file === '-') return false;
    try {
      if (!statSync(file).isFile()) return false;
    } catch {
      return false;
    }
    if (format === 'auto' && firstNonSpaceByte(file) === 0x5b) return false;
  }
  return true;
}

/**
 * Files → VisitEvents in (visit_id, instant, arrival) order, with the first half of the work
 * spread over worker threads: each parses, validates and sorts a contiguous part of the input
 * (cut at line starts) into run files in an off-heap arena; this thread then merges every run.
 * The same events, order and dead letters as parse → validate → sort on one thread, except that
 * dead letters of different parts may interleave (each names its line and offset), and that
 * arrival order (`seq`) counts bytes rather than rows. Temp files go when the stream ends,
 * fails or is destroyed.
 */
export class ParallelSortedEvents extends Readable {
  readonly progress: ParallelSortProgress;
  protected readonly sorter: ExternalSorter;
  private readonly workerStats: { bytes: number; rows: number; rejected: number }[] = [];
  private readonly validateStats: ValidateStats = { valid: 0, invalid: 0 };
  protected workers: Worker[] = [];
  protected runDir: string | undefined;
  /** Stops copying stdin into the run directory. */
  private readonly stopSpooling = new AbortController();
  private spooledBytes = 0;
  private sorted: Iterator<VisitEvent> | undefined;
  private merging = false;
  private phaseOne: Promise<void> | undefined;

  /**
   * `input`: NDJSON files (or `['-']`, stdin), read by offset; or any Readable of bytes, copied
   * into the run directory first unless it is a file stream from the file's start.
   */
  constructor(
    private readonly input: readonly string[] | Readable,
    protected readonly options: ParallelSortOptions,
    readable: ReadableOptions = { objectMode: true, highWaterMark: 256 },
  ) {
    super(readable);
    this.sorter = new ExternalSorter({
      ...(options.tempDir !== undefined && { tempDir: options.tempDir }),
      ...(options.fanIn !== undefined && { fanIn: options.fanIn }),
    });
    const sum = (key: 'bytes' | 'rows' | 'rejected') => this.workerStats.reduce((n, s) => n + s[key], 0);
    const spooled = () => this.spooledBytes;
    this.progress = {
      source: {
        get bytesRead() {
          // Spooled stdin counts once, as it arrives; the workers then read it again.
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
  get workerCount(): number {
    return this.workerStats.length;
  }

  override _read(): void {
    if (this.merging) return this.pump();
    // Phase one starts on the first read, not in _construct: a stream still constructing
    // defers destroy(), and an abort must reach the workers at once.
    this.phaseOne ??= this.sortInWorkers().then(
      (runs) => {
        if (this.destroyed) return;
        this.workers = [];
        this.sorter.adoptRuns(runs);
        try {
          this.beginMerge(runs);
        } catch (error) {
          this.destroy(error as Error);
          return;
        }
        this.merging = true;
        this.pump();
      },
      (error: Error) => void this.destroy(error),
    );
  }

  /** Phase two starts: every run is on disk, and adopted by `sorter`. */
  protected beginMerge(_runs: SortedRun[]): void {
    this.sorted = this.sorter.sorted();
  }

  /** Pushes phase two's output until the buffer is full or it ends. */
  protected pump(): void {
    pushFrom(this, this.sorted!);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
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

  private async sortInWorkers(): Promise<SortedRun[]> {
    this.runDir = createTempDir(this.options.tempDir, 'bin-packer-parallel-');
    const { files, format, names } = await this.inputFiles();
    const size = files.reduce((n, file) => n + file.size, 0);
    // More threads than cores only split the memory budget into slivers and contend for the CPU.
    const workers = this.options.workers === 'auto' ? defaultWorkers(size) : Math.min(this.options.workers, os.availableParallelism());
    // A JSON array cannot be cut at line starts: one worker reads it whole.
    const plan =
      format === 'array'
        ? [files.map((file) => ({ path: file.path, start: 0, end: file.size, base: 0 }))]
        : planPieces(files, Math.max(1, workers), lineStartFrom);
    let numbered = 0;
    const parts = plan.map((part) => part.map((piece) => ({ ...piece, index: numbered++ })));
    const pieces = parts.flat();
    const letters = new PieceLetters(pieces, this.options.deadLetters, names);
    const budget = (this.options.memoryBytes ?? DEFAULT_SORT_MEMORY) - WORKER_HEAP_ALLOWANCE * plan.length;
    const memoryBytes = Math.max(MIN_ARENA_BYTES, Math.floor(budget / plan.length));
    const done = parts.map((part, w) => {
      const runDir = path.join(this.runDir!, `worker-${w}`);
      mkdirSync(runDir, { mode: 0o700 });
      const data: SortWorkerData = {
        pieces: part,
        format,
        runDir,
        memoryBytes,
        ...(this.options.maxRowBytes !== undefined && { maxRowBytes: this.options.maxRowBytes }),
      };
      this.workerStats.push({ bytes: 0, rows: 0, rejected: 0 });
      const worker = new Worker(WORKER_FILE, { workerData: data, resourceLimits: WORKER_LIMITS });
      this.workers.push(worker);
      return new Promise<SortedRun[]>((resolve, reject) => {
        worker.on('message', (message: SortWorkerMessage) => {
          try {
            if (message.type === 'letters') letters.add(message.piece, message.file);
            else if (message.type === 'progress') this.workerStats[w] = message;
            else {
              this.workerStats[w] = { bytes: this.workerStats[w]!.bytes, rows: message.rows, rejected: message.rejected };
              this.validateStats.valid += message.valid;
              this.validateStats.invalid += message.invalid;
              resolve(message.runs);
            }
          } catch (error) {
            reject(error as Error);
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
    } catch (error) {
      await Promise.all(this.workers.map((worker) => worker.terminate()));
      throw error;
    }
  }

  /**
   * The files the workers read their parts from, by offset. stdin cannot be read that way, so
   * it is first copied into the run directory (private, removed with it): a pass over the input
   * that costs far less than sorting it on one thread. Positions still name `stdin`.
   */
  private async inputFiles(): Promise<{ files: { path: string; size: number }[]; format: 'ndjson' | 'array'; names: Map<string, string> }> {
    const names = new Map<string, string>();
    const input = this.input;
    if (!(input instanceof Readable) && !isStdinAlone(input)) {
      return { files: input.map((file) => ({ path: file, size: statSync(file).size })), format: 'ndjson', names };
    }
    let file = input instanceof Readable ? wholeFileBehind(input) : undefined;
    if (file !== undefined) {
      (input as Readable).destroy();
    } else {
      file = path.join(this.runDir!, input instanceof Readable ? 'input' : 'stdin');
      const fd = openSync(file, 'wx', 0o600);
      try {
        await (input instanceof Readable ? this.spoolStream(fd, input) : this.spoolStdin(fd));
      } finally {
        closeSync(fd);
      }
      names.set(file, input instanceof Readable ? (this.options.inputName ?? 'input') : 'stdin');
    }
    const format = this.options.format !== 'ndjson' && firstNonSpaceByte(file) === 0x5b ? 'array' : 'ndjson';
    return { files: [{ path: file, size: statSync(file).size }], format, names };
  }

  private appendTo(fd: number): (bytes: Buffer, length: number) => void {
    return (bytes, length) => {
      for (let at = 0; at < length;) at += writeSync(fd, bytes, at, length - at);
      this.spooledBytes += length;
    };
  }

  /** Copies a Readable to `fd`; an abort destroys it, so a silent source cannot hold the run. */
  private async spoolStream(fd: number, source: Readable): Promise<void> {
    const signal = this.stopSpooling.signal;
    const append = this.appendTo(fd);
    const abort = () => source.destroy();
    signal.addEventListener('abort', abort, { once: true });
    try {
      for await (const chunk of source as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        append(bytes, bytes.length);
      }
    } finally {
      signal.removeEventListener('abort', abort);
    }
    signal.throwIfAborted();
  }

  /**
   * Copies stdin to `fd`, through one reused block where stdin allows: as a stream, each 64 KiB
   * chunk is a new Buffer, and those not yet collected when the workers start raise peak RSS
   * (bench/README.md). A pipe is read with a socket
   * that an abort can destroy, so Ctrl-C ends the run even while the writer is silent.
   */
  private async spoolStdin(fd: number): Promise<void> {
    const signal = this.stopSpooling.signal;
    const append = this.appendTo(fd);
    const stdin = fstatSync(0);
    if (stdin.isFile()) {
      const block = Buffer.allocUnsafe(SPOOL_BLOCK);
      for (;;) {
        signal.throwIfAborted();
        const { bytesRead } = await readAsync(0, block, 0, block.length, null);
        if (bytesRead === 0) return;
        append(block, bytesRead);
      }
    }
    if (stdin.isFIFO() || stdin.isSocket()) return readPipe(append, signal);
    // A terminal or another device: an abort destroys the stream, so a silent source cannot hold the run.
    return this.spoolStream(fd, process.stdin);
  }
}

/**
 * Files → NDJSON delivery lines: ParallelSortedEvents whose final merge, binning and line
 * formatting (MergeToNdjson) run together on a worker thread of their own (MergeInWorker),
 * with the same bytes out as sortFilesInParallel() → (dedupeEvents() →) binToNdjson() and no
 * event object in between. This thread only hands the lines on to whatever writes them.
 */
export class ParallelDeliveryLines extends ParallelSortedEvents {
  private merge: MergeInWorker | undefined;
  private readonly lineOptions: { bin?: BinnerOptions; dedupe?: boolean };
  /** Filled in by the merge. */
  private readonly counts: MergeCounts = {
    stats: { batches: 0, delivered: 0 },
    binStats: emptyBinStats(),
    dedupeStats: { duplicates: 0 },
  };

  constructor(input: readonly string[] | Readable, options: ParallelSortOptions & { bin?: BinnerOptions; dedupe?: boolean }) {
    super(input, options, { objectMode: false });
    this.lineOptions = { bin: options.bin, dedupe: options.dedupe };
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

  protected override beginMerge(runs: SortedRun[]): void {
    this.sorter.stats.phase = 'merging';
    this.merge = new MergeInWorker(runs, this.counts, {
      ...this.lineOptions,
      tempDir: this.runDir!,
      ...(this.options.fanIn !== undefined && { fanIn: this.options.fanIn }),
      onLines: () => this.pump(),
      onError: (error) => this.destroy(error),
      onMerging: (stats) => Object.assign(this.sorter.stats, stats),
    });
    this.workers.push(this.merge.worker);
  }

  protected override pump(): void {
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

/** parse → validate → sort over worker threads; see ParallelSortedEvents. */
export function sortFilesInParallel(paths: string[], options: ParallelSortOptions): ParallelSortedEvents {
  return new ParallelSortedEvents(paths, options);
}

/** The first line start at or after `at` in `file`, or its size. */
function lineStartFrom(file: string, at: number): number {
  if (at <= 0) return 0;
  const fd = openSync(file, 'r');
  try {
    const block = Buffer.allocUnsafe(64 * 1024);
    for (let position = at - 1; ; position += block.length) {
      const read = readSync(fd, block, 0, block.length, position);
      const newline = block.subarray(0, read).indexOf(0x0a);
      if (newline !== -1) return position + newline + 1;
      if (read < block.length) return position + read;
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads the pipe on fd 0 to its end into one reused block, handing each read to `append`. */
function readPipe(append: (bytes: Buffer, length: number) => void, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    // `onread` is a documented option of the Socket constructor that @types/node lists only for connect().
    const socket = new Socket({
      fd: 0,
      readable: true,
      writable: false,
      onread: {
        buffer: Buffer.allocUnsafe(SPOOL_BLOCK),
        callback: (length: number, block: Buffer) => {
          try {
            append(block, length);
          } catch (error) {
            socket.destroy(error as Error);
          }
          return true;
        },
      },
    } as SocketConstructorOpts);
    const abort = () => socket.destroy(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    const settle = (error?: Error) => {
      signal.removeEventListener('abort', abort);
      if (error) reject(error);
      else resolve();
    };
    socket.once('end', () => settle());
    socket.once('error', settle);
  });
}

/**
 * The path of a file stream that has read nothing yet and covers its whole regular file: the
 * workers can read that file by offset, with no copy.
 */
function wholeFileBehind(source: Readable): string | undefined {
  if (!(source instanceof ReadStream) || typeof source.path !== 'string' || source.bytesRead > 0 || source.readableDidRead) return undefined;
  const range = source as unknown as { start?: number; end?: number };
  if ((range.start ?? 0) !== 0 || (range.end !== undefined && range.end !== Infinity)) return undefined;
  try {
    return statSync(source.path).isFile() ? source.path : undefined;
  } catch {
    return undefined;
  }
}

function isStdinAlone(paths: readonly string[]): boolean {
  return paths.length === 1 && paths[0] === '-';
}

function firstNonSpaceByte(file: string): number | undefined {
  const fd = openSync(file, 'r');
  try {
    const block = Buffer.allocUnsafe(4096);
    let position = 0;
    for (;;) {
      const read = readSync(fd, block, 0, block.length, position);
      if (read === 0) return undefined;
      for (let i = position === 0 && hasByteOrderMark(block) ? 3 : 0; i < read; i++) {
        if (!isSpace(block[i]!)) return block[i];
      }
      position += read;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Worker threads worth starting for `bytes` of input: one per core up to 2, none below 32 MiB,
 * where starting them costs more than they save (break-even measured in bench/README.md).
 */
export function defaultWorkers(bytes: number): number {
  return bytes >= 32 * 1024 * 1024 ? Math.min(2, os.availableParallelism()) : 1;
}
