import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { StoredEvent, type VisitEvent } from '../../events.js';

// A sorted run on disk, one record after another:
//   u32 length of the rest | f64 time | f64 seq | u32 visitId bytes | visitId | text
// Binary, so the merge never parses JSON again. I/O is synchronous on purpose: the sort
// owns the pipeline while it spills or merges, and sync reads of page-cached blocks cost
// less than a promise per block.

/** Bytes of a record besides its visitId and text. */
export const RECORD_HEADER_BYTES = 4 + 8 + 8 + 4;
const WRITE_BLOCK = 1024 * 1024;

/**
 * Writes one record at `at` (room is the caller's business: at most RECORD_HEADER_BYTES + 3 ×
 * the strings' lengths, or the Buffer's length). Returns the offset after it.
 */
export function encodeRecord(block: Buffer, at: number, time: number, seq: number, visitId: string, text: string | Buffer): number {
  let used = block.writeDoubleLE(time, at + 4);
  used = block.writeDoubleLE(seq, used);
  const idBytes = block.write(visitId, used + 4, 'utf8');
  block.writeUInt32LE(idBytes, used);
  used += 4 + idBytes;
  if (typeof text === 'string') {
    used += block.write(text, used, 'utf8');
  } else {
    block.set(text, used);
    used += text.length;
  }
  block.writeUInt32LE(used - at - 4, at);
  return used;
}

/** Writes events (already sorted) to a new file, created private (0600). Returns its size. */
export function writeRun(path: string, events: Iterable<VisitEvent>): number {
  const writer = new RunFileWriter(path);
  try {
    for (const event of events) {
      const text = event.bytes ?? event.text;
      writer.reserve(RECORD_HEADER_BYTES + 3 * event.visitId.length + (typeof text === 'string' ? 3 * text.length : text.length));
      writer.used = encodeRecord(writer.block, writer.used, event.time, event.seq, event.visitId, text);
    }
  } catch (error) {
    writer.discard();
    throw error;
  }
  return writer.close();
}

/** A new run file, created private (0600), filled through one write block. */
export class RunFileWriter {
  block = Buffer.allocUnsafe(WRITE_BLOCK);
  /** Bytes of `block` filled so far. */
  used = 0;
  private size = 0;
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  /** Makes room for `bytes` more from `used`, writing the block out first when it is too full. */
  reserve(bytes: number): void {
    if (this.used + bytes <= this.block.length) return;
    this.flush();
    if (bytes > this.block.length) this.block = Buffer.allocUnsafe(bytes);
  }

  /** Writes what is left, closes the file and returns its size. */
  close(): number {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
    return this.size;
  }

  /** Closes the file without writing more (the caller failed; the run is removed with its directory). */
  discard(): void {
    closeSync(this.fd);
  }

  private flush(): void {
    for (let written = 0; written < this.used; ) written += writeSync(this.fd, this.block, written, this.used - written);
    this.size += this.used;
    this.used = 0;
  }
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

  constructor(readonly path: string, private readonly blockSize = 256 * 1024) {
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
    // A view, not a copy: blocks are never reused (see ensure), so the bytes stay valid.
    const bytes = b.subarray(at + idBytes, this.start + 4 + length);
    this.start += 4 + length;
    this.current = new StoredEvent(visitId, time, seq, bytes);
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
      // Always a fresh block: events handed out hold views of the old one.
      const next = Buffer.allocUnsafe(Math.max(bytes, this.blockSize));
      this.buffer.copy(next, 0, this.start, this.end);
      this.buffer = next;
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
