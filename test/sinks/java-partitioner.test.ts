import { describe, expect, it } from 'vitest';
import { javaPartitioner } from '../../src/sinks/kafka-sink.js';

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
  it.each([1, 6, 7, 64])('matches the Java client over %i partitions', (partitions) => {
    const partitionOf = javaPartitioner('visits', partitions);
    for (const [key, hash] of JAVA_MURMUR2) expect(partitionOf(key), key).toBe((hash & 0x7fffffff) % partitions);
  });
});
