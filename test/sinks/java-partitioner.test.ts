import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { javaPartitioner, javaRangePartitioner, murmur2 } from '../../src/kafka/java-partitioner.js';

// Kafka's own murmur2 test vectors (clients/.../common/utils/UtilsTest.java): the partition
// barrier groups records by the partition a Java producer would choose, toPositive(murmur2) % n.
const JAVA_MURMUR2: [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

describe('javaPartitioner', () => {
  it("hashes Kafka's test vectors as Utils.murmur2 does", () => {
    for (const [key, hash] of JAVA_MURMUR2) expect(murmur2(Buffer.from(key)), key).toBe(hash);
  });

  it.each([1, 6, 7, 64])('matches the Java client over %i partitions', (partitions) => {
    const partitionOf = javaPartitioner(partitions);
    for (const [key, hash] of JAVA_MURMUR2) expect(partitionOf(key), key).toBe((hash & 0x7fffffff) % partitions);
  });

  it("agrees with kafkajs' Java-compatible partitioner on any key and partition count", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 1, max: 200 }), (key, partitions) => {
        const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
          partitionId,
          leader: 0,
          replicas: [0],
          isr: [0],
          partitionErrorCode: 0,
        }));
        expect(javaPartitioner(partitions)(key)).toBe(kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } }));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a key inside a larger buffer the partition of the key alone', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 12 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 12 }),
        fc.integer({ min: 1, max: 64 }),
        (before, key, after, partitions) => {
          const bytes = Buffer.concat([before, key, after]);
          expect(javaRangePartitioner(partitions)(bytes, before.length, before.length + key.length)).toBe(javaPartitioner(partitions)(Buffer.from(key)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
