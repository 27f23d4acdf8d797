import { isUtf8 } from 'node:buffer';
import type { DeadLetter } from '../../dead-letter/dead-letter.js';
import type { ParsedRow, Position } from '../../events.js';

export type InputFormat = 'auto' | 'ndjson' | 'array';

export interface RowHandler {
  row(row: ParsedRow): void;
  reject(letter: DeadLetter): void;
}

export interface RowSplitterOptions {
  /** Name used in positions (a file path, or `stdin`). */
  source?: string;
  /** Rows longer than this are dead-lettered with their first bytes (default 1 MiB). */
  maxRowBytes?: number;
  /** `auto` (default) decides on the first non-space byte: `[` means a top-level JSON array. */
  format?: InputFormat;
  /** Byte offset in the source of the first byte pushed (default 0): a worker reading part of a file starts past its beginning. */
  startOffset?: number;
  /** Turns a row's bytes into a ParsedRow or the reason it is not one (default parseRowBytes, which JSON.parses it). */
  parse?: RowParser;
  /** NDJSON only: offered each line first, see LineTaker. */
  takeLine?: LineTaker;
  /**
   * NDJSON only: the caller reuses each chunk once push() returns, so the part of a row left at
   * a chunk's end is copied rather than kept as a view. Rows handed out are views that are valid
   * only during the handler's call.
   */
  reusesChunks?: boolean;
}

export type RowParser = (bytes: Buffer, position: Position, note: string) => ParsedRow | DeadLetter;

/**
 * Offered each NDJSON line that lies whole in one pushed chunk, is valid UTF-8 and within
 * maxRowBytes: the row is `chunk[start, end)` (a trailing CR already left out; `chunk[end]`
 * is that CR or the newline), starting at byte `offset` of the source. Returning true takes
 * the row: it counts as a row, and nothing else is made of it (no ParsedRow, no Position).
 * Returning false leaves it to `parse` and the handler, as if there were no taker. This lets
 * a caller that needs a few fields of valid rows skip the per-row objects.
 */
export type LineTaker = (chunk: Buffer, start: number, end: number, offset: number) => boolean;

export const DEFAULT_MAX_ROW_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The reason for an input read as a JSON array that does not start with one. */
const NOT_AN_ARRAY = 'the input is not a JSON array (its first byte is not [): for NDJSON, leave out --format array';

const enum ArrayState {
  BeforeArray,
  BeforeElement,
  InElement,
  AfterArray,
}

/** JSON whitespace. */
export function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** A UTF-8 byte-order mark at the start of `bytes` (skipped before format detection). */
export function hasByteOrderMark(bytes: Buffer): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Bytes in, rows out: splits NDJSON on newlines, or a top-level JSON array into its elements,
 * keeping each row's exact text and position. Rows are parsed with JSON.parse; rows that are
 * not JSON, not UTF-8, or too long go to `reject` and splitting goes on. Pure: feed it
 * chunks with push() and call end() once.
 */
export class RowSplitter {
  readonly source: string;
  private readonly maxRowBytes: number;
  private format: InputFormat;
  private readonly parse: RowParser;
  private readonly takeLine: LineTaker | undefined;
  private readonly reusesChunks: boolean;

  /** Bytes of the row being assembled, across chunks. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** The row outgrew maxRowBytes: parts keep its first bytes, partBytes counts all of it. */
  private oversized = false;
  private rowOffset = 0;
  private consumed = 0;
  private bomChecked = false;

  private line = 0;
  private index = 0;
  private arrayState = ArrayState.BeforeArray;
  /** Why what follows the array is rejected. */
  private tailReason = 'content after the end of the top-level JSON array';
  private depth = 0;
  private inString = false;
  private escaped = false;

  rows = 0;
  rejected = 0;

  constructor(
    private readonly handler: RowHandler,
    options: RowSplitterOptions = {},
  ) {
    this.source = options.source ?? 'input';
    this.maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
    this.format = options.format ?? 'auto';
    this.parse = options.parse ?? parseRowBytes;
    this.takeLine = options.takeLine;
    this.reusesChunks = options.reusesChunks ?? false;
    this.consumed = this.rowOffset = options.startOffset ?? 0;
    // A byte-order mark can only open a file.
    this.bomChecked = this.consumed > 0;
  }

