/** A record as the batch holds it: key and value bytes, header names and values as bytes. */
export interface BatchRecord {
    key?: Uint8Array | null | undefined;
    value?: Uint8Array | null | undefined;
    headers?: ReadonlyMap<Uint8Array, Uint8Array> | undefined;
    /** Milliseconds since the epoch. */
    timestamp: bigint;
}
export interface BatchHeader {
    producerId: bigint;
    producerEpoch: number;
    baseSequence: number;
    /** Marks the batch as part of a transaction. */
    transactional: boolean;
    partitionLeaderEpoch: number;
}
/** The bytes of the records section, compressed; returns its input when there is no compression. */
export type Compress = (records: Buffer) => Buffer;
export interface Compression {
    /** The codec's bits in the batch attributes (gzip 1, snappy 2, lz4 3, zstd 4). */
    bitmask: number;
    compress: Compress;
}
/** CRC-32C (Castagnoli) of the bytes. */
export type Crc32c = (bytes: Buffer) => number;
export declare function encodeRecordBatch(records: readonly BatchRecord[], header: BatchHeader, crc32c: Crc32c, compression?: Compression): Buffer;
