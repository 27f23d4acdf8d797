import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { hasByteOrderMark, isSpace } from '../../stages/parse/row-splitter.js';
/**
 * True when `paths` can be split among workers: regular files of NDJSON (by `format`, or for
 * `auto` by their first non-space byte not being `[`), or stdin alone (spooled first). JSON
 * array files, and several inputs that include stdin, are read by one thread.
 */
export function canSortInParallel(paths, format = 'auto') {
    if (format === 'array' || paths.length === 0)
        return false;
    // stdin alone is spooled into the run directory first (see WorkerSortStream).
    if (isStdinAlone(paths))
        return true;
    for (const file of paths) {
        if (file === '-')
            return false;
        try {
            if (!statSync(file).isFile())
                return false;
        }
        catch {
            return false;
        }
        if (format === 'auto' && firstNonSpaceByte(file) === 0x5b)
            return false;
    }
    return true;
}
export function isStdinAlone(paths) {
    return paths.length === 1 && paths[0] === '-';
}
/** The input's first byte that is not JSON whitespace (after a byte order mark): `[` is a JSON array. */
export function firstNonSpaceByte(file) {
    const fd = openSync(file, 'r');
    try {
        const block = Buffer.allocUnsafe(4096);
        let position = 0;
        for (;;) {
            const read = readSync(fd, block, 0, block.length, position);
            if (read === 0)
                return undefined;
            for (let i = position === 0 && hasByteOrderMark(block) ? 3 : 0; i < read; i++) {
                if (!isSpace(block[i]))
                    return block[i];
            }
            position += read;
        }
    }
    finally {
        closeSync(fd);
    }
}
//# sourceMappingURL=input-format.js.map