import { Readable } from 'node:stream';
import type { DeadLetterSink } from '../dead-letter/dead-letter.js';
import type { InputFormat, RowParser } from '../stages/parse/row-splitter.js';
export interface FileSourceOptions {
    deadLetters: DeadLetterSink;
    maxRowBytes?: number;
    format?: InputFormat;
    /** How a row's bytes become a ParsedRow (default parseRowBytes: JSON.parse of the whole row). */
    parse?: RowParser;
    /** Read size per chunk (default 256 KiB). */
    highWaterMark?: number;
}
export interface SourceProgress {
    readonly bytesRead: number;
    readonly rows: number;
    readonly rejected: number;
}
/**
 * ParsedRows from files read one after another ('-' is stdin); each file is parsed on its own,
 * so formats may differ and positions name the file. `progress` counts as it goes.
 */
export declare function readRowsFromFiles(paths: string[], options: FileSourceOptions): Readable & {
    progress: SourceProgress;
};
