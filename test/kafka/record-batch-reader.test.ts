import { compressionsAlgorithms, compressionsAlgorithmsByBitmask, crc32c, kGetApi, Reader, readRecordsBatches, Writer } from '@platformatic/kafka';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../src/kafka/record-batch.js';
import { allBatchesOf, readBatchesFast } from '../../src/kafka/platformatic-fetch.js';
import { readRecordBatches, VarintReader } from '../../src/kafka/record-batch-reader.js';

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
const record = fc.record({
  key: fc.option(bytes(40), { nil: undefined }),
  value: fc.option(bytes(600), { nil: undefined }),
  headers: fc.option(fc.array(fc.tuple(bytes(20), bytes(20)), { maxLength: 3 }), { nil: undefined }),
  // Past 2^31 ms either way the timestamp delta takes more than five varint bytes.
  delta: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
});
const batch = fc.record({
  records: fc.array(record, { minLength: 1, maxLength: 20 }),
  producerId: fc.bigInt({ min: -1n, max: 2n ** 62n }),
  transactional: fc.boolean(),
  /** Offsets skipped before the batch (compaction leaves gaps). */
  gap: fc.integer({ min: 0, max: 1000 }),
});

type Batch = typeof batch extends fc.Arbitrary<infer T> ? T : never;

const decompress = (bitmask: number, data: Buffer) => (compressionsAlgorithmsByBitmask as unknown as Record<number, { decompressSync: (b: Buffer) => Buffer }>)[bitmask]!.decompressSync(data);

/** Batches as a fetch answer holds them: one after another, at increasing base offsets. */
function fetchedBytes(batches: Batch[], compression: keyof typeof compressionsAlgorithms): Buffer & { ends: number[] } {
  let offset = 0n;
  const encoded = batches.map((b) => {
    offset += BigInt(b.gap);
    const algorithm = compression === 'none' ? undefined : compressionsAlgorithms[compression];
    const bytes = encodeRecordBatch(
      b.records.map((r) => ({ key: r.key, value: r.value, headers: r.headers && new Map(r.headers), timestamp: 1_795_000_000_000n + BigInt(r.delta) })),
      { producerId: b.producerId, producerEpoch: 0, baseSequence: 0, transactional: b.transactional, partitionLeaderEpoch: 0, timestamp: 0n },
      crc32c as (b: Buffer) => number,
      algorithm && { bitmask: algorithm.bitmask, compress: (b) => algorithm.compressSync(b) as Buffer },
    );
    bytes.writeBigInt64BE(offset, 0);
    offset += BigInt(b.records.length);
    return bytes;
  });
  let end = 0;
  return Object.assign(Buffer.concat(encoded), { ends: encoded.map((b) => (end += b.length)) });
}

/** The batches with each record's fields as own properties (key and headers are getters). */
const plain = (batches: ReturnType<typeof readRecordBatches>) =>
  batches.map((b) => ({ ...b, records: b.records.map(({ offset, key, value, headers }) => ({ offset, key, value, headers })) }));

describe('readRecordBatches', () => {
  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)('reads what the client reads, with absolute offsets (compression %s)', (compression) => {
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 4 }), fc.nat(), fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 30 }), (batches, cut, chunkSizes) => {
        const whole = fetchedBytes(batches, compression);
        // The broker may end a fetch inside a batch: only whole ones are read.
        const fetched = whole.subarray(0, whole.length - (cut % 200));
        const expected = readRecordsBatches(Reader.from(fetched)).map((b) => ({
          firstOffset: b.firstOffset,
          lastOffsetDelta: b.lastOffsetDelta,
          producerId: b.producerId,
          attributes: b.attributes,
          records: b.records.map((r) => ({ offset: b.firstOffset + BigInt(r.offsetDelta), key: r.key, value: r.value, headers: r.headers })),
        }));
        const actual = plain(readRecordBatches([fetched], decompress));
        expect(actual).toEqual(expected);
        // The same bytes as the client holds a response: in socket chunks that batches straddle.
        const chunks = Writer.create();
        let at = 0;
        for (const size of chunkSizes) if (at < fetched.length) chunks.append(fetched.subarray(at, (at += size)));
        if (at < fetched.length) chunks.append(fetched.subarray(at));
        expect(plain(readRecordBatches(chunks.buffers, decompress))).toEqual(expected);
        expect(actual.length).toBe(whole.ends.filter((end) => end <= fetched.length).length);
      }),
      { numRuns: compression === 'none' ? 200 : 40 },
    );
  });

  it('says which batch it cannot read rather than misreading an old message set', () => {
    const bytes = fetchedBytes([{ records: [{ key: undefined, value: Buffer.from('x'), headers: undefined, delta: 0 }], producerId: -1n, transactional: false, gap: 7 }], 'none');
    bytes[16] = 1;
    expect(() => readRecordBatches([bytes], decompress)).toThrow(/offset 7 has magic 1/);
  });

  it('refuses a batch whose record count cannot fit its bytes, before sizing anything by it', () => {
    const bytes = fetchedBytes([{ records: [{ key: undefined, value: Buffer.from('x'), headers: undefined, delta: 0 }], producerId: -1n, transactional: false, gap: 7 }], 'none');
    bytes.writeInt32BE(2 ** 31 - 1, 57);
    expect(() => readRecordBatches([bytes], decompress)).toThrow(/claims 2147483647 records/);
  });
});