  push(chunk: Buffer): void {
    let start = 0;
    if (!this.bomChecked && chunk.length > 0) {
      this.bomChecked = true;
      if (hasByteOrderMark(chunk)) start = 3;
    }
    if (this.format === 'auto') {
      let first = start;
      while (first < chunk.length && isSpace(chunk[first]!)) first++;
      if (first < chunk.length && chunk[first] === OPEN_BRACKET) {
        // Whatever the leading blank lines added to a row or to the line count was NDJSON's.
        this.format = 'array';
        this.takeRow();
        this.line = 0;
        this.rowOffset = this.consumed + first;
        start = first;
      } else if (first < chunk.length) {
        this.format = 'ndjson';
      }
      // Until a non-space byte decides, leading blank lines are read as NDJSON lines, so
      // lines are counted and offsets kept exactly as an explicit --format ndjson would.
    }
    if (this.format === 'array') this.pushArray(chunk, start);
    else this.pushLines(chunk, start);
    this.consumed += chunk.length;
  }

  end(): void {
    if (this.format !== 'array') {
      if (this.partBytes > 0) this.completeLine();
    } else {
      if (this.arrayState === ArrayState.InElement) {
        const rejected = this.rejected;
        this.completeElement(' (the JSON array is not closed)');
        // A whole last element with no ']' after it: the input was cut short; say so.
        if (this.rejected === rejected) this.rejectUnclosedArray();
      } else if (this.arrayState === ArrayState.AfterArray && this.partBytes > 0) {
        this.emitRejectedTail(this.tailReason);
      } else if (this.arrayState !== ArrayState.AfterArray) {
        this.rejectUnclosedArray();
      }
    }
  }

