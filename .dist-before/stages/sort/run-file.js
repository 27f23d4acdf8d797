import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { compareSortKeys } from '../../events.js';
// A sorted run on disk, one record after another:
//   u32 length of the rest | f64 time | f64 seq | u32 visitId bytes | visitId | text
// Binary, so the merge never parses JSON again. I/O is synchronous on purpose: the sort
// owns the pipeline while it spills or merges, and sync reads of page-cached blocks cost
// less than a promise per block.
/** Bytes of a record besides its visitId and text. */
export const RECORD_HEADER_BYTES = 4 + 8 + 8 + 4;
const WRITE_BLOCK = 1024 * 1024;
/**
 * Writes one record at `at` (room is the caller's business: at most RECORD_HEADER_BYTES + 3 ×
 * the strings' lengths, or the Buffer's length), its text being `text`, or `text[start, end)`
 * for a Buffer. Returns the offset after it.
 */
export function encodeRecord(block, at, time, seq, visitId, text, start = 0, end = text.length) {
    let used = block.writeDoubleLE(time, at + 4);
    used = block.writeDoubleLE(seq, used);
    const idBytes = block.write(visitId, used + 4, 'utf8');
    block.writeUInt32LE(idBytes, used);
    used += 4 + idBytes;
    if (typeof text === 'string') {
        used += block.write(text, used, 'utf8');
    }
    else {
        used += text.copy(block, used, start, end);
    }
    block.writeUInt32LE(used - at - 4, at);
    return used;
}
/** Writes events (already sorted) to a new file, created private (0600). Returns its size. */
export function writeRun(path, events) {
    const writer = new RunFileWriter(path);
    try {
        for (const event of events) {
            const text = event.bytes ?? event.text;
            writer.reserve(RECORD_HEADER_BYTES + 3 * event.visitId.length + (typeof text === 'string' ? 3 * text.length : text.length));
            writer.used = encodeRecord(writer.block, writer.used, event.time, event.seq, event.visitId, text);
        }
    }
    catch (error) {
        writer.discard();
        throw error;
    }
    return writer.close();
}
/** A new run file, created private (0600), filled through one write block. */
export class RunFileWriter {
    block = Buffer.allocUnsafe(WRITE_BLOCK);
    /** Bytes of `block` filled so far. */
    used = 0;
    size = 0;
    fd;
    constructor(path) {
        this.fd = openSync(path, 'wx', 0o600);
    }
    /** Makes room for `bytes` more from `used`, writing the block out first when it is too full. */
    reserve(bytes) {
        if (this.used + bytes <= this.block.length)
            return;
        this.flush();
        if (bytes > this.block.length)
            this.block = Buffer.allocUnsafe(bytes);
    }
    /** Appends `source[start, end)`, whole records already in the run format. */
    append(source, start, end) {
        this.reserve(end - start);
        this.block.set(source.subarray(start, end), this.used);
        this.used += end - start;
    }
    /** Writes what is left, closes the file and returns its size. */
    close() {
        try {
            this.flush();
        }
        finally {
            closeSync(this.fd);
        }
        return this.size;
    }
    /** Closes the file without writing more (the caller failed; the run is removed with its directory). */
    discard() {
        closeSync(this.fd);
    }
    flush() {
        for (let written = 0; written < this.used;)
            written += writeSync(this.fd, this.block, written, this.used - written);
        this.size += this.used;
        this.used = 0;
    }
}
/**
 * Reads a run back in order, one block at a time, exposing the current record's fields and
 * where its bytes are in `buffer`, without making an object per record. A record larger than a
 * block grows it.
 */
