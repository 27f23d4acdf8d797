import { Transform } from 'node:stream';
import { RowSplitter } from './row-splitter.js';
/**
 * Bytes → ParsedRow objects (NDJSON or a top-level JSON array, detected from the first byte).
 * Rows that are not JSON, not UTF-8 or too long go to the dead-letter sink.
 */
export function parseRows(options) {
    const stream = new Transform({
        readableObjectMode: true,
        transform(chunk, _encoding, callback) {
            try {
                splitter.push(chunk);
            }
            catch (error) {
                return callback(error);
            }
            callback();
        },
        flush(callback) {
            try {
                splitter.end();
            }
            catch (error) {
                return callback(error);
            }
            callback();
        },
    });
    const splitter = new RowSplitter({ row: (row) => stream.push(row), reject: (letter) => options.deadLetters.write(letter) }, options);
    return Object.assign(stream, { splitter });
}
//# sourceMappingURL=parse-rows.js.map