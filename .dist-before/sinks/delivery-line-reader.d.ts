import type { OutgoingRecord } from '../kafka/port.js';
/** One delivery batch read back from delivery lines, its records grouped by partition. */
export interface ReadBatch {
    number: number;
    byPartition: Map<number, OutgoingRecord[]>;
}
/**
 * Turns chunks of delivery lines (`{"delivery_batch":N,"key":"<visit_id>","value":<event>}`,
 * the NDJSON sink's format, batch after batch) back into Kafka records without parsing the
 * events: the value is the event's bytes as they stand in the line, and the key is the line's
 * key bytes, decoded only when it holds a JSON escape. So a merge on a worker thread can hand
 * the Kafka sink chunks of bytes instead of an object per event.
 */
export declare class DeliveryLineReader {
    private readonly partitionOf;
    private current;
    private carry;
    private readonly headers;
    constructor(partitionOf: (key: Uint8Array) => number);
    /** Reads a chunk; returns the batches it completed (a batch ends where the next begins). */
    push(chunk: Buffer): ReadBatch[];
    /** The last batch, once the lines have ended. */
    end(): ReadBatch | undefined;
    private line;
    /** One headers array per batch, so the client can encode it once. */
    private headersOf;
}
