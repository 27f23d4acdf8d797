import { Transform } from 'node:stream';
import type { DeadLetterSink } from '../../dead-letter/dead-letter.js';
import { RowSplitter, type RowSplitterOptions } from './row-splitter.js';
export interface ParseRowsOptions extends RowSplitterOptions {
    deadLetters: DeadLetterSink;
}
export type ParseRowsStream = Transform & {
    readonly splitter: RowSplitter;
};
/**
 * Bytes → ParsedRow objects (NDJSON or a top-level JSON array, detected from the first byte).
 * Rows that are not JSON, not UTF-8 or too long go to the dead-letter sink.
 */
export declare function parseRows(options: ParseRowsOptions): ParseRowsStream;
