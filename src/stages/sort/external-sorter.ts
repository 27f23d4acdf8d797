import { rmSync } from 'node:fs';
import path from 'node:path';
import { StoredEvent, type VisitEvent } from '../../events.js';
import { createTempDir, removeTempDir } from '../../temp/temp-dirs.js';
import { RunCursor, RunFileWriter, RunMerge, writeRun } from './run-file.js';
import { visitOrder } from './visit-order.js';

export interface ExternalSortOptions {
  /** Budget for buffered events, estimated from their sizes (default 64 MiB). */
  memoryBytes?: number;
  /** Parent of the private run directory (default the OS temp dir). */
  tempDir?: string;
  /** Most runs merged at once; more runs take extra merge passes (default 64). */
  fanIn?: number;
}

export interface SortStats {
  phase: 'reading' | 'merging' | 'done';
  events: number;
  /** Sorted runs written to disk, including intermediate merge passes' outputs. */
  spilledRuns: number;
  spilledBytes: number;
  /** Merge passes before the final one (0 when the runs fit the fan-in). */
  extraMergePasses: number;
}

export const DEFAULT_SORT_MEMORY = 64 * 1024 * 1024;
const DEFAULT_FAN_IN = 64;
/**
 * Read blocks of all the runs one merge reads at once, together: 256 KiB per run up to 32 runs,
 * smaller blocks beyond (down to 64 KiB), so that memory does not grow with the number of runs.
 */
const MERGE_READ_BYTES = 8 * 1024 * 1024;
const MIN_READ_BLOCK = 64 * 1024;
const MAX_READ_BLOCK = 256 * 1024;

function openRuns(runs: string[], reuseBlocks: boolean): RunCursor[] {
  const block = Math.min(MAX_READ_BLOCK, Math.max(MIN_READ_BLOCK, Math.floor(MERGE_READ_BYTES / runs.length)));
  return runs.map((run) => new RunCursor(run, reuseBlocks, block));
}
/** Object, two string headers and array slot of a buffered event, beyond its characters. */
const EVENT_OVERHEAD_BYTES = 160;

/**
 * External merge sort by (visit_id, instant, arrival): buffers events up to a memory budget,
 * spills each full buffer as a sorted binary run into a private temp directory, and merges
 * the runs with a heap, in several passes when they outnumber the fan-in, so open files and
 * memory stay bounded whatever the input size. add() everything, then iterate sorted() once;
 * cleanup() removes the temp files (sorted() does too when it completes).
 */
export class ExternalSorter {
  readonly stats: SortStats = { phase: 'reading', events: 0, spilledRuns: 0, spilledBytes: 0, extraMergePasses: 0 };
  private readonly memoryBytes: number;
  private readonly fanIn: number;
  private buffer: VisitEvent[] = [];
  private bufferedBytes = 0;
  private runs: string[] = [];
  private dir: string | undefined;
  private cursors: RunCursor[] = [];

  constructor(private readonly options: ExternalSortOptions = {}) {
    this.memoryBytes = options.memoryBytes ?? DEFAULT_SORT_MEMORY;
    this.fanIn = Math.max(2, options.fanIn ?? DEFAULT_FAN_IN);
  }

  add(event: VisitEvent): void {
    this.buffer.push(event);
    this.stats.events++;
    this.bufferedBytes +=
      (event instanceof StoredEvent ? event.byteLength : (event.bytes?.length ?? event.text.length)) + event.visitId.length + EVENT_OVERHEAD_BYTES;
    if (this.bufferedBytes >= this.memoryBytes) this.spill();
  }

  /**
   * Takes over sorted run files written elsewhere (the parallel sort's workers write them in
   * this format): they are merged with the sorter's own runs and removed like them.
   */
  adoptRuns(runs: { path: string; bytes: number; events: number }[]): void {
    for (const run of runs) {
      this.runs.push(run.path);
      this.stats.spilledRuns++;
      this.stats.spilledBytes += run.bytes;
      this.stats.events += run.events;
    }
  }

  *sorted(): Generator<VisitEvent> {
    this.stats.phase = 'merging';
    try {
      if (this.runs.length === 0) {
        const events = this.takeSorted();
        yield* events;
      } else {
        const merge = this.mergeRuns(false);
        for (let run = merge.next(); run !== undefined; run = merge.next()) {
          yield new StoredEvent(run.visitId, run.time, run.seq, run.buffer, run.start, run.end);
        }
      }
      this.stats.phase = 'done';
    } finally {
      this.cleanup();
    }
  }

  /**
   * Instead of sorted(): the final merge of the runs, record by record, without an object per
   * event. With `reuseBlocks`, a record's bytes are valid only until the next call to next().
   * Call finishMerge() after the last record (cleanup() if giving up).
   */
  mergeRuns(reuseBlocks: boolean): RunMerge {
    this.stats.phase = 'merging';
    // The last run goes to disk too: the merge then holds one read block per run, not a
    // memory budget's worth of events while delivery downstream needs memory of its own.
    if (this.buffer.length > 0) this.spill();
    while (this.runs.length > this.fanIn) this.mergePass();
    this.cursors = openRuns(this.runs, reuseBlocks);
    return new RunMerge(this.cursors);
  }

  /** After mergeRuns()' last record: marks the sort done and removes its files. */
  finishMerge(): void {
    this.stats.phase = 'done';
    this.cleanup();
  }

  /** Closes open runs and removes the temp directory; safe to call at any time, more than once. */
  cleanup(): void {
    for (const cursor of this.cursors) cursor.close();
    this.cursors = [];
    this.buffer = [];
    for (const run of this.runs) rmSync(run, { force: true });
    if (this.dir) removeTempDir(this.dir);
    this.dir = undefined;
    this.runs = [];
  }

  private spill(): void {
    this.runs.push(this.writeRun(this.takeSorted()));
    this.bufferedBytes = 0;
  }

  /** The buffered events in order (visits grouped first: visitOrder), leaving the buffer empty. */
  private takeSorted(): VisitEvent[] {
    const events = this.buffer;
    this.buffer = [];
    const order = visitOrder(
      events.map((event) => event.visitId),
      events.map((event) => event.time),
      events.map((event) => event.seq),
    );
    return order.map((i) => events[i]!);
  }

  private writeRun(events: Iterable<VisitEvent>): string {
    const file = this.nextRunPath();
    this.countRun(writeRun(file, events));
    return file;
  }

  private nextRunPath(): string {
    this.dir ??= createTempDir(this.options.tempDir, 'bin-packer-sort-');
    return path.join(this.dir, `run-${String(this.stats.spilledRuns).padStart(6, '0')}.bin`);
  }

  private countRun(bytes: number): void {
    this.stats.spilledBytes += bytes;
    this.stats.spilledRuns++;
  }

  /** Merges the oldest fan-in runs into one, so the final merge opens at most fan-in files. Records are copied as bytes. */
  private mergePass(): void {
    const inputs = this.runs.splice(0, this.fanIn);
    this.cursors = openRuns(inputs, true);
    const merge = new RunMerge(this.cursors);
    const file = this.nextRunPath();
    const writer = new RunFileWriter(file);
    try {
      for (let run = merge.next(); run !== undefined; run = merge.next()) writer.append(run.buffer, run.recordStart, run.end);
    } catch (error) {
      writer.discard();
      throw error;
    }
    this.countRun(writer.close());
    this.runs.push(file);
    for (const run of inputs) rmSync(run, { force: true });
    this.cursors = [];
    this.stats.extraMergePasses++;
  }
}
