import { compressionsAlgorithms, Consumer, crc32c, createRecordsBatch, kGetApi, Producer } from '@platformatic/kafka';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replaceApi } from '../../src/kafka/platformatic-apis.js';
import { encodeRecordBatch } from '../../src/kafka/record-batch.js';
import { SlicedRecord } from '../../src/kafka/sliced-record.js';

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
const record = fc.record({
  key: fc.option(bytes(40), { nil: undefined }),
  value: fc.option(bytes(600), { nil: undefined }),
  headers: fc.option(fc.array(fc.tuple(bytes(20), bytes(20)), { maxLength: 3 }), { nil: undefined }),
  // Milliseconds, either way, so that records differ by less than 2^31 ms: beyond that the
  // client's varlong zigzag is wrong (it shifts by 31, not 63); the test below pins this side.
  delta: fc.integer({ min: -(2 ** 30) + 1, max: 2 ** 30 - 1 }),
});
const header = fc.record({
  producerId: fc.bigInt({ min: -1n, max: 2n ** 62n }),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  transactional: fc.boolean(),
});

describe('encodeRecordBatch', () => {
  // The client's encoder is the reference: a change on either side shows up here.
  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)('writes the bytes @platformatic/kafka writes (compression %s)', (compression) => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), header, (generated, h) => {
        const base = 1_795_000_000_000n;
        const messages = generated.map((r) => ({
          topic: 't',
          partition: 3,
          key: r.key,
          value: r.value,
          headers: r.headers && new Map(r.headers),
          timestamp: base + BigInt(r.delta),
        }));
        const sequences = { getWithDefault: () => h.baseSequence };
        const expected = createRecordsBatch(
          messages.map((m) => ({ ...m })) as never,
          { producerId: h.producerId, producerEpoch: h.producerEpoch, sequences, compression, ...(h.transactional && { transactionalId: 'tx' }) } as never,
        ).buffer;
        const algorithm = compression === 'none' ? undefined : compressionsAlgorithms[compression];
        const actual = encodeRecordBatch(
          messages,
          { producerId: h.producerId, producerEpoch: h.producerEpoch, baseSequence: h.baseSequence, transactional: h.transactional, partitionLeaderEpoch: 0, timestamp: 0n },
          crc32c as (b: Buffer) => number,
          algorithm && { bitmask: algorithm.bitmask, compress: (b) => algorithm.compressSync(b) as Buffer },
        );
        expect(actual.equals(expected)).toBe(true);
      }),
      { numRuns: compression === 'none' ? 300 : 60 },
    );
  });

  it('writes records that share header Maps, as a delivery batch\'s do, as if each had its own', () => {
    const pool = fc.array(fc.array(fc.tuple(bytes(20), bytes(20)), { maxLength: 3 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(pool, fc.array(fc.tuple(fc.nat(), bytes(100)), { minLength: 1, maxLength: 40 }), (headerSets, generated) => {
        const shared = headerSets.map((pairs) => new Map(pairs));
        const h = { producerId: 7n, producerEpoch: 1, baseSequence: 0, transactional: false, partitionLeaderEpoch: 0, timestamp: 0n };
        const encode = (own: boolean) =>
          encodeRecordBatch(
            generated.map(([pick, value]) => {
              const headers = shared[pick % shared.length]!;
              return { value, headers: own ? new Map(headers) : headers, timestamp: 1_795_000_000_000n };
            }),
            h,
            crc32c as (b: Buffer) => number,
          );
        expect(encode(false).equals(encode(true))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("writes SlicedRecords (ranges of larger buffers) and [name, value] headers as it writes records with views and header Maps", () => {
    const text = fc.string({ unit: 'grapheme-ascii', maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(bytes(40), bytes(300)), { minLength: 1, maxLength: 30 }), fc.array(fc.tuple(text, text), { maxLength: 2 }), (generated, pairs) => {
        const h = { producerId: 7n, producerEpoch: 1, baseSequence: 5, transactional: false, partitionLeaderEpoch: 0, timestamp: 1_795_000_000_000n };
        // Every record's key and value laid end to end, with a byte of something else between.
        const bytes = Buffer.concat(generated.flatMap(([key, value]) => [Buffer.from([1]), key, Buffer.from([2]), value]));
        let at = 0;
        const sliced = generated.map(([key, value]) => {
          const keyStart = at + 1;
          const valueStart = keyStart + key.length + 1;
          at = valueStart + value.length;
          return new SlicedRecord(0, bytes, keyStart, keyStart + key.length, bytes, valueStart, at, pairs);
        });
        const plain = generated.map(([key, value]) => ({
          key,
          value,
          headers: new Map(pairs.map(([name, v]) => [Buffer.from(name), Buffer.from(v)])),
          timestamp: h.timestamp,
        }));
        expect(encodeRecordBatch(sliced, h, crc32c as (b: Buffer) => number).equals(encodeRecordBatch(plain, h, crc32c as (b: Buffer) => number))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a timestamp delta of 2^31 ms or more as Kafka\'s zigzag varlong', () => {
    const batch = encodeRecordBatch([{ timestamp: 0n }, { timestamp: 2n ** 32n }], { producerId: -1n, producerEpoch: 0, baseSequence: 0, transactional: false, partitionLeaderEpoch: 0, timestamp: 0n }, crc32c as (b: Buffer) => number);
    // Second record, after its length and attributes: zigzag(2^32) = 2^33, seven bits a byte.
    const second = 61 + 1 + batch[61]! / 2;
    expect([...batch.subarray(second + 2, second + 7)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x20]);
  });

  it('holds an empty key and value apart from a missing one', () => {
    const timestamp = 1n;
    const batch = (key: Buffer | undefined) => encodeRecordBatch([{ key, value: Buffer.alloc(0), timestamp }], { producerId: -1n, producerEpoch: 0, baseSequence: 0, transactional: false, partitionLeaderEpoch: 0, timestamp: 0n }, crc32c as (b: Buffer) => number);
    expect(batch(Buffer.alloc(0)).equals(batch(undefined))).toBe(false);
  });
});

describe('replaceApi', () => {
  it('the client still picks its APIs through the exported kGetApi method (an upgrade that drops it fails here)', () => {
    expect(typeof (Producer.prototype as unknown as Record<symbol, unknown>)[kGetApi]).toBe('function');
    expect(typeof (Consumer.prototype as unknown as Record<symbol, unknown>)[kGetApi]).toBe('function');
  });

  it('replaces the named API only, and the client still gets the others as it picked them', async () => {
    const own = Object.assign(() => undefined, { version: 9, key: 0, async: undefined });
    const fetch = Object.assign(() => undefined, { version: 17, key: 1, async: undefined });
    const client = { [kGetApi]: (name: string, callback: (error: Error | null, api?: unknown) => void) => callback(null, name === 'Produce' ? own : fetch) };
    const replacement = Object.assign(() => undefined, { version: 9, key: 0, async: undefined });
    replaceApi(client, 'Produce', (api) => (api.version === 9 ? replacement : api));
    const pick = (name: string) => new Promise((resolve) => client[kGetApi](name, (_error, api) => resolve(api)));
    expect(await pick('Produce')).toBe(replacement);
    expect(await pick('Fetch')).toBe(fetch);
  });
});
