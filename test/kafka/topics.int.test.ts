import { randomUUID } from 'node:crypto';
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
