/** A byte range of one input file that starts at a line start and ends at one (or at the end of the file). */
export interface FilePiece {
    path: string;
    start: number;
    end: number;
    /** Bytes of the inputs before this file: added to offsets to number events in arrival order across files. */
    base: number;
}
/**
 * Splits files (read one after another) into `parts` lists of pieces of about equal bytes, cut
 * only at line starts, so each part can be parsed on its own. `lineStartFrom(path, at)` is the
 * first line start at or after `at` (the file's size when there is none). Parts that would be
 * empty are left out, so fewer may come back.
 */
export declare function planPieces(files: {
    path: string;
    size: number;
}[], parts: number, lineStartFrom: (path: string, at: number) => number): FilePiece[][];
/** The first line start at or after `at` in `file`, or its size. */
export declare function lineStartFrom(file: string, at: number): number;
