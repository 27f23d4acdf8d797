import type { DeadLetterSink } from '../../dead-letter/dead-letter.js';
import type { FilePiece } from './plan-pieces.js';
/**
 * The sort workers' dead letters, one NDJSON file per piece (see SortWorkerMessage), passed on
 * to the run's sink in input order once the workers are done. A worker numbers lines from its
 * piece's start; the lines before each piece are counted here meanwhile, and added. The copy
 * waits for the sink (flush) after every mebibyte, so a mostly-bad input streams through.
 */
export declare class PieceLetters {
    private readonly pieces;
    private readonly deadLetters;
    /** Positions' source names for files read in place of an input (spooled stdin). */
    private readonly names;
    private readonly bases;
    private readonly files;
    constructor(pieces: FilePiece[], deadLetters: DeadLetterSink, 
    /** Positions' source names for files read in place of an input (spooled stdin). */
    names: Map<string, string>);
    /** Piece `piece`'s letters are in `file`. */
    add(piece: number, file: string): void;
    /** Counts the newlines before every piece that starts inside a file. */
    countLines(): Promise<void>;
    /**
     * A worker's letter (JSON.stringify of a DeadLetter) with the lines before its piece added
     * and its source renamed, edited as text: a parse and a stringify per letter cost 3 s per
     * million. `,"` cannot occur inside a JSON string (a quote there is escaped), so the first
     * `,"position":{"source":` and the first `,"line":` after it are the position's own.
     */
    private placed;
    /** Passes every letter to the sink, piece by piece, removing each file once copied. Needs countLines() first. */
    deliver(signal?: AbortSignal): Promise<void>;
}
