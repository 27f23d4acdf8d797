import { createReadStream, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
const POSITION = ',"position":{"source":';
const LINE = ',"line":';
/** Letters handed to the sink between waits for it to store them: its buffer stays this small. */
const FLUSH_BYTES = 1024 * 1024;
/**
 * The sort workers' dead letters, one NDJSON file per piece (see SortWorkerMessage), passed on
 * to the run's sink in input order once the workers are done. A worker numbers lines from its
 * piece's start; the lines before each piece are counted here meanwhile, and added. The copy
 * waits for the sink (flush) after every mebibyte, so a mostly-bad input streams through.
 */
export class PieceLetters {
    pieces;
    deadLetters;
    names;
    bases = new Map();
    files = new Map();
    constructor(pieces, deadLetters, 
    /** Positions' source names for files read in place of an input (spooled stdin). */
    names) {
        this.pieces = pieces;
        this.deadLetters = deadLetters;
        this.names = names;
        pieces.forEach((piece, index) => piece.start === 0 && this.bases.set(index, 0));
    }
    /** Piece `piece`'s letters are in `file`. */
    add(piece, file) {
        this.files.set(piece, file);
    }
    /** Counts the newlines before every piece that starts inside a file. */
    async countLines() {
        let file;
        let filePath = '';
        let at = 0;
        let newlines = 0;
        const block = Buffer.allocUnsafe(1024 * 1024);
        try {
            for (const [index, piece] of this.pieces.entries()) {
                if (piece.start === 0)
                    continue;
                if (piece.path !== filePath) {
                    await file?.close();
                    file = await open(piece.path, 'r');
                    filePath = piece.path;
                    at = 0;
                    newlines = 0;
                }
                while (at < piece.start) {
                    const { bytesRead } = await file.read(block, 0, Math.min(block.length, piece.start - at), at);
                    if (bytesRead === 0)
                        break;
                    for (let i = block.indexOf(0x0a, 0); i !== -1 && i < bytesRead; i = block.indexOf(0x0a, i + 1))
                        newlines++;
                    at += bytesRead;
                }
                this.bases.set(index, newlines);
            }
        }
        finally {
            await file?.close();
        }
    }
    /**
     * A worker's letter (JSON.stringify of a DeadLetter) with the lines before its piece added
     * and its source renamed, edited as text: a parse and a stringify per letter cost 3 s per
     * million. `,"` cannot occur inside a JSON string (a quote there is escaped), so the first
     * `,"position":{"source":` and the first `,"line":` after it are the position's own.
     */
    placed(json, base) {
        const position = json.indexOf(POSITION);
        if (position === -1)
            throw new Error(`a sort worker's dead letter without a position: ${json.slice(0, 200)}`);
        let text = json;
        const sourceAt = position + POSITION.length;
        for (const [file, name] of this.names) {
            const encoded = JSON.stringify(file);
            if (text.startsWith(encoded, sourceAt))
                text = text.slice(0, sourceAt) + JSON.stringify(name) + text.slice(sourceAt + encoded.length);
        }
        if (base === 0)
            return text;
        const lineAt = text.indexOf(LINE, sourceAt);
        if (lineAt === -1)
            return text;
        const digits = lineAt + LINE.length;
        let end = digits;
        while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39)
            end++;
        return text.slice(0, digits) + String(Number(text.slice(digits, end)) + base) + text.slice(end);
    }
    /** Passes every letter to the sink, piece by piece, removing each file once copied. Needs countLines() first. */
    async deliver(signal) {
        for (const index of [...this.files.keys()].sort((a, b) => a - b)) {
            const base = this.bases.get(index) ?? 0;
            const file = this.files.get(index);
            let unflushed = 0;
            let rest = '';
            for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024, ...(signal && { signal }) })) {
                const text = rest + chunk;
                const lines = text.split('\n');
                rest = lines.pop();
                for (const line of lines) {
                    const json = this.placed(line, base);
                    if (this.deadLetters.writeSerialized)
                        this.deadLetters.writeSerialized(json);
                    else
                        this.deadLetters.write(JSON.parse(json));
                    unflushed += json.length;
                }
                if (unflushed >= FLUSH_BYTES) {
                    await this.deadLetters.flush?.();
                    unflushed = 0;
                }
            }
            rmSync(file, { force: true });
        }
        await this.deadLetters.flush?.();
    }
}
//# sourceMappingURL=piece-letters.js.map