describe('readBatchesFast', () => {
  type Answer = { responses: { partitions: { partitionIndex: number; records: unknown }[] }[] };
  /** A consumer whose kGetApi answers with `api` for Fetch, as the client picks it for the broker. */
  function consumerWith(api: (...args: unknown[]) => void, version: number) {
    const fetch = Object.assign(api, { version, key: 1, async: undefined });
    return { [kGetApi]: (name: string, callback: (error: Error | null, api?: unknown) => void) => callback(null, name === 'Fetch' ? fetch : undefined) };
  }
  const pick = (consumer: ReturnType<typeof consumerWith>) =>
    new Promise<(...args: unknown[]) => void>((resolve) => consumer[kGetApi]('Fetch', (_error, api) => resolve(api as (...args: unknown[]) => void)));

  it('uses its own API for Fetch v13 to v17, the client’s (wrapped) below', async () => {
    for (const version of [12, 13, 17]) {
      let clientCalled = false;
      const consumer = readBatchesFast(consumerWith((...args: unknown[]) => ((clientCalled = true), (args.at(-1) as (e: null, r: Answer) => void)(null, { responses: [] })), version) as never);
      const api = await pick(consumer as never);
      expect([(api as unknown as { version: number }).version, (api as unknown as { key: number }).key]).toEqual([version, 1]);
      if (version === 12) {
        api('connection', () => undefined);
        expect(clientCalled).toBe(true);
      } else {
        // Its own: a function of the client's createAPI, which the stub never sees.
        expect(typeof (api as unknown as { async: unknown }).async).toBe('function');
      }
    }
  });

  it('turns an older broker’s batches, as the client read them, into the same records with absolute offsets, all kept', async () => {
    const clientBatch = {
      firstOffset: 100n,
      lastOffsetDelta: 1,
      producerId: 7n,
      attributes: 0,
      records: [
        { offsetDelta: 0, key: Buffer.from('a'), value: Buffer.from('1'), headers: [] },
        { offsetDelta: 1, key: null, value: Buffer.from('2'), headers: [[Buffer.from('h'), Buffer.from('v')]] },
      ],
    };
    const answer: Answer = { responses: [{ partitions: [{ partitionIndex: 3, records: [clientBatch] }] }] };
    const consumer = readBatchesFast(consumerWith((...args: unknown[]) => (args.at(-1) as (e: null, r: Answer) => void)(null, answer), 12) as never);
    const api = await pick(consumer as never);
    const response = await new Promise<Answer>((resolve) => api('connection', 'other arguments', (_error: null, r: Answer) => resolve(r)));
    const partition = response.responses[0]!.partitions[0]! as never;
    expect(allBatchesOf(partition)).toEqual([
      {
        firstOffset: 100n,
        lastOffsetDelta: 1,
        producerId: 7n,
        attributes: 0,
        records: [
          { offset: 100n, key: Buffer.from('a'), value: Buffer.from('1'), headers: [] },
          { offset: 101n, key: null, value: Buffer.from('2'), headers: [[Buffer.from('h'), Buffer.from('v')]] },
        ],
      },
    ]);
  });
});

describe('VarintReader', () => {
  /** Kafka's zigzag varint of a 32-bit integer. */
  function zigzag(value: number): Buffer {
    let unsigned = ((value << 1) ^ (value >> 31)) >>> 0;
    const bytes: number[] = [];
    while (unsigned >= 0x80) {
      bytes.push((unsigned & 0x7f) | 0x80);
      unsigned >>>= 7;
    }
    bytes.push(unsigned);
    return Buffer.from(bytes);
  }

  it('reads every 32-bit value back, in one to five bytes, and refuses what runs out or goes on', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -64, max: 63 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { minLength: 1, maxLength: 8 }), (values) => {
        const bytes = Buffer.concat(values.map(zigzag));
        const reader = new VarintReader();
        reader.over(bytes, 0, bytes.length);
        expect(values.map(() => reader.varint())).toEqual(values);
        expect(reader.at).toBe(bytes.length);
        reader.over(bytes, 0, bytes.length - 1);
        expect(() => values.forEach(() => reader.varint())).toThrow(/ends inside a varint/);
      }),
    );
    const reader = new VarintReader();
    reader.over(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), 0, 6);
    expect(() => reader.varint()).toThrow(/longer than 5 bytes/);
  });
});
