import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAheadOfProducer } from '../../src/kafka/encoded-batches.js';
import { KafkaSendError, type EncodedRecordBatch, type OutgoingRecord, type ProducerPort } from '../../src/kafka/port.js';
import { MAX_PART_BYTES } from '../../src/kafka/record-parts.js';
import { BatchDeliveryError, PartitionSender } from '../../src/sinks/partition-sender.js';

/** A record whose value names its batch and partition, so a send can be read back. */
function record(batch: number, partition: number, i: number, bytes = 10): OutgoingRecord {
  return {
    partition,
    key: Buffer.from(`k${i}`),
    value: Buffer.from(`${batch}:${partition}:${i}`.padEnd(bytes, '.')),
    headers: [['delivery_batch', String(batch)]],
  };
}
const batchOf = (r: OutgoingRecord) => Number(r.value!.toString().split(':')[0]);

/**
 * The client port answered by the test: each send waits until the test settles it, so the test
 * sees what the sender has in flight at every moment.
 */
class HeldProducer implements ProducerPort {
  readonly sends: { records: readonly OutgoingRecord[]; resolve: () => void; reject: (error: Error) => void }[] = [];
  send(_topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    return new Promise((resolve, reject) => this.sends.push({ records, resolve, reject }));
  }
  async close(): Promise<void> {}
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PartitionSender', () => {
  it("sends every ready partition in one call, and a partition's next batch only once its previous share is acknowledged", async () => {
    const producer = new HeldProducer();
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 1 << 20, deliveryTimeoutMs: 60_000 });
    const one = sender.submit(
      1,
      new Map([
        [0, [record(1, 0, 0)]],
        [1, [record(1, 1, 1)]],
      ]),
    );
    const two = sender.submit(
      2,
      new Map([
        [0, [record(2, 0, 2)]],
        [2, [record(2, 2, 3)]],
      ]),
    );
    await tick();
    // Batch 1 on partitions 0 and 1, and batch 2 on partition 2 (nothing before it there), in one call.
    expect(producer.sends).toHaveLength(1);
    expect(producer.sends[0]!.records.map((r) => [batchOf(r), r.partition])).toEqual([
      [1, 0],
      [1, 1],
      [2, 2],
    ]);
    producer.sends[0]!.resolve();
    await one;
    await tick();
    expect(producer.sends).toHaveLength(2);
    expect(producer.sends[1]!.records.map((r) => [batchOf(r), r.partition])).toEqual([[2, 0]]);
    producer.sends[1]!.resolve();
    await two;
    expect(sender.stats).toEqual({ batches: 2, delivered: 4, requests: 2, resent: 0 });
  });

  it('takes a partition with no records in a batch as nothing to send there', async () => {
    const producer = new HeldProducer();
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 1 << 20, deliveryTimeoutMs: 60_000 });
    await sender.submit(1, new Map([[3, []]]));
    const two = sender.submit(
      2,
      new Map([
        [0, [record(2, 0, 0)]],
        [3, []],
      ]),
    );
    await tick();
    expect(producer.sends.map((s) => s.records.length)).toEqual([1]);
    producer.sends[0]!.resolve();
    await two;
    expect(sender.stats).toMatchObject({ batches: 2, delivered: 1 });
  });

  it('splits a share larger than maxRequestBytes into calls in flight together', async () => {
    const producer = new HeldProducer();
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 250, deliveryTimeoutMs: 60_000 });
    const done = sender.submit(1, new Map([[0, Array.from({ length: 5 }, (_, i) => record(1, 0, i, 100))]]));
    await tick();
    expect(producer.sends.map((s) => s.records.length)).toEqual([1, 1, 1, 1, 1]);
    producer.sends.forEach((s) => s.resolve());
    await done;
    expect(sender.stats.delivered).toBe(5);
  });

  it("puts at most MAX_PART_BYTES of a partition in one call, whatever maxRequestBytes allows, and many partitions' parts together", async () => {
    // The client writes a partition's records in one call as one record batch: over the
    // broker's message.max.bytes (1 MiB by default) it is refused as too large.
    const producer = new HeldProducer();
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 8 * MAX_PART_BYTES, deliveryTimeoutMs: 60_000 });
    const valueBytes = 10_000;
    const perPart = Math.floor(MAX_PART_BYTES / (valueBytes + 80));
    const done = sender.submit(
      1,
      new Map([
        [0, Array.from({ length: 3 * perPart }, (_, i) => record(1, 0, i, valueBytes))],
        [1, Array.from({ length: 10 }, (_, i) => record(1, 1, i, valueBytes))],
        [2, Array.from({ length: 10 }, (_, i) => record(1, 2, i, valueBytes))],
      ]),
    );
    await tick();
    for (const send of producer.sends) {
      const bytesOf = new Map<number, number>();
      for (const r of send.records) bytesOf.set(r.partition, (bytesOf.get(r.partition) ?? 0) + r.value!.length + r.key!.length);
      for (const bytes of bytesOf.values()) expect(bytes).toBeLessThanOrEqual(MAX_PART_BYTES);
    }
    expect(producer.sends.length).toBe(3);
    expect(new Set(producer.sends.at(-1)!.records.map((r) => r.partition))).toEqual(new Set([0, 1, 2]));
    producer.sends.forEach((s) => s.resolve());
    await done;
    expect(sender.stats.delivered).toBe(3 * perPart + 20);
  });

  it('fails at once on a non-retriable error, naming it, and sends nothing more', async () => {
    const producer = new HeldProducer();
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 1 << 20, deliveryTimeoutMs: 60_000 });
    const one = sender.submit(1, new Map([[0, [record(1, 0, 0)]]]));
    const two = sender.submit(2, new Map([[0, [record(2, 0, 1)]]]));
    await tick();
    producer.sends[0]!.reject(new KafkaSendError('MESSAGE_TOO_LARGE: too big', false));
    await expect(one).rejects.toThrow(/delivery batch 1 failed \(not retriable\): MESSAGE_TOO_LARGE/);
    await expect(two).rejects.toBeInstanceOf(BatchDeliveryError);
    await tick();
    expect(producer.sends).toHaveLength(1);
    expect(sender.stats.resent).toBe(0);
  });

  it('keeps parts within maxPartBytes (a topic that takes smaller record batches) however much a call may carry', async () => {
    const producer = new HeldProducer();
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 1 << 20, maxPartBytes: 1000, deliveryTimeoutMs: 60_000 });
    const done = sender.submit(
      1,
      new Map([
        [0, Array.from({ length: 10 }, (_, i) => record(1, 0, i, 300))],
        [1, Array.from({ length: 2 }, (_, i) => record(1, 1, i, 300))],
      ]),
    );
    await tick();
    // 300-byte values and their estimated 70 bytes of framing and headers: two to a part, and
    // partition 1's part rides with partition 0's last.
    expect(producer.sends.map((send) => send.records.map((r) => r.partition))).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0, 1, 1],
    ]);
    producer.sends.forEach((s) => s.resolve());
    await done;
    expect(sender.stats).toMatchObject({ batches: 1, delivered: 12 });
  });

  it.each([
    [
      'a record larger than a part may be',
      [record(1, 0, 0, 5000)],
      /A record, with its key and headers, is larger than the topic's max\.message\.bytes: raise that on the topic, or lower the row limit \(--max-row-bytes\)/,
    ],
    [
      'parts of records that each fit',
      [record(1, 0, 0, 100), record(1, 0, 1, 100)],
      /The topic takes smaller record batches than were sent: .*DescribeConfigs on the topic.*--max-request-bytes/,
    ],
  ])('says what to do when the broker refuses a record batch as too large: %s', async (_case, records, hint) => {
    const producer = new HeldProducer();
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 1 << 20, maxPartBytes: 1000, deliveryTimeoutMs: 60_000 });
    const done = sender.submit(1, new Map([[0, records]]));
    await tick();
    producer.sends[0]!.reject(new KafkaSendError('MESSAGE_TOO_LARGE: too big', false));
    await expect(done).rejects.toThrow(hint);
  });

  it.each([false, true])(
    'counts what the brokers wrote of a send that failed on some of its partitions, and sends only the rest again (retriable: %s)',
    async (retriable) => {
      const producer = new HeldProducer();
      const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 1 << 20, deliveryTimeoutMs: 60_000, retryBackoffMs: 1 });
      const done = sender.submit(
        1,
        new Map([
          [0, [record(1, 0, 0), record(1, 0, 1)]],
          [1, [record(1, 1, 2)]],
          [2, [record(1, 2, 3)]],
        ]),
      );
      done.catch(() => undefined);
      await tick();
      producer.sends[0]!.reject(new KafkaSendError('NOT_LEADER_OR_FOLLOWER: moved', retriable, { acknowledged: new Set([0, 2]) }));
      if (!retriable) {
        await expect(done).rejects.toThrow(/1 record of this send was not acknowledged; 0 batches were delivered completely, 3 records in all/);
        expect(sender.stats).toMatchObject({ delivered: 3, resent: 0 });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(producer.sends).toHaveLength(2);
      expect(producer.sends[1]!.records.map((r) => r.partition)).toEqual([1]);
      producer.sends[1]!.resolve();
      await done;
      expect(sender.stats).toMatchObject({ batches: 1, delivered: 4, resent: 1 });
    },
  );

  it('gives up on retriable errors once the delivery timeout has passed', async () => {
    const producer = new HeldProducer();
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 1 << 20, deliveryTimeoutMs: 30, retryBackoffMs: 5 });
    const done = sender.submit(1, new Map([[0, [record(1, 0, 0)]]]));
    done.catch(() => undefined);
    for (let i = 0; i < 50 && producer.sends.length < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      producer.sends.at(-1)?.reject(new KafkaSendError('REQUEST_TIMED_OUT', true));
    }
    await expect(done).rejects.toThrow(/after \d+ attempts .*delivery timeout.*REQUEST_TIMED_OUT/);
  });

  it('whatever the acknowledgement order and retriable failures: per partition, no batch is sent while an earlier one is unacknowledged, and every record is acknowledged once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
        async (batches, failures, picks) => {
          const producer = new HeldProducer();
          const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 25, deliveryTimeoutMs: 60_000, retryBackoffMs: 0 });
          let id = 0;
          const expected = new Map<string, number>();
          const submitted = batches.map((partitions, b) => {
            const byPartition = new Map<number, OutgoingRecord[]>();
            for (const p of partitions) {
              const r = record(b + 1, p, id++);
              expected.set(r.value!.toString(), b + 1);
              byPartition.set(p, [...(byPartition.get(p) ?? []), r]);
            }
            return sender.submit(b + 1, byPartition);
          });
          const acked = new Set<string>();
          /** Per partition, the batches with records sent and not yet acknowledged. */
          const open = new Map<number, Set<number>>();
          let seen = 0;
          let step = 0;
          const pending: HeldProducer['sends'] = [];
          for (let guard = 0; guard < 10_000 && acked.size < expected.size; guard++) {
            await tick();
            await new Promise((resolve) => setTimeout(resolve, 0));
            for (; seen < producer.sends.length; seen++) {
              const send = producer.sends[seen]!;
              for (const r of send.records) {
                const batches = open.get(r.partition) ?? new Set<number>();
                // Anything still open on this partition is from the same batch.
                for (const b of batches) expect(b).toBe(batchOf(r));
                batches.add(batchOf(r));
                open.set(r.partition, batches);
              }
              pending.push(send);
            }
            if (pending.length === 0) continue;
            const send = pending.splice(picks[step % picks.length]! % pending.length, 1)[0]!;
            const fail = failures[step++ % failures.length]!;
            if (fail) {
              send.reject(new KafkaSendError('NOT_LEADER_OR_FOLLOWER', true));
            } else {
              for (const r of send.records) {
                expect(acked.has(r.value!.toString())).toBe(false);
                acked.add(r.value!.toString());
              }
              send.resolve();
            }
            // A partition's open batch closes once all its records there are acknowledged.
            for (const [partition, open_] of open) {
              for (const b of open_) {
                const all = [...expected].filter(([v, batch]) => batch === b && Number(v.split(':')[1]) === partition).every(([v]) => acked.has(v));
                if (all) open_.delete(b);
              }
              if (open_.size === 0) open.delete(partition);
            }
          }
          await Promise.all(submitted);
          expect(acked.size).toBe(expected.size);
          expect(sender.stats.delivered).toBe(expected.size);
          expect(sender.stats.batches).toBe(batches.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('sends batches encoded ahead as they are to a producer that takes them, behind the same barrier, and counts their records', async () => {
    const calls: EncodedRecordBatch[][] = [];
    const answers: (() => void)[] = [];
    const producer: ProducerPort = {
      send: () => Promise.reject(new Error('records were sent instead of the encoded batches')),
      sendEncoded: (_topic, batches) => new Promise((resolve) => (calls.push([...batches]), answers.push(resolve))),
      close: async () => {},
    };
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 1 << 20, deliveryTimeoutMs: 60_000 });
    const encoded = (batch: number, partition: number, n: number) =>
      encodeAheadOfProducer(
        Array.from({ length: n }, (_, i) => record(batch, partition, i)),
        partition,
      );
    const one = sender.submitEncoded(1, [encoded(1, 0, 3), encoded(1, 1, 2)]);
    const two = sender.submitEncoded(2, [encoded(2, 0, 1), encoded(2, 5, 4)]);
    await tick();
    expect(calls.map((call) => call.map((part) => [part.partition, part.records]))).toEqual([
      [
        [0, 3],
        [1, 2],
        [5, 4],
      ],
    ]);
    answers[0]!();
    await one;
    await tick();
    expect(calls[1]!.map((part) => [part.partition, part.records])).toEqual([[0, 1]]);
    answers[1]!();
    await two;
    expect(sender.stats).toMatchObject({ batches: 2, delivered: 10, requests: 2 });
  });

  it('reads the records of batches encoded ahead back for a producer that takes only records (kafkajs)', async () => {
    const producer = new HeldProducer();
    const sender = new PartitionSender({ producer, topic: 't', maxRequestBytes: 1 << 20, deliveryTimeoutMs: 60_000 });
    const records = [record(1, 3, 0), record(1, 3, 1)];
    const done = sender.submitEncoded(1, [encodeAheadOfProducer(records, 3)]);
    await tick();
    expect(producer.sends[0]!.records.map((r) => [r.partition, r.key!.toString(), r.value!.toString(), r.headers])).toEqual(
      records.map((r) => [3, r.key!.toString(), r.value!.toString(), r.headers]),
    );
    producer.sends[0]!.resolve();
    await done;
    expect(sender.stats.delivered).toBe(2);
  });
});
