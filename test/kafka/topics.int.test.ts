import { randomUUID } from 'node:crypto';
import { Consumer, FetchIsolationLevels } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient } from '../../src/kafka/client.js';
import { CLIENT_NAMES, type KafkaClient } from '../../src/kafka/port.js';
import { createLogger } from '../../src/logger.js';
import { brokers } from '../helpers/kafka.js';

describe.skipIf(!brokers).each(CLIENT_NAMES)('createTopic on the %s adapter', (name) => {
  let client: KafkaClient;
  beforeAll(async () => {
    client = await createKafkaClient({ brokers, clientId: 'bin-packer-test' }, createLogger({ level: 'silent' }), name);
  });
  afterAll(async () => {
    await client.close();
  });

  it("topicConfig reads the topic's max.message.bytes and cleanup.policy as the brokers resolve them", async () => {
    const compacted = `configs-${randomUUID()}`;
    await client.createTopic(compacted, 1, { 'cleanup.policy': 'compact,delete', 'max.message.bytes': '100000' });
    expect(await client.topicConfig(compacted)).toEqual({ maxMessageBytes: 100_000, cleanupPolicy: 'compact,delete' });
    const plain = `configs-${randomUUID()}`;
    await client.createTopic(plain, 1);
    // The broker's defaults: 1 MiB plus a record batch's overhead, and delete.
    expect(await client.topicConfig(plain)).toEqual({ maxMessageBytes: 1_048_588, cleanupPolicy: 'delete' });
  });

  it('two processes creating one topic at once: one creates it, the other finds it, neither fails', async () => {
    const topic = `race-${randomUUID()}`;
    const other = await createKafkaClient({ brokers, clientId: 'bin-packer-test-2' }, createLogger({ level: 'silent' }), name);
    try {
      const created = await Promise.all([client.createTopic(topic, 3, { 'cleanup.policy': 'compact' }), other.createTopic(topic, 3, { 'cleanup.policy': 'compact' })]);
      expect(created.filter(Boolean).length).toBeLessThanOrEqual(1);
      expect(await client.partitionCount(topic)).toBe(3);
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(!brokers)('createTopic on the platformatic adapter', () => {
  it('returns once every partition is served: a reader right after it is not told NOT_LEADER_OR_FOLLOWER', async () => {
    const client = await createKafkaClient({ brokers, clientId: 'bin-packer-test' }, createLogger({ level: 'silent' }));
    // No retries: a partition not yet served fails the call instead of waiting out a retry delay.
    const reader = new Consumer({ clientId: 'bin-packer-test-reader', bootstrapBrokers: [brokers], groupId: `served-${randomUUID()}`, retries: 0 });
    try {
      // Leaders show in the metadata a moment before the broker serves them: about one topic in
      // three failed here when createTopic waited for leaders alone.
      for (let i = 0; i < 10; i++) {
        const topic = `served-${randomUUID()}`;
        expect(await client.createTopic(topic, 6, { 'cleanup.policy': 'compact' })).toBe(true);
        const offsets = await reader.listOffsets({ topics: [topic], isolationLevel: FetchIsolationLevels.READ_COMMITTED });
        expect(offsets.get(topic)).toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
      }
    } finally {
      await reader.close(true);
      await client.close();
    }
  });
});
