// Streaming's exactly-once parts of the @platformatic/kafka adapter, on the real broker, and
// the client's pitfalls they work around (issue 13). A test marked "pins" checks the client's
// own behaviour: when a release fixes it, that test fails and the workaround can go.
import { randomUUID } from 'node:crypto';
import { Consumer, findErrorBy, Producer, type Message } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient } from '../../src/kafka/client.js';
import type { GroupConsumerPort, KafkaClient, OutgoingRecord } from '../../src/kafka/port.js';
import { createLogger } from '../../src/logger.js';
import { brokers, createTopic, testKafka } from '../helpers/kafka.js';

const logger = createLogger({ level: 'silent' });
const record = (partition: number, text: string): OutgoingRecord => ({ partition, key: Buffer.from(text), value: Buffer.from(text), headers: [] });

describe.skipIf(!brokers)('transactions and group offsets (@platformatic/kafka adapter)', () => {
  let client: KafkaClient;
  beforeAll(async () => {
    client = await createKafkaClient({ brokers, clientId: 'bin-packer-test' }, logger);
  });
  afterAll(async () => {
    await client.close();
  });

  /** Writes A commit, B abort, C commit, D abort, E commit into partition 0, one producer. */
  async function interleavedAborts(topic: string): Promise<void> {
    const producer = await client.transactionalProducer({ transactionalId: `t-${randomUUID()}`, transactionTimeoutMs: 30_000, compression: 'none' });
    try {
      for (const [text, commit] of [
        ['A', true],
        ['B', false],
        ['C', true],
        ['D', false],
        ['E', true],
      ] as const) {
        const transaction = await producer.begin();
        await transaction.send(topic, [record(0, text)]);
        await (commit ? transaction.commit() : transaction.abort());
      }
    } finally {
      await producer.close();
    }
  }

  it('read_committed drops every aborted transaction of a producer, however many share one fetch; read_uncommitted reads them all', async () => {
    const topic = await createTopic(testKafka(), 1, 'txn');
    await interleavedAborts(topic);
    const committed: string[] = [];
    const summary = await client.readTopicToEnd(topic, (r) => committed.push(r.value.toString()));
    expect(committed).toEqual(['A', 'C', 'E']);
    expect(summary.abortedRecords).toBe(2);
    const all: string[] = [];
    await client.readTopicToEnd(topic, (r) => all.push(r.value.toString()), { isolation: 'read_uncommitted' });
    expect(all).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('pins: the client’s own read_committed stream returns the first of two aborted transactions', async () => {
    const topic = await createTopic(testKafka(), 1, 'txn');
    await interleavedAborts(topic);
    const consumer = new Consumer({ clientId: 'pin', bootstrapBrokers: [brokers], groupId: `pin-${randomUUID()}`, autocommit: false });
    const seen: string[] = [];
    try {
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', maxWaitTime: 200 });
      for await (const message of stream as AsyncIterable<Message<Buffer, Buffer, Buffer, Buffer>>) {
        seen.push(message.value.toString());
        if (message.value.toString() === 'E') break;
      }
      await stream.close();
    } finally {
      await consumer.close(true);
    }
    expect(seen).toEqual(['A', 'B', 'C', 'E']);
  });

  it('a transactional producer re-created with the same id takes over (the client’s default producer id 0 / epoch 0 is fenced)', async () => {
    const topic = await createTopic(testKafka(), 1, 'txn');
    const transactionalId = `t-${randomUUID()}`;
    for (const text of ['first', 'second']) {
      const producer = await client.transactionalProducer({ transactionalId, transactionTimeoutMs: 30_000, compression: 'none' });
      const transaction = await producer.begin();
      await transaction.send(topic, [record(0, text)]);
      await transaction.commit();
      await producer.close();
    }
    const read: string[] = [];
    await client.readTopicToEnd(topic, (r) => read.push(r.value.toString()));
    expect(read).toEqual(['first', 'second']);

    // pins: the client's defaults, on an id of its own
    const pinnedId = `t-${randomUUID()}`;
    const plain = () => new Producer({ clientId: 'pin', bootstrapBrokers: [brokers], idempotent: true, transactionalId: pinnedId, acks: -1 });
    const first = plain();
    const transaction = await first.beginTransaction();
    await transaction.send({ messages: [{ topic, partition: 0, value: Buffer.from('pinned') }] });
    await transaction.commit();
    await first.close();
    const second = plain();
    const refused = (await second.beginTransaction().then(() => undefined, (error: unknown) => error)) as Error;
    expect(findErrorBy(refused, 'apiId', 'PRODUCER_FENCED')).toBeTruthy();
    await second.close(true);
  });

  it('sends to many partitions at once inside one transaction (the client merges concurrent AddPartitionsToTxn calls into the first)', async () => {
    const topic = await createTopic(testKafka(), 6, 'txn');
    const producer = await client.transactionalProducer({ transactionalId: `t-${randomUUID()}`, transactionTimeoutMs: 30_000, compression: 'none' });
    try {
      const transaction = await producer.begin();
      await Promise.all([0, 1, 2, 3, 4, 5].map((partition) => transaction.send(topic, [record(partition, `p${partition}`)])));
      await transaction.commit();
    } finally {
      await producer.close();
    }
    const read: string[] = [];
    await client.readTopicToEnd(topic, (r) => read.push(r.value.toString()));
    expect(read.sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);

    // pins: the client's own concurrent sends lose all partitions but the first call's
    const plain = new Producer({ clientId: 'pin', bootstrapBrokers: [brokers], idempotent: true, transactionalId: `t-${randomUUID()}`, acks: -1 });
    try {
      const transaction = await plain.beginTransaction();
      const sends = await Promise.allSettled(
        [0, 1, 2, 3, 4, 5].map((partition) => transaction.send({ messages: [{ topic, partition, value: Buffer.from('pinned') }] })),
      );
      const refused = sends.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(refused.length).toBeGreaterThan(0);
      expect(findErrorBy(refused[0]!.reason as Error, 'apiId', 'TRANSACTION_ABORTABLE')).toBeTruthy();
      await transaction.abort().catch(() => undefined);
    } finally {
      await plain.close(true);
    }
  });

  describe('a group member', () => {
    async function member(groupId: string, topic: string): Promise<GroupConsumerPort> {
      const group = client.groupConsumer({ groupId, topic, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000, rebalanceTimeoutMs: 10_000 });
      await group.join();
      return group;
    }

    it('fetches by its own positions and commits offsets with metadata, all partitions at once', async () => {
      const topic = await createTopic(testKafka(), 3, 'txn');
      const producer = await client.producer({ acks: -1, idempotent: true, compression: 'none' });
      await producer.send(topic, [record(0, 'a0'), record(0, 'b0'), record(1, 'a1'), record(2, 'a2')]);
      await producer.close();
      const group = await member(`g-${randomUUID()}`, topic);
      try {
        expect(group.assignment?.partitions).toEqual([0, 1, 2]);
        const starts = await group.startOffsets([0, 1, 2], 'earliest');
        const positions = new Map(starts);
        positions.set(0, 1n);
        const values: string[] = [];
        for (let attempt = 0; attempt < 20 && values.length < 3; attempt++) {
          for (const fetched of await group.fetch(positions, 200)) {
            values.push(...fetched.records.map((r) => r.value!.toString()));
            positions.set(fetched.partition, fetched.nextOffset);
          }
        }
        expect(values.sort()).toEqual(['a1', 'a2', 'b0']);
        await group.commit([0, 1, 2].map((partition) => ({ partition, offset: positions.get(partition)!, metadata: `m${partition}` })));
        const committed = await group.committed([0, 1, 2]);
        expect([...committed].sort(([a], [b]) => a - b)).toEqual([
          [0, { offset: 2n, metadata: 'm0' }],
          [1, { offset: 1n, metadata: 'm1' }],
          [2, { offset: 1n, metadata: 'm2' }],
        ]);
      } finally {
        await group.close();
      }
    });

    it('commits its offsets inside a transaction: invisible until the commit, a stable read waits for it, an abort leaves none', async () => {
      const input = await createTopic(testKafka(), 3, 'txn');
      const output = await createTopic(testKafka(), 1, 'txn');
      const group = await member(`g-${randomUUID()}`, input);
      const producer = await client.transactionalProducer({ transactionalId: `t-${randomUUID()}`, transactionTimeoutMs: 30_000, compression: 'none' });
      try {
        const aborted = await producer.begin();
        await aborted.send(output, [record(0, 'aborted')]);
        await aborted.commitOffsets(group, [{ partition: 0, offset: 5n, metadata: 'x' }]);
        await aborted.abort();
        expect((await group.committed([0])).get(0)?.offset).toBe(-1n);

        const transaction = await producer.begin();
        await transaction.send(output, [record(0, 'committed')]);
        await transaction.commitOffsets(
          group,
          [0, 1, 2].map((partition) => ({ partition, offset: BigInt(partition + 10), metadata: `{"p":${partition}}` })),
        );
        let read = false;
        const stable = group.committed([0, 1, 2]).then((offsets) => ((read = true), offsets));
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(read).toBe(false);
        await transaction.commit();
        const offsets = await stable;
        expect([0, 1, 2].map((p) => [offsets.get(p)?.offset, offsets.get(p)?.metadata])).toEqual([
          [10n, '{"p":0}'],
          [11n, '{"p":1}'],
          [12n, '{"p":2}'],
        ]);
        const values: string[] = [];
        await client.readTopicToEnd(output, (r) => values.push(r.value.toString()));
        expect(values).toEqual(['committed']);
      } finally {
        await producer.close();
        await group.close();
      }
    });

    it('is fenced once the group has moved on: its transactional offset commit is refused', async () => {
      const input = await createTopic(testKafka(), 2, 'txn');
      const groupId = `g-${randomUUID()}`;
      const first = await member(groupId, input);
      const producer = await client.transactionalProducer({ transactionalId: `t-${randomUUID()}`, transactionTimeoutMs: 30_000, compression: 'none' });
      let second: GroupConsumerPort | undefined;
      try {
        const transaction = await producer.begin();
        const stale = { ...(first as unknown as { member: { generationId: number; memberId: string } }).member };
        second = await member(groupId, input);
        // The first member's own view moved on too: commit as the generation it read in.
        Object.defineProperty(first, 'member', { get: () => stale });
        await expect(transaction.commitOffsets(first, [{ partition: 0, offset: 1n, metadata: '' }])).rejects.toThrow();
        await transaction.abort();
      } finally {
        await producer.close();
        await second?.close();
        await first.close();
      }
    });
  });
});
