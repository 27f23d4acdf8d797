/** Kafka's murmur2 (Utils.murmur2): a signed 32-bit hash of the bytes. */
export declare function murmur2(data: Uint8Array): number;
/** The partition of a key among `partitions`, as Kafka's Java producer chooses it. */
export declare function javaPartitioner(partitions: number): (key: Uint8Array | string) => number;
