// Kafka's Java default partitioner for keyed records: toPositive(murmur2(key)) % partitions,
// written with Math.imul over the key's bytes (the clients' own versions use BigInt or
// load a whole client). A visit lands on the partition a Java producer would choose.

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (Utils.murmur2): a signed 32-bit hash of the bytes, or of `data[start, end)`. */
export function murmur2(data: Uint8Array, start = 0, end = data.length): number {
  const length = end - start;
  let h = (SEED ^ length) | 0;
  const whole = start + (length & ~3);
  for (let i = start; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data[whole + 2]! << 16;
    if (rest >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of a key among `partitions`, as Kafka's Java producer chooses it. */
export function javaPartitioner(partitions: number): (key: Uint8Array | string) => number {
  const count = Math.max(1, partitions);
  return (key) => (murmur2(typeof key === 'string' ? Buffer.from(key) : key) & 0x7fffffff) % count;
}

/** javaPartitioner for a key that is `bytes[start, end)`, without a view of it. */
export function javaRangePartitioner(partitions: number): (bytes: Uint8Array, start: number, end: number) => number {
  const count = Math.max(1, partitions);
  return (bytes, start, end) => (murmur2(bytes, start, end) & 0x7fffffff) % count;
}
