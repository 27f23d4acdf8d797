import { isUtf8 } from 'node:buffer';
export const DEFAULT_MAX_ROW_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
var ArrayState;
(function (ArrayState) {
    ArrayState[ArrayState["BeforeArray"] = 0] = "BeforeArray";
    ArrayState[ArrayState["BeforeElement"] = 1] = "BeforeElement";
    ArrayState[ArrayState["InElement"] = 2] = "InElement";
    ArrayState[ArrayState["AfterArray"] = 3] = "AfterArray";
})(ArrayState || (ArrayState = {}));
/** JSON whitespace. */
export function isSpace(byte) {
    return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
/** A UTF-8 byte-order mark at the start of `bytes` (skipped before format detection). */
export function hasByteOrderMark(bytes) {
    return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
/**
 * Bytes in, rows out: splits NDJSON on newlines, or a top-level JSON array into its elements,
 * keeping each row's exact text and position. Rows are parsed with JSON.parse; rows that are
 * not JSON, not UTF-8, or too long go to `reject` and splitting goes on. Pure: feed it
 * chunks with push() and call end() once.
 */
export class RowSplitter {
    handler;
    source;
    maxRowBytes;
    format;
    parse;
    takeLine;
    reusesChunks;
    /** Bytes of the row being assembled, across chunks. */
    parts = [];
    partBytes = 0;
    /** The row outgrew maxRowBytes: parts keep its first bytes, partBytes counts all of it. */
    oversized = false;
    rowOffset = 0;
    consumed = 0;
    bomChecked = false;
    line = 0;
    index = 0;
    arrayState = ArrayState.BeforeArray;
    depth = 0;
    inString = false;
    escaped = false;
    rows = 0;
    rejected = 0;
    constructor(handler, options = {}) {
        this.handler = handler;
        this.source = options.source ?? 'input';
        this.maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
        this.format = options.format ?? 'auto';
        this.parse = options.parse ?? parseRowBytes;
        this.takeLine = options.takeLine;
        this.reusesChunks = options.reusesChunks ?? false;
        this.consumed = this.rowOffset = options.startOffset ?? 0;
        // A byte-order mark can only open a file.
        this.bomChecked = this.consumed > 0;
    }
    push(chunk) {
        let start = 0;
        if (!this.bomChecked && chunk.length > 0) {
            this.bomChecked = true;
            if (hasByteOrderMark(chunk))
                start = 3;
        }
        if (this.format === 'auto') {
            let first = start;
            while (first < chunk.length && isSpace(chunk[first]))
                first++;
            if (first < chunk.length && chunk[first] === OPEN_BRACKET) {
                // Whatever the leading blank lines added to a row or to the line count was NDJSON's.
                this.format = 'array';
                this.takeRow();
                this.line = 0;
                this.rowOffset = this.consumed + first;
                start = first;
            }
            else if (first < chunk.length) {
                this.format = 'ndjson';
            }
            // Until a non-space byte decides, leading blank lines are read as NDJSON lines, so
            // lines are counted and offsets kept exactly as an explicit --format ndjson would.
        }
        if (this.format === 'array')
            this.pushArray(chunk, start);
        else
            this.pushLines(chunk, start);
        this.consumed += chunk.length;
    }
    end() {
        if (this.format !== 'array') {
            if (this.partBytes > 0)
                this.completeLine();
        }
        else {
            if (this.arrayState === ArrayState.InElement) {
                const rejected = this.rejected;
                this.completeElement(' (the JSON array is not closed)');
                // A whole last element with no ']' after it: the input was cut short; say so.
                if (this.rejected === rejected)
                    this.rejectUnclosedArray();
            }
            else if (this.arrayState === ArrayState.AfterArray && this.partBytes > 0) {
                this.emitRejectedTail('content after the end of the top-level JSON array');
            }
            else if (this.arrayState !== ArrayState.AfterArray) {
                this.rejectUnclosedArray();
            }
        }
    }
    pushLines(chunk, from) {
        let start = from;
        const take = this.takeLine;
        const takeUntil = take === undefined ? -1 : this.wholeUtf8Lines(chunk, from);
        for (;;) {
            const newline = chunk.indexOf(NEWLINE, start);
            if (newline === -1) {
                // A row's first part: a reused chunk is overwritten before the row ends.
                const part = this.reusesChunks ? Buffer.from(chunk.subarray(start)) : chunk.subarray(start);
                this.append(part, 0, part.length);
                return;
            }
            if (newline <= takeUntil &&
                this.partBytes === 0 &&
                newline - start <= this.maxRowBytes &&
                take(chunk, start, chunk[newline - 1] === CR ? newline - 1 : newline, this.rowOffset)) {
                this.line++;
                this.rows++;
            }
            else {
                this.append(chunk, start, newline);
                this.completeLine();
            }
            this.rowOffset = this.consumed + newline + 1;
            start = newline + 1;
        }
    }
    /**
     * The last newline of `chunk` if the lines that lie whole in it, from `from` on, are valid
     * UTF-8 (checked at once, not row by row), else -1. A row continued from the last chunk is
     * left out: the chunk may have cut one of its characters.
     */
    wholeUtf8Lines(chunk, from) {
        const first = this.partBytes === 0 ? from : chunk.indexOf(NEWLINE, from) + 1;
        if (first === 0 && this.partBytes > 0)
            return -1;
        const last = chunk.lastIndexOf(NEWLINE);
        return last >= first && isUtf8(chunk.subarray(first, last)) ? last : -1;
    }
    completeLine() {
        this.line++;
        const position = { source: this.source, line: this.line, offset: this.rowOffset };
        const { oversized, partBytes: size } = this;
        let bytes = this.takeRow();
        if (oversized)
            return this.rejectOversized(bytes, size, position);
        if (bytes.length > 0 && bytes[bytes.length - 1] === CR)
            bytes = bytes.subarray(0, bytes.length - 1);
        if (isBlank(bytes))
            return;
        this.emit(bytes, position, '');
    }
    pushArray(chunk, from) {
        let i = from;
        const length = chunk.length;
        while (i < length) {
            switch (this.arrayState) {
                case ArrayState.BeforeArray: {
                    // auto-detection already saw '['; an explicit --format array may see anything.
                    const byte = chunk[i];
                    if (isSpace(byte)) {
                        i++;
                        break;
                    }
                    if (byte !== OPEN_BRACKET) {
                        this.arrayState = ArrayState.AfterArray;
                        this.rowOffset = this.consumed + i;
                        break;
                    }
                    this.arrayState = ArrayState.BeforeElement;
                    i++;
                    break;
                }
                case ArrayState.BeforeElement: {
                    const byte = chunk[i];
                    if (isSpace(byte) || byte === COMMA) {
                        i++;
                    }
                    else if (byte === CLOSE_BRACKET) {
                        this.arrayState = ArrayState.AfterArray;
                        this.rowOffset = this.consumed + i + 1;
                        i++;
                    }
                    else {
                        this.arrayState = ArrayState.InElement;
                        this.rowOffset = this.consumed + i;
                        this.depth = 0;
                        this.inString = false;
                        this.escaped = false;
                    }
                    break;
                }
                case ArrayState.InElement: {
                    const end = this.scanElement(chunk, i);
                    if (end === -1) {
                        this.append(chunk, i, length);
                        i = length;
                        break;
                    }
                    this.append(chunk, i, end);
                    this.completeElement('');
                    this.arrayState = chunk[end] === CLOSE_BRACKET ? ArrayState.AfterArray : ArrayState.BeforeElement;
                    if (this.arrayState === ArrayState.AfterArray)
                        this.rowOffset = this.consumed + end + 1;
                    i = end + 1;
                    break;
                }
                case ArrayState.AfterArray: {
                    // Only whitespace may follow the array; anything else is kept and dead-lettered at the end.
                    let start = i;
                    if (this.partBytes === 0) {
                        while (start < length && isSpace(chunk[start]))
                            start++;
                        if (start < length)
                            this.rowOffset = this.consumed + start;
                    }
                    this.append(chunk, start, length);
                    i = length;
                    break;
                }
            }
        }
    }
    /** Index of the ',' or ']' that ends the current element, or -1 if it goes on past this chunk. */
    scanElement(chunk, from) {
        let depth = this.depth;
        let inString = this.inString;
        let escaped = this.escaped;
        const length = chunk.length;
        for (let i = from; i < length; i++) {
            const byte = chunk[i];
            if (inString) {
                if (escaped)
                    escaped = false;
                else if (byte === BACKSLASH)
                    escaped = true;
                else if (byte === QUOTE)
                    inString = false;
                continue;
            }
            if (byte === QUOTE)
                inString = true;
            else if (byte === OPEN_BRACE || byte === OPEN_BRACKET)
                depth++;
            else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
                if (depth === 0) {
                    this.depth = 0;
                    return i; // the array's closing ']'
                }
                depth--;
            }
            else if (byte === COMMA && depth === 0) {
                this.depth = 0;
                return i;
            }
        }
        this.depth = depth;
        this.inString = inString;
        this.escaped = escaped;
        return -1;
    }
    completeElement(note) {
        const position = { source: this.source, index: this.index++, offset: this.rowOffset };
        const { oversized, partBytes: size } = this;
        let bytes = this.takeRow();
        if (oversized)
            return this.rejectOversized(bytes, size, position);
        let end = bytes.length;
        while (end > 0 && isSpace(bytes[end - 1]))
            end--;
        bytes = bytes.subarray(0, end);
        this.emit(bytes, position, note);
    }
    emit(bytes, position, note) {
        const parsed = this.parse(bytes, position, note);
        if ('reason' in parsed)
            return this.reject(parsed);
        this.rows++;
        this.handler.row(parsed);
    }
    rejectOversized(prefix, size, position) {
        this.reject(withRaw({ reason: `row exceeds ${this.maxRowBytes} bytes`, position, truncated: true, size }, prefix));
    }
    emitRejectedTail(reason) {
        const position = { source: this.source, offset: this.rowOffset };
        const { oversized, partBytes: size } = this;
        const letter = { reason, position };
        if (oversized)
            Object.assign(letter, { truncated: true, size });
        this.reject(withRaw(letter, this.takeRow()));
    }
    rejectUnclosedArray() {
        this.reject({ reason: 'the top-level JSON array is not closed', position: { source: this.source, offset: this.consumed }, raw: '' });
    }
    reject(letter) {
        this.rejected++;
        this.handler.reject(letter);
    }
    append(chunk, start, end) {
        if (end <= start)
            return;
        const length = end - start;
        if (!this.oversized && this.partBytes + length > this.maxRowBytes) {
            this.oversized = true;
            const room = this.maxRowBytes - this.partBytes;
            if (room > 0)
                this.parts.push(chunk.subarray(start, start + room));
        }
        else if (!this.oversized) {
            // A view, not a copy: stream chunks are never reused once pushed.
            this.parts.push(chunk.subarray(start, end));
        }
        this.partBytes += length;
    }
    /** The assembled row's bytes (at most maxRowBytes of them); resets the assembly. */
    takeRow() {
        const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
        this.parts = [];
        this.partBytes = 0;
        this.oversized = false;
        return bytes;
    }
}
/**
 * One row's bytes → a ParsedRow, or the dead letter saying why it is not one (invalid UTF-8,
 * malformed JSON). `note` is appended to the reason.
 */
export function parseRowBytes(bytes, position, note = '') {
    if (!isUtf8(bytes))
        return withRaw({ reason: `invalid UTF-8${note}`, position }, bytes);
    const text = bytes.toString('utf8');
    try {
        return { text, value: JSON.parse(text), position, bytes };
    }
    catch (error) {
        return { reason: `malformed JSON: ${error.message}${note}`, position, raw: text };
    }
}
/** Attaches the row's bytes to a dead letter: as text when they are UTF-8, else as base64. */
export function withRaw(letter, bytes) {
    if (isUtf8(bytes))
        letter.raw = bytes.toString('utf8');
    else
        letter.rawBase64 = bytes.toString('base64');
    return letter;
}
function isBlank(bytes) {
    for (let i = 0; i < bytes.length; i++)
        if (!isSpace(bytes[i]))
            return false;
    return true;
}
//# sourceMappingURL=row-splitter.js.map