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
export declare const DEFAULT_MAX_ROW_BYTES: number;
/** JSON whitespace. */
export declare function isSpace(byte: number): boolean;
/** A UTF-8 byte-order mark at the start of `bytes` (skipped before format detection). */
export declare function hasByteOrderMark(bytes: Buffer): boolean;
/**
 * Bytes in, rows out: splits NDJSON on newlines, or a top-level JSON array into its elements,
 * keeping each row's exact text and position. Rows are parsed with JSON.parse; rows that are
 * not JSON, not UTF-8, or too long go to `reject` and splitting goes on. Pure: feed it
 * chunks with push() and call end() once.
 */
export declare class RowSplitter {
    private readonly handler;
    readonly source: string;
    private readonly maxRowBytes;
    private format;
    private readonly parse;
    private readonly takeLine;
    private readonly reusesChunks;
    /** Bytes of the row being assembled, across chunks. */
    private parts;
    private partBytes;
    /** The row outgrew maxRowBytes: parts keep its first bytes, partBytes counts all of it. */
    private oversized;
    private rowOffset;
    private consumed;
    private bomChecked;
    private line;
    private index;
    private arrayState;
    private depth;
    private inString;
    private escaped;
    rows: number;
    rejected: number;
    constructor(handler: RowHandler, options?: RowSplitterOptions);
    push(chunk: Buffer): void;
    end(): void;
    private pushLines;
    /**
     * The last newline of `chunk` if the lines that lie whole in it, from `from` on, are valid
     * UTF-8 (checked at once, not row by row), else -1. A row continued from the last chunk is
     * left out: the chunk may have cut one of its characters.
     */
    private wholeUtf8Lines;
    private completeLine;
    private pushArray;
    /** Index of the ',' or ']' that ends the current element, or -1 if it goes on past this chunk. */
    private scanElement;
    private completeElement;
    private emit;
    private rejectOversized;
    private emitRejectedTail;
    private rejectUnclosedArray;
    private reject;
    private append;
    /** The assembled row's bytes (at most maxRowBytes of them); resets the assembly. */
    private takeRow;
}
/**
 * One row's bytes → a ParsedRow, or the dead letter saying why it is not one (invalid UTF-8,
 * malformed JSON). `note` is appended to the reason.
 */
export declare function parseRowBytes(bytes: Buffer, position: Position, note?: string): ParsedRow | DeadLetter;
/** Attaches the row's bytes to a dead letter: as text when they are UTF-8, else as base64. */
export declare function withRaw(letter: DeadLetter, bytes: Buffer): DeadLetter;
