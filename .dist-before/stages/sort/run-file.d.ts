import { type VisitEvent } from '../../events.js';
/** Bytes of a record besides its visitId and text. */
export declare const RECORD_HEADER_BYTES: number;
/**
 * Writes one record at `at` (room is the caller's business: at most RECORD_HEADER_BYTES + 3 ×
 * the strings' lengths, or the Buffer's length), its text being `text`, or `text[start, end)`
 * for a Buffer. Returns the offset after it.
 */
export declare function encodeRecord(block: Buffer, at: number, time: number, seq: number, visitId: string, text: string | Buffer, start?: number, end?: number): number;
/** Writes events (already sorted) to a new file, created private (0600). Returns its size. */
export declare function writeRun(path: string, events: Iterable<VisitEvent>): number;
/** A new run file, created private (0600), filled through one write block. */
export declare class RunFileWriter {
    block: Buffer<ArrayBuffer>;
    /** Bytes of `block` filled so far. */
    used: number;
    private size;
    private readonly fd;
    constructor(path: string);
    /** Makes room for `bytes` more from `used`, writing the block out first when it is too full. */
    reserve(bytes: number): void;
    /** Appends `source[start, end)`, whole records already in the run format. */
    append(source: Buffer, start: number, end: number): void;
    /** Writes what is left, closes the file and returns its size. */
    close(): number;
    /** Closes the file without writing more (the caller failed; the run is removed with its directory). */
    discard(): void;
    private flush;
}
/**
 * Reads a run back in order, one block at a time, exposing the current record's fields and
 * where its bytes are in `buffer`, without making an object per record. A record larger than a
 * block grows it.
 */
export declare class RunCursor {
    readonly path: string;
    private readonly reuseBlocks;
    private readonly blockSize;
    visitId: string;
    time: number;
    seq: number;
    /** Holds the current record: the whole record at [recordStart, end), its row bytes at [start, end). */
    buffer: Buffer;
    recordStart: number;
    start: number;
    end: number;
    private readonly fd;
    private at;
    private filled;
    private eof;
    /** `buffer` as a DataView: its getFloat64 costs less than Buffer#readDoubleLE. */
    private view;
    /** The UTF-8 bytes of `visitId`: a run holds a visit's events together, so the next record's id is often the same string. */
    private idBytes;
    /**
     * With `reuseBlocks`, the current record's bytes are valid only until the next advance():
     * for callers that copy them at once. Without it, every block is fresh, so views of a
     * record's bytes stay valid for good.
     */
    constructor(path: string, reuseBlocks: boolean, blockSize?: number);
    /** Moves to the next record; false at the end (and closes the file). */
    advance(): boolean;
    private sameId;
    close(): void;
    /** Makes `bytes` bytes available from `at`, reading more; false at a clean end of file. */
    private ensure;
}
/**
 * K-way merge of sorted runs on a binary min-heap of cursors. next() returns the cursor whose
 * current record comes next; the following call advances that cursor and sifts it down once
 * (no pop and push).
 */
export declare class RunMerge {
    private readonly heap;
    private taken;
    constructor(cursors: RunCursor[]);
    /** The cursor holding the next record in order, or undefined when every run is exhausted. */
    next(): RunCursor | undefined;
    private siftDown;
}