  private pushLines(chunk: Buffer, from: number): void {
    let start = from;
    const take = this.takeLine;
    const takeUntil = take === undefined ? -1 : this.wholeUtf8Lines(chunk, from);
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        // A row's first part: a reused chunk is overwritten before the row ends.
        const part = this.reusesChunks ? Buffer.from(chunk.subarray(start)) : chunk.subarray(start);
        this.append(part, 0, part.length);
        return;
      }
      if (
        newline <= takeUntil &&
        this.partBytes === 0 &&
        newline - start <= this.maxRowBytes &&
        take!(chunk, start, chunk[newline - 1] === CR ? newline - 1 : newline, this.rowOffset)
      ) {
        this.line++;
        this.rows++;
      } else {
        this.append(chunk, start, newline);
        this.completeLine();
      }
      this.rowOffset = this.consumed + newline + 1;
      start = newline + 1;
    }
  }

  /**
   * The last newline of `chunk` if the lines that lie whole in it, from `from` on, are valid
   * UTF-8 (checked at once, not row by row), else -1. A row continued from the last chunk is
   * left out: the chunk may have cut one of its characters.
   */
  private wholeUtf8Lines(chunk: Buffer, from: number): number {
    const first = this.partBytes === 0 ? from : chunk.indexOf(NEWLINE, from) + 1;
    if (first === 0 && this.partBytes > 0) return -1;
    const last = chunk.lastIndexOf(NEWLINE);
    return last >= first && isUtf8(chunk.subarray(first, last)) ? last : -1;
  }

  private completeLine(): void {
    this.line++;
    const position: Position = { source: this.source, line: this.line, offset: this.rowOffset };
    const { oversized, partBytes: size } = this;
    let bytes = this.takeRow();
    if (oversized) return this.rejectOversized(bytes, size, position);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    if (isBlank(bytes)) return;
    this.emit(bytes, position, '');
  }

  private pushArray(chunk: Buffer, from: number): void {
    let i = from;
    const length = chunk.length;
    while (i < length) {
      switch (this.arrayState) {
        case ArrayState.BeforeArray: {
          // auto-detection already saw '['; an explicit --format array may see anything.
          const byte = chunk[i]!;
          if (isSpace(byte)) {
            i++;
            break;
          }
          if (byte !== OPEN_BRACKET) {
            // Not an array at all (--format array on NDJSON?): the whole input is one rejected tail.
            this.arrayState = ArrayState.AfterArray;
            this.tailReason = NOT_AN_ARRAY;
            this.rowOffset = this.consumed + i;
            break;
          }
          this.arrayState = ArrayState.BeforeElement;
          i++;
          break;
        }
        case ArrayState.BeforeElement: {
          const byte = chunk[i]!;
          if (isSpace(byte) || byte === COMMA) {
            i++;
          } else if (byte === CLOSE_BRACKET) {
            this.arrayState = ArrayState.AfterArray;
            this.rowOffset = this.consumed + i + 1;
            i++;
          } else {
            this.arrayState = ArrayState.InElement;
            this.rowOffset = this.consumed + i;
            this.depth = 0;
            this.inString = false;
            this.escaped = false;
          }
          break;
        }
        case ArrayState.InElement: {
          const end = this.scanElement(chunk, i);
          if (end === -1) {
            this.append(chunk, i, length);
            i = length;
            break;
          }
          this.append(chunk, i, end);
          this.completeElement('');
          this.arrayState = chunk[end] === CLOSE_BRACKET ? ArrayState.AfterArray : ArrayState.BeforeElement;
          if (this.arrayState === ArrayState.AfterArray) this.rowOffset = this.consumed + end + 1;
          i = end + 1;
          break;
        }
        case ArrayState.AfterArray: {
          // Only whitespace may follow the array; anything else is kept and dead-lettered at the end.
          let start = i;
          if (this.partBytes === 0) {
            while (start < length && isSpace(chunk[start]!)) start++;
            if (start < length) this.rowOffset = this.consumed + start;
          }
          this.append(chunk, start, length);
          i = length;
          break;
        }
      }
    }
  }

  /** Index of the ',' or ']' that ends the current element, or -1 if it goes on past this chunk. */
  private scanElement(chunk: Buffer, from: number): number {
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    const length = chunk.length;
    for (let i = from; i < length; i++) {
      const byte = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
        continue;
      }
      if (byte === QUOTE) inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (depth === 0) {
          this.depth = 0;
          return i; // the array's closing ']'
        }
        depth--;
      } else if (byte === COMMA && depth === 0) {
        this.depth = 0;
        return i;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return -1;
  }

  private completeElement(note: string): void {
    const position: Position = { source: this.source, index: this.index++, offset: this.rowOffset };
    const { oversized, partBytes: size } = this;
    let bytes = this.takeRow();
    if (oversized) return this.rejectOversized(bytes, size, position);
    let end = bytes.length;
    while (end > 0 && isSpace(bytes[end - 1]!)) end--;
    bytes = bytes.subarray(0, end);
    this.emit(bytes, position, note);
  }

  private emit(bytes: Buffer, position: Position, note: string): void {
    const parsed = this.parse(bytes, position, note);
    if ('reason' in parsed) return this.reject(parsed);
    this.rows++;
    this.handler.row(parsed);
  }

  private rejectOversized(prefix: Buffer, size: number, position: Position): void {
    this.reject(withRaw({ reason: `row exceeds ${this.maxRowBytes} bytes`, position, truncated: true, size }, prefix));
  }

  private emitRejectedTail(reason: string): void {
    const position: Position = { source: this.source, offset: this.rowOffset };
    const { oversized, partBytes: size } = this;
    const letter: DeadLetter = { reason, position };
    if (oversized) Object.assign(letter, { truncated: true, size });
    this.reject(withRaw(letter, this.takeRow()));
  }

  private rejectUnclosedArray(): void {
    this.reject({ reason: 'the top-level JSON array is not closed', position: { source: this.source, offset: this.consumed }, raw: '' });
  }

  private reject(letter: DeadLetter): void {
    this.rejected++;
    this.handler.reject(letter);
  }

  private append(chunk: Buffer, start: number, end: number): void {
    if (end <= start) return;
    const length = end - start;
    if (!this.oversized && this.partBytes + length > this.maxRowBytes) {
      this.oversized = true;
      const room = this.maxRowBytes - this.partBytes;
      if (room > 0) this.parts.push(chunk.subarray(start, start + room));
    } else if (!this.oversized) {
      // A view, not a copy: stream chunks are never reused once pushed.
      this.parts.push(chunk.subarray(start, end));
    }
    this.partBytes += length;
  }

  /** The assembled row's bytes (at most maxRowBytes of them); resets the assembly. */
  private takeRow(): Buffer {
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.partBytes = 0;
    this.oversized = false;
    return bytes;
  }
}

/**
 * One row's bytes → a ParsedRow, or the dead letter saying why it is not one (invalid UTF-8,
 * malformed JSON). `note` is appended to the reason.
 */
export function parseRowBytes(bytes: Buffer, position: Position, note = ''): ParsedRow | DeadLetter {
  if (!isUtf8(bytes)) return withRaw({ reason: `invalid UTF-8${note}`, position }, bytes);
  const text = bytes.toString('utf8');
  try {
    return { text, value: JSON.parse(text), position, bytes };
  } catch (error) {
    return { reason: `malformed JSON: ${(error as Error).message}${note}`, position, raw: text };
  }
}

/** Attaches the row's bytes to a dead letter: as text when they are UTF-8, else as base64. */
export function withRaw(letter: DeadLetter, bytes: Buffer): DeadLetter {
  if (isUtf8(bytes)) letter.raw = bytes.toString('utf8');
  else letter.rawBase64 = bytes.toString('base64');
  return letter;
}

function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (!isSpace(bytes[i]!)) return false;
  return true;
}