export class RunCursor {
    path;
    reuseBlocks;
    blockSize;
    visitId = '';
    time = 0;
    seq = 0;
    /** Holds the current record: the whole record at [recordStart, end), its row bytes at [start, end). */
    buffer;
    recordStart = 0;
    start = 0;
    end = 0;
    fd;
    at = 0;
    filled = 0;
    eof = false;
    /** `buffer` as a DataView: its getFloat64 costs less than Buffer#readDoubleLE. */
    view;
    /** The UTF-8 bytes of `visitId`: a run holds a visit's events together, so the next record's id is often the same string. */
    idBytes = Buffer.alloc(0);
    /**
     * With `reuseBlocks`, the current record's bytes are valid only until the next advance():
     * for callers that copy them at once. Without it, every block is fresh, so views of a
     * record's bytes stay valid for good.
     */
    constructor(path, reuseBlocks, blockSize = 256 * 1024) {
        this.path = path;
        this.reuseBlocks = reuseBlocks;
        this.blockSize = blockSize;
        this.fd = openSync(path, 'r');
        this.buffer = Buffer.allocUnsafe(blockSize);
        this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
    }
    /** Moves to the next record; false at the end (and closes the file). */
    advance() {
        if (!this.ensure(4)) {
            this.close();
            return false;
        }
        const length = this.view.getUint32(this.at, true);
        if (!this.ensure(4 + length))
            throw new Error(`run file ${this.path} is truncated`);
        const b = this.buffer;
        const view = this.view;
        const at = this.at;
        this.time = view.getFloat64(at + 4, true);
        this.seq = view.getFloat64(at + 12, true);
        const idLength = view.getUint32(at + 20, true);
        if (!this.sameId(at + 24, idLength)) {
            this.visitId = b.toString('utf8', at + 24, at + 24 + idLength);
            this.idBytes = Buffer.from(b.subarray(at + 24, at + 24 + idLength));
        }
        this.recordStart = at;
        this.start = at + 24 + idLength;
        this.end = this.at = at + 4 + length;
        return true;
    }
    sameId(from, length) {
        const id = this.idBytes;
        if (id.length !== length)
            return false;
        const b = this.buffer;
        for (let i = 0; i < length; i++)
            if (b[from + i] !== id[i])
                return false;
        return true;
    }
    close() {
        if (!this.eof) {
            this.eof = true;
            closeSync(this.fd);
        }
    }
    /** Makes `bytes` bytes available from `at`, reading more; false at a clean end of file. */
    ensure(bytes) {
        while (this.filled - this.at < bytes) {
            if (this.eof)
                return false;
            const size = Math.max(bytes, this.blockSize);
            const next = this.reuseBlocks && this.buffer.length >= size ? this.buffer : Buffer.allocUnsafe(size);
            // TypedArray#set copies correctly when source and target share memory.
            next.set(this.buffer.subarray(this.at, this.filled), 0);
            if (next !== this.buffer)
                this.view = new DataView(next.buffer, next.byteOffset, next.length);
            this.buffer = next;
            this.filled -= this.at;
            this.at = 0;
            const read = readSync(this.fd, next, this.filled, next.length - this.filled, null);
            if (read === 0) {
                this.close();
                if (this.filled === 0)
                    return false;
                if (this.filled < bytes)
                    throw new Error(`run file ${this.path} is truncated`);
            }
            this.filled += read;
        }
        return true;
    }
}
/** (visit_id, instant, arrival) order of two cursors' current records. */
function before(a, b) {
    return compareSortKeys(a.visitId, a.time, a.seq, b.visitId, b.time, b.seq) < 0;
}
/**
 * K-way merge of sorted runs on a binary min-heap of cursors. next() returns the cursor whose
 * current record comes next; the following call advances that cursor and sifts it down once
 * (no pop and push).
 */
export class RunMerge {
    heap;
    taken;
    constructor(cursors) {
        this.heap = cursors.filter((cursor) => cursor.advance());
        for (let i = (this.heap.length >> 1) - 1; i >= 0; i--)
            this.siftDown(i);
    }
    /** The cursor holding the next record in order, or undefined when every run is exhausted. */
    next() {
        const heap = this.heap;
        if (this.taken !== undefined) {
            if (!this.taken.advance()) {
                const last = heap.pop();
                if (heap.length > 0)
                    heap[0] = last;
            }
            if (heap.length > 1)
                this.siftDown(0);
        }
        this.taken = heap[0];
        return this.taken;
    }
    siftDown(from) {
        const heap = this.heap;
        const length = heap.length;
        const item = heap[from];
        let i = from;
        for (;;) {
            let child = 2 * i + 1;
            if (child >= length)
                break;
            if (child + 1 < length && before(heap[child + 1], heap[child]))
                child++;
            if (!before(heap[child], item))
                break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = item;
    }
}
//# sourceMappingURL=run-file.js.map