import type { VisitEvent } from '../../events.js';
/** What a stage that writes delivery lines counts. */
export interface NdjsonSinkStats {
    batches: number;
    delivered: number;
}
/** The key field's JSON and the value field's name, `"<visit_id>","value":`, as bytes: what a line holds between its batch and its value. */
export declare function deliveryKey(visitId: string): Buffer;
/**
 * Delivery lines of one batch, encoded straight into byte chunks of `chunkBytes`:
 * {"delivery_batch":N,"key":"<visit_id>","value":<the event's original JSON>}.
 * Building one string per line and letting a writer encode it again cost ~3 s per million
 * events. Constant bytes are copied with TypedArray#set: Buffer#write of a short string costs
 * a call into C++ per piece, which showed in profiles.
 */
export declare class DeliveryLines {
    readonly batch: number;
    private readonly chunkBytes;
    /** Filled chunks, in order; the last one may still grow. */
    private readonly chunks;
    private chunk;
    private used;
    private readonly prefix;
    constructor(batch: number, chunkBytes: number);
    /** Adds the event's line; `key` is deliveryKey(event.visitId), which callers can reuse across a visit's events. */
    add(event: VisitEvent, key?: Buffer): void;
    /** Adds a line whose value is `source[start, end)`, the event's exact bytes. */
    addBytes(key: Buffer, source: Buffer, start: number, end: number): void;
    /** Writes the line's head into a chunk with room for the whole line; returns where the value goes. */
    private room;
    private closeLine;
    /** The chunks, the last one trimmed to what was written; add() nothing after this. */
    finish(): Buffer[];
}
