import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { DeadLetterSink } from '../dead-letter/dead-letter.js';
import type { ParsedRow } from '../events.js';
import { parseRows, type ParseRowsStream } from '../stages/parse/parse-rows.js';
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
export function readRowsFromFiles(paths: string[], options: FileSourceOptions): Readable & { progress: SourceProgress } {
  let bytesRead = 0;
  const parsers: ParseRowsStream[] = [];
  const progress: SourceProgress = {
    get bytesRead() {
      return bytesRead;
    },
    get rows() {
      return parsers.reduce((n, p) => n + p.splitter.rows, 0);
    },
    get rejected() {
      return parsers.reduce((n, p) => n + p.splitter.rejected, 0);
    },
  };
  const open = (path: string): ParseRowsStream => {
    const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: options.highWaterMark ?? 256 * 1024 });
    const parser = parseRows({
      source: path === '-' ? 'stdin' : path,
      deadLetters: options.deadLetters,
      ...(options.maxRowBytes !== undefined && { maxRowBytes: options.maxRowBytes }),
      ...(options.format !== undefined && { format: options.format }),
      ...(options.parse !== undefined && { parse: options.parse }),
    });
    parsers.push(parser);
    input.on('data', (chunk: Buffer) => (bytesRead += chunk.length));
    input.once('error', (error: Error) => parser.destroy(error));
    parser.once('close', () => {
      if (input !== process.stdin) input.destroy();
      else input.unpipe(parser);
    });
    return input.pipe(parser);
  };
  // One file, the common case, needs no async iteration between the parser and the next stage.
  if (paths.length === 1) return Object.assign(open(paths[0]!), { progress });
  async function* rows(): AsyncGenerator<ParsedRow> {
    for (const path of paths) yield* open(path) as AsyncIterable<ParsedRow>;
  }
  return Object.assign(Readable.from(rows(), { objectMode: true, highWaterMark: 256 }), { progress });
}
