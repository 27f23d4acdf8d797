import { foundFields, scanFields } from './scan-event-fields.js';
import { SCAN_FIELDS_WASM } from './scan-fields-wasm.js';
const { WebAssembly } = globalThis;
/** Bytes of the block in the module's memory (its memory has room for this and a little more). */
export const WASM_BLOCK_BYTES = 1024 * 1024;
/** Bytes the scan may read past a row's end (a literal or \u escape running up to it). */
const READ_PAST_END = 8;
let compiled;
/**
 * scanFields (scan-event-fields.ts) compiled to WebAssembly (scan-fields.wat), over rows read
 * into `block`, a view of the module's memory, because it is faster than the JS scanner
 * (bench/scan-fields.mjs). scan() takes the same arguments and fills
 * foundFields the same way, and hands rows that are not in `block` to the JS scanner; instant()
 * reads the common event_time layout. One instance per thread.
 */
export class WasmFieldScanner {
    /** Read rows into this (or a part of it) for scan() to use the WebAssembly scanner. */
    block;
    memory;
    result;
    scanAt;
    instantAt;
    constructor() {
        compiled ??= new WebAssembly.Module(Buffer.from(SCAN_FIELDS_WASM, 'base64'));
        const exports = new WebAssembly.Instance(compiled).exports;
        this.memory = exports.memory.buffer;
        const blockAt = exports.BLOCK.value;
        if (blockAt + WASM_BLOCK_BYTES + READ_PAST_END > this.memory.byteLength)
            throw new Error('scan-fields.wat: its memory is too small for the block');
        this.block = Buffer.from(this.memory, blockAt, WASM_BLOCK_BYTES);
        this.result = new Int32Array(this.memory, exports.RESULT.value, 7);
        this.scanAt = exports.scanFields;
        this.instantAt = exports.commonInstant;
    }
    /** scanFields(bytes, start, end): in WebAssembly when `bytes` is a view of `block`. */
    scan = (bytes, start, end) => {
        if (bytes.buffer !== this.memory)
            return scanFields(bytes, start, end);
        const base = bytes.byteOffset;
        if (this.scanAt(base + start, base + end) === 0)
            return false;
        const r = this.result;
        const f = foundFields;
        f.visitStart = r[0] - base;
        f.visitEnd = r[1] - base;
        f.visitEscaped = r[2] !== 0;
        f.timeStart = r[3] - base;
        f.timeEnd = r[4] - base;
        f.timeIsString = r[5] !== 0;
        f.timeEscaped = r[6] !== 0;
        return true;
    };
    /**
     * commonIsoInstant (event-time.ts) of the text at bytes[start, end) when `bytes` is a view of
     * `block` (NaN if it is not in that layout), else undefined: the caller then reads it in JS.
     */
    instant = (bytes, start, end) => bytes.buffer === this.memory ? this.instantAt(bytes.byteOffset + start, bytes.byteOffset + end) : undefined;
}
//# sourceMappingURL=wasm-field-scanner.js.map