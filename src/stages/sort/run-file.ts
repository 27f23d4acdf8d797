import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { VisitEvent } from '../../events.js';

// A sorted run on disk, one record after another:
//   u32 length of the rest | f64 time | f64 seq | u32 visitId bytes | visitId | text
// Binary, so the merge never parses JSON again. I/O is synchronous on purpose: the sort
// owns the pipeline while it spills or merges, and sync reads of page-cached blocks cost
// less than a promise per block.

const HEADER = 4 + 8 + 8 + 4;
const WRITE_BLOCK = 1024 * 1024;

/** Writes events (already sorted) to a new file, created private (0600). Returns its size. */
export function writeRun(path: string, events: Iterable<VisitEvent>): number {
  const fd = openSync(path, 'wx', 0o600);
  let block = Buffer.allocUnsafe(WRITE_BLOCK);
  let used = 0;
  let total = 0;
  const flush = () => {
    let written = 0;
    while (written < used) written += writeSync(fd, block, written, used - written);
    total += used;
    used = 0;
  };
  try {
    for (const event of events) {
      const worst = HEADER + 3 * (event.visitId.length + event.text.length);
      if (used + worst > block.length) {
        flush();
        if (worst > block.length) block = Buffer.allocUnsafe(worst);
      }
      const start = used;
      used += 4;
      used = block.writeDoubleLE(event.time, used);
      used = block.writeDoubleLE(event.seq, used);
      const idBytes = block.write(event.visitId, used + 4, 'utf8');
      block.writeUInt32LE(idBytes, used);
      used += 4 + idBytes;
      used += block.write(event.text, used, 'utf8');
      block.writeUInt32LE(used - start - 4, start);
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return total;
}

/** Reads a run back in order, one block at a time; a record larger than a block grows it. */
export class RunReader {
  private readonly fd: number;
  private buffer: Buffer;
  private start = 0;
  private end = 0;
  private eof = false;
  /** The record at the head of the run, or null once the run is exhausted. */
  current: VisitEvent | null = null;

  constructor(readonly path: string, blockSize = 256 * 1024) {
    this.fd = openSync(path, 'r');
    this.buffer = Buffer.allocUnsafe(blockSize);
    this.advance();
  }

  /** Moves to the next record; returns it, or null at the end (and closes the file). */
  advance(): VisitEvent | null {
    if (!this.ensure(4)) return this.finish();
    const length = this.buffer.readUInt32LE(this.start);
    if (!this.ensure(4 + length)) throw new Error(`run file ${this.path} is truncated`);
    const b = this.buffer;
    let at = this.start + 4;
    const time = b.readDoubleLE(at);
    const seq = b.readDoubleLE(at + 8);
    const idBytes = b.readUInt32LE(at + 16);
    at += 20;
    const visitId = b.toString('utf8', at, at + idBytes);
    const text = b.toString('utf8', at + idBytes, this.start + 4 + length);
    this.start += 4 + length;
    this.current = { visitId, time, seq, text };
    return this.current;
  }

  close(): void {
    if (!this.eof) this.finish();
  }

  private finish(): null {
    this.current = null;
    if (!this.eof) {
      this.eof = true;
      closeSync(this.fd);
    }
    return null;
  }

  /** Makes `bytes` bytes available from `start`, reading more; false at a clean end of file. */
  private ensure(bytes: number): boolean {
    while (this.end - this.start < bytes) {
      if (this.eof) return false;
      if (bytes > this.buffer.length) {
        const bigger = Buffer.allocUnsafe(Math.max(bytes, this.buffer.length * 2));
        this.buffer.copy(bigger, 0, this.start, this.end);
        this.buffer = bigger;
      } else {
        this.buffer.copy(this.buffer, 0, this.start, this.end);
      }
      this.end -= this.start;
      this.start = 0;
      const read = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
      if (read === 0) {
        if (this.end - this.start === 0) return false;
        if (this.end - this.start < bytes) throw new Error(`run file ${this.path} is truncated`);
      }
      this.end += read;
    }
    return true;
  }
}
