import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { DeadLetterSink } from '../dead-letter/dead-letter.js';
import type { ParsedRow } from '../events.js';
import { parseRows } from '../stages/parse/parse-rows.js';
import type { InputFormat } from '../stages/parse/row-splitter.js';

export interface FileSourceOptions {
  deadLetters: DeadLetterSink;
  maxRowBytes?: number;
  format?: InputFormat;
  /** Read size per chunk (default 256 KiB). */
  highWaterMark?: number;
}

export interface SourceProgress {
  bytesRead: number;
  rows: number;
  rejected: number;
}

/**
 * ParsedRows from files read one after another ('-' is stdin); each file is parsed on its own,
 * so formats may differ and positions name the file. `progress` counts as it goes.
 */
export function readRowsFromFiles(paths: string[], options: FileSourceOptions): Readable & { progress: SourceProgress } {
  const progress: SourceProgress = { bytesRead: 0, rows: 0, rejected: 0 };
  async function* rows(): AsyncGenerator<ParsedRow> {
    for (const path of paths) {
      const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: options.highWaterMark ?? 256 * 1024 });
      const parser = parseRows({
        source: path === '-' ? 'stdin' : path,
        deadLetters: options.deadLetters,
        ...(options.maxRowBytes !== undefined && { maxRowBytes: options.maxRowBytes }),
        ...(options.format !== undefined && { format: options.format }),
      });
      input.on('data', (chunk: Buffer) => (progress.bytesRead += chunk.length));
      input.once('error', (error: Error) => parser.destroy(error));
      input.pipe(parser);
      try {
        for await (const row of parser) yield row as ParsedRow;
      } finally {
        if (input !== process.stdin) input.destroy();
        else input.unpipe(parser);
        progress.rows += parser.splitter.rows;
        progress.rejected += parser.splitter.rejected;
      }
    }
  }
  return Object.assign(Readable.from(rows(), { objectMode: true, highWaterMark: 1024 }), { progress });
}
