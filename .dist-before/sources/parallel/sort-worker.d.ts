import type { FilePiece } from './plan-pieces.js';
export interface SortWorkerData {
    /** This worker's pieces, each with its index in the whole plan (dead letters name it). */
    pieces: (FilePiece & {
        index: number;
    })[];
    /** NDJSON (default), or a JSON array read whole by this one worker. */
    format?: 'ndjson' | 'array';
    /** Directory for this worker's run files: the main thread made it and removes it. */
    runDir: string;
    /** Bytes of the run arena: this worker's share of the sort memory. */
    arenaBytes: number;
    maxRowBytes?: number;
}
export interface SortedRun {
    path: string;
    bytes: number;
    events: number;
}
export type SortWorkerMessage = 
/**
 * A piece's dead letters, as NDJSON in `file` (in the run directory): written by the worker,
 * so however many rows are bad, none of them waits in memory or in a message queue. Lines in
 * positions count from the piece's start: the main thread adds the lines before it.
 */
{
    type: 'letters';
    piece: number;
    file: string;
    count: number;
}
/** Counts so far in this worker. */
 | {
    type: 'progress';
    bytes: number;
    rows: number;
    rejected: number;
} | {
    type: 'done';
    runs: SortedRun[];
    rows: number;
    rejected: number;
    valid: number;
    invalid: number;
};
