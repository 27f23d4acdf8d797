/** Bytes of the block in the module's memory (its memory has room for this and a little more). */
export declare const WASM_BLOCK_BYTES: number;
/**
 * scanFields (scan-event-fields.ts) compiled to WebAssembly (scan-fields.wat), over rows read
 * into `block`, a view of the module's memory, because it is faster than the JS scanner
 * (bench/scan-fields.mjs). scan() takes the same arguments and fills
 * foundFields the same way, and hands rows that are not in `block` to the JS scanner; instant()
 * reads the common event_time layout. One instance per thread.
 */
export declare class WasmFieldScanner {
    /** Read rows into this (or a part of it) for scan() to use the WebAssembly scanner. */
    readonly block: Buffer;
    private readonly memory;
    private readonly result;
    private readonly scanAt;
    private readonly instantAt;
    constructor();
    /** scanFields(bytes, start, end): in WebAssembly when `bytes` is a view of `block`. */
    readonly scan: (bytes: Buffer, start: number, end: number) => boolean;
    /**
     * commonIsoInstant (event-time.ts) of the text at bytes[start, end) when `bytes` is a view of
     * `block` (NaN if it is not in that layout), else undefined: the caller then reads it in JS.
     */
    readonly instant: (bytes: Buffer, start: number, end: number) => number | undefined;
}
