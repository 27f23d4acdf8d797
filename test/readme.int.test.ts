import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeliveredRecord } from '../src/verify/order-checker.js';
import { brokers, readTopic } from './helpers/kafka.js';
import { readmeExample, runExample } from './helpers/readme-examples.js';

describe.skipIf(!brokers)('README on a real broker', () => {
  it('the Kafka example runs as written: binPack on workers into kafkaSink, every event once, keyed, with its batch header', async () => {
    const topic = `readme-${randomUUID()}`;
    const code = readmeExample('kafkaSink(').replace("const topic = 'visits-ordered';", `const topic = '${topic}';`);
    const result = runExample(code, { KAFKA_BROKERS: brokers, LOG_LEVEL: 'warn' });
    try {
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('36 acknowledged in 5 batches');
      const records: DeliveredRecord[] = [];
      await readTopic(topic, (record) => records.push(record));
      expect(records).toHaveLength(36);
      for (const record of records) {
        expect(record.key).toBe(JSON.parse(record.value.toString()).visit_id);
        expect(Number(record.batch)).toBeGreaterThanOrEqual(1);
      }
    } finally {
      rmSync(result.dir, { recursive: true, force: true });
    }
  });
});
