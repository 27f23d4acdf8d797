import { closeSync, openSync, readSync } from 'node:fs';
/**
 * Splits files (read one after another) into `parts` lists of pieces of about equal bytes, cut
 * only at line starts, so each part can be parsed on its own. `lineStartFrom(path, at)` is the
 * first line start at or after `at` (the file's size when there is none). Parts that would be
 * empty are left out, so fewer may come back.
 */
export function planPieces(files, parts, lineStartFrom) {
    const total = files.reduce((sum, file) => sum + file.size, 0);
    const plan = [];
    let part = [];
    let base = 0;
    let cut = 1;
    for (const file of files) {
        let start = 0;
        while (cut < parts && base + file.size > Math.floor((total * cut) / parts)) {
            const end = lineStartFrom(file.path, Math.floor((total * cut) / parts) - base);
            cut++;
            if (end <= start)
                continue;
            part.push({ path: file.path, start, end, base });
            plan.push(part);
            part = [];
            start = end;
        }
        if (start < file.size)
            part.push({ path: file.path, start, end: file.size, base });
        base += file.size;
    }
    if (part.length > 0)
        plan.push(part);
    return plan;
}
/** The first line start at or after `at` in `file`, or its size. */
export function lineStartFrom(file, at) {
    if (at <= 0)
        return 0;
    const fd = openSync(file, 'r');
    try {
        const block = Buffer.allocUnsafe(64 * 1024);
        for (let position = at - 1;; position += block.length) {
            const read = readSync(fd, block, 0, block.length, position);
            const newline = block.subarray(0, read).indexOf(0x0a);
            if (newline !== -1)
                return position + newline + 1;
            if (read < block.length)
                return position + read;
        }
    }
    finally {
        closeSync(fd);
    }
}
//# sourceMappingURL=plan-pieces.js.map