import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEvents } from '../../src/fixtures/generate-events.js';
import { runCli } from '../helpers/cli.js';
import { brokers, createTopic, testKafka } from '../helpers/kafka.js';

describe.skipIf(!brokers)('fixtures CLI into Kafka', () => {
  it('creates the topic and writes every row keyed by visit_id', async () => {
    const topic = `fixtures-${randomUUID()}`;
    const options = ['--events', '2000', '--seed', '3', '--unprocessable', '0.02'];
    const result = await runCli('cli/fixtures.js', [...options, '--brokers', brokers, '--topic', topic, '--create-topic', '--partitions', '3']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');

    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets).toHaveLength(3);

    const consumer = kafka.consumer({ groupId: `g-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string | null; text: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            received.push({ key: message.key?.toString() ?? null, text: message.value!.toString() });
            if (received.length === 2000) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    const expected = [...generateEvents({ events: 2000, seed: 3, unprocessable: 0.02 })];
    const order = (a: { text: string }, b: { text: string }) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
    expect(received.sort(order)).toEqual(expected.sort(order));
    expect(expected.some((row) => row.key === null)).toBe(true);
  });

  it('writes into a topic that takes smaller record batches than the default (max.message.bytes 100000), one partition', async () => {
    const topic = await createTopic(testKafka(), 1, 'fixtures-small-batches', { 'max.message.bytes': '100000' });
    const admin = testKafka().admin();
    await admin.connect();
    try {
      // A send of 1,000 rows (~470 KB) into one partition was refused as MESSAGE_TOO_LARGE.
      const result = await runCli('cli/fixtures.js', ['--events', '3000', '--seed', '4', '--brokers', brokers, '--topic', topic]);
      expect(result.code, result.stderr).toBe(0);
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(3000);
    } finally {
      await admin.disconnect();
    }
  });
});
