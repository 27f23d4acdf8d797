// Worker thread of the parallel sort: parses, validates and sorts its pieces of the input into
// run files, and reports dead letters and counts to the main thread, which merges the runs.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { RowSplitter } from '../../stages/parse/row-splitter.js';
import { parseEventRow } from '../../stages/parse/scan-event-fields.js';
import { WASM_BLOCK_BYTES, WasmFieldScanner } from '../../stages/parse/wasm-field-scanner.js';
import { RunBuilder } from '../../stages/sort/run-builder.js';
import { commonSortKey, eventSortKey, sortKeyFound } from '../../stages/validate/validate-row.js';
const READ_BLOCK = WASM_BLOCK_BYTES;
const LETTER_BLOCK = 1024 * 1024;
function sortPieces(data, post) {
    const builder = new RunBuilder(data.arenaBytes);
    const runs = [];
    const writeRun = () => {
        const file = path.join(data.runDir, `run-${String(runs.length).padStart(6, '0')}.bin`);
        const events = builder.count;
        runs.push({ path: file, events, bytes: builder.writeRun(file) });
    };
    let bytes = 0;
    let rows = 0;
    let rejected = 0;
    let valid = 0;
    let invalid = 0;
    const add = (visitId, time, seq, text, start, end) => {
        valid++;
        if (!builder.add(visitId, time, seq, text, start, end)) {
            writeRun();
            builder.add(visitId, time, seq, text, start, end);
        }
    };
    const ndjson = (data.format ?? 'ndjson') === 'ndjson';
    // For NDJSON, one block for all reads, in the WebAssembly scanner's memory: rows are copied
    // into the run arena at once, and the splitter copies the part of a row a block cuts
    // (reusesChunks). Fresh blocks that GC had yet to free put peak RSS 7-10 MiB higher once rows
    // stopped making objects. A JSON array's splitter keeps views of the element it assembles,
    // so it gets fresh blocks.
    const scanner = ndjson ? new WasmFieldScanner() : undefined;
    for (const piece of data.pieces) {
        const letters = new LetterFile(path.join(data.runDir, `letters-${piece.index}.ndjson`));
        const splitter = new RowSplitter({
            row(row) {
                const seq = piece.base + row.position.offset;
                // Only the key: the row's text is never needed as a string here.
                const event = eventSortKey(row.value);
                if (typeof event === 'string') {
                    invalid++;
                    letters.write({ reason: event, position: row.position, raw: row.text });
                    return;
                }
                add(event.visitId, event.time, seq, row.bytes);
            },
            reject: (letter) => letters.write(letter),
        }, {
            source: piece.path,
            format: ndjson ? 'ndjson' : 'array',
            startOffset: piece.start,
            parse: parseEventRow,
            ...(scanner && {
                reusesChunks: true,
                takeLine(chunk, start, end, offset) {
                    const visitId = commonSortKey(chunk, start, end, scanner);
                    if (visitId === undefined)
                        return false;
                    add(visitId, sortKeyFound.time, piece.base + offset, chunk, start, end);
                    return true;
                },
            }),
            ...(data.maxRowBytes !== undefined && { maxRowBytes: data.maxRowBytes }),
        });
        const fd = openSync(piece.path, 'r');
        try {
            for (let at = piece.start; at < piece.end;) {
                const size = Math.min(READ_BLOCK, piece.end - at);
                const block = scanner?.block ?? Buffer.allocUnsafe(size);
                const read = readSync(fd, block, 0, size, at);
                if (read === 0)
                    throw new Error(`${piece.path} ended at byte ${at}, before ${piece.end}: was it changed while being read?`);
                splitter.push(block.subarray(0, read));
                at += read;
                bytes += read;
                post({ type: 'progress', bytes, rows: rows + splitter.rows, rejected: rejected + splitter.rejected });
            }
            splitter.end();
        }
        finally {
            closeSync(fd);
        }
        if (letters.close() > 0)
            post({ type: 'letters', piece: piece.index, file: letters.path, count: letters.count });
        rows += splitter.rows;
        rejected += splitter.rejected;
    }
    if (builder.count > 0)
        writeRun();
    post({ type: 'done', runs, rows, rejected, valid, invalid });
}
/** Dead letters as NDJSON, in blocks of about 1 MiB; the file is made at the first letter. */
class LetterFile {
    path;
    count = 0;
    fd;
    lines = [];
    bytes = 0;
    constructor(path) {
        this.path = path;
    }
    write(letter) {
        const line = JSON.stringify(letter) + '\n';
        this.lines.push(line);
        this.bytes += line.length;
        this.count++;
        if (this.bytes >= LETTER_BLOCK)
            this.flush();
    }
    /** Writes what is left, closes the file and returns the number of letters in it. */
    close() {
        this.flush();
        if (this.fd !== undefined)
            closeSync(this.fd);
        this.fd = undefined;
        return this.count;
    }
    flush() {
        if (this.lines.length === 0)
            return;
        this.fd ??= openSync(this.path, 'wx', 0o600);
        const block = Buffer.from(this.lines.join(''));
        for (let at = 0; at < block.length;)
            at += writeSync(this.fd, block, at);
        this.lines = [];
        this.bytes = 0;
    }
}
if (parentPort)
    sortPieces(workerData, (message) => parentPort.postMessage(message));
//# sourceMappingURL=sort-worker.js.map