import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parseRows } from '../stages/parse/parse-rows.js';
/**
 * ParsedRows from files read one after another ('-' is stdin); each file is parsed on its own,
 * so formats may differ and positions name the file. `progress` counts as it goes.
 */
export function readRowsFromFiles(paths, options) {
    let bytesRead = 0;
    const parsers = [];
    const progress = {
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
    const open = (path) => {
        const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: options.highWaterMark ?? 256 * 1024 });
        const parser = parseRows({
            source: path === '-' ? 'stdin' : path,
            deadLetters: options.deadLetters,
            ...(options.maxRowBytes !== undefined && { maxRowBytes: options.maxRowBytes }),
            ...(options.format !== undefined && { format: options.format }),
            ...(options.parse !== undefined && { parse: options.parse }),
        });
        parsers.push(parser);
        input.on('data', (chunk) => (bytesRead += chunk.length));
        input.once('error', (error) => parser.destroy(error));
        parser.once('close', () => {
            if (input !== process.stdin)
                input.destroy();
            else
                input.unpipe(parser);
        });
        return input.pipe(parser);
    };
    // One file, the common case, needs no async iteration between the parser and the next stage.
    if (paths.length === 1)
        return Object.assign(open(paths[0]), { progress });
    async function* rows() {
        for (const path of paths)
            yield* open(path);
    }
    return Object.assign(Readable.from(rows(), { objectMode: true, highWaterMark: 256 }), { progress });
}
//# sourceMappingURL=file-source.js.map