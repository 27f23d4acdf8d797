import { Connection, kGetApi, type Producer } from '@platformatic/kafka';
import { describe, expect, it, vi } from 'vitest';
import { ProducerSequences, RecordShare, useFastProduce } from '../../src/kafka/platformatic-produce.js';
import { encodeAheadOfProducer } from '../../src/kafka/encoded-batches.js';
import type { BatchRecord } from '../../src/kafka/record-batch.js';

const records = (n: number): BatchRecord[] => Array.from({ length: n }, (_, i) => ({ value: Buffer.from(`r${i}`), timestamp: 1n }));

describe('RecordShare sequence numbers', () => {
  it('continue per partition, stay the same for every retry of a request, and start again at 0 under a new producer id or epoch', () => {
    const sequences = new ProducerSequences();
    const a = new RecordShare(records(3), sequences);
    const b = new RecordShare(records(5), sequences);
    const c = new RecordShare(records(2), sequences);
    expect(a.baseSequence(7n, 0, 't:0', 3)).toBe(0);
    expect(b.baseSequence(7n, 0, 't:0', 5)).toBe(3);
    expect(c.baseSequence(7n, 0, 't:1', 2)).toBe(0);
    // The client retries b's request as it was: the same numbers.
    expect(b.baseSequence(7n, 0, 't:0', 5)).toBe(3);
    // The client re-initialised the producer (a new epoch) and sends b again.
    expect(b.baseSequence(7n, 1, 't:0', 5)).toBe(0);
    expect(new RecordShare(records(1), sequences).baseSequence(7n, 1, 't:0', 1)).toBe(5);
  });

  it('wrap from 2^31 - 1 to 0, as Kafka numbers them', () => {
    const sequences = new ProducerSequences();
    expect(sequences.take(1n, 0, 't:0', 2 ** 31 - 3)).toBe(0);
    expect(sequences.take(1n, 0, 't:0', 4)).toBe(2 ** 31 - 3);
    expect(sequences.take(1n, 0, 't:0', 1)).toBe(1);
  });
});

describe('useFastProduce on a broker older than Produce v9', () => {
  it("hands the client's own encoder each share's records as messages, numbered as the share", async () => {
    const calls: { messages: { partition: number; value: Buffer }[]; base: number }[] = [];
    const own = Object.assign(
      (_connection: unknown, _acks: number, _timeout: number, messages: { partition: number; value: Buffer }[], options: { sequences: { getWithDefault(key: string, fallback: number): number } }, callback: () => void) => {
        calls.push({ messages, base: options.sequences.getWithDefault('t:2', -1) });
        callback();
      },
      { version: 8, key: 0, async: undefined },
    );
    const client = { [kGetApi]: (_name: string, callback: (error: Error | null, api?: unknown) => void) => callback(null, own) };
    useFastProduce(client as unknown as Producer<Buffer, Buffer, Buffer, Buffer>);
    const api = await new Promise<(...args: unknown[]) => void>((resolve) => client[kGetApi]('Produce', (_error, picked) => resolve(picked as never)));
    const sequences = new ProducerSequences();
    sequences.take(3n, 0, 't:2', 10);
    const share = new RecordShare(records(4), sequences);
    const produce = () =>
      new Promise<void>((resolve) => api({}, -1, 1000, [{ topic: 't', partition: 2, value: share }], { producerId: 3n, producerEpoch: 0, sequences: { getWithDefault: () => 0 } }, resolve));
    await produce();
    await produce(); // a retry
    expect(calls.map((call) => call.messages.map((m) => [m.partition, m.value.toString()]))).toEqual([
      [
        [2, 'r0'],
        [2, 'r1'],
        [2, 'r2'],
        [2, 'r3'],
      ],
      [
        [2, 'r0'],
        [2, 'r1'],
        [2, 'r2'],
        [2, 'r3'],
      ],
    ]);
    expect(calls.map((call) => call.base)).toEqual([10, 10]);
  });
});

describe('useFastProduce on Produce v9 and later', () => {
  it('writes each request into space the next one reuses, and the connection copies it out before send() returns', async () => {
    const own = Object.assign(() => undefined, { version: 9, key: 0, async: undefined });
    const client = { [kGetApi]: (_name: string, callback: (error: Error | null, api?: unknown) => void) => callback(null, own) };
    useFastProduce(client as unknown as Producer<Buffer, Buffer, Buffer, Buffer>);
    const api = await new Promise<(...args: unknown[]) => void>((resolve) => client[kGetApi]('Produce', (_error, picked) => resolve(picked as never)));
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      // Connections never connected: each request is built, then refused with "Connection closed".
      const send = (text: string) =>
        new Promise<void>((resolve) =>
          api(new Connection('test'), -1, 1000, [{ topic: 't', partition: 0, value: new RecordShare([{ value: Buffer.from(text) }], new ProducerSequences()) }], {}, () =>
            resolve(),
          ),
        );
      // In one tick, to two brokers, as the sink's sender may make its calls.
      await Promise.all([send('the first request'), send('the second one...')]);
      const requests = concat.mock.results.map((result) => result.value as Buffer);
      expect(requests.some((bytes) => bytes.includes('the first request'))).toBe(true);
      expect(requests.some((bytes) => bytes.includes('the second one...'))).toBe(true);
    } finally {
      concat.mockRestore();
    }
  });

  it('writes a share encoded ahead as the same request as the share of its records', async () => {
    const own = Object.assign(() => undefined, { version: 9, key: 0, async: undefined });
    const client = { [kGetApi]: (_name: string, callback: (error: Error | null, api?: unknown) => void) => callback(null, own) };
    useFastProduce(client as unknown as Producer<Buffer, Buffer, Buffer, Buffer>);
    const api = await new Promise<(...args: unknown[]) => void>((resolve) => client[kGetApi]('Produce', (_error, picked) => resolve(picked as never)));
    const records = Array.from({ length: 5 }, (_, i) => ({ partition: 2, key: Buffer.from(`visit-${i}`), value: Buffer.from(`{"event":${i}}`), headers: [['delivery_batch', '3']] as [string, string][] }));
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const request = async (share: RecordShare) => {
        concat.mockClear();
        const options = { producerId: 42n, producerEpoch: 3, sequences: { getWithDefault: () => 0 }, transactionalId: 'tx' };
        await new Promise<void>((resolve) => api(new Connection('test'), -1, 1000, [{ topic: 't', partition: 2, value: share }], options, () => resolve()));
        return concat.mock.results.map((result) => Buffer.from(result.value as Buffer)).at(-1)!;
      };
      const timestamp = 1_795_000_000_000n;
      const plain = await request(new RecordShare(records, new ProducerSequences(), timestamp));
      const ahead = await request(new RecordShare(encodeAheadOfProducer(records, 2), new ProducerSequences(), timestamp));
      // The request header's correlation ids differ; the Produce bodies do not.
      expect(ahead.subarray(12).equals(plain.subarray(12))).toBe(true);
      expect(ahead.includes('{"event":4}')).toBe(true);
    } finally {
      concat.mockRestore();
    }
  });
});
