// Exactly once, a micro-batch whose transaction fails is aborted and read again; after five
// aborts in a row the job ends, and a reason already worded for the user stays one line.
import { describe, expect, it } from 'vitest';
import { DeadLetterCollector } from '../../src/dead-letter/dead-letter.js';
import { createKafkaClient } from '../../src/kafka/client.js';
import type { KafkaClient } from '../../src/kafka/port.js';
import { createLogger } from '../../src/logger.js';
import { startStreamingJob } from '../../src/streaming/streaming-job.js';
import { UserFacingError } from '../../src/user-facing-error.js';
import { brokers, createTopic, testKafka } from '../helpers/kafka.js';
import { fixtureRows, produce } from '../helpers/streaming.js';

const kafka = brokers ? testKafka() : undefined;
const logger = createLogger({ level: 'silent' });

describe.skipIf(!brokers)('exactly once: five aborted micro-batches in a row end the job', () => {
  it.each([
    ['worded for the user', new UserFacingError('the brokers keep refusing this (a test)'), true],
    ['a program error', new TypeError('something is undefined (a test)'), false],
  ] as const)('the last reason %s: the job ends with it, user-facing only if it was', async (_case, reason, userFacing) => {
    const input = await createTopic(kafka!, 2, 'aborts-in');
    const output = await createTopic(kafka!, 2, 'aborts-out');
    await produce(input, fixtureRows({ events: 50, seed: 3 }));
    const client = await createKafkaClient({ brokers }, logger);
    const producer = await client.producer({ acks: -1, idempotent: true, compression: 'none' });
    // Transactions that deliver, then fail as they add the offsets: the micro-batch aborts each time.
    let failed = 0;
    const refusing: KafkaClient = {
      ...client,
      async transactionalProducer(settings) {
        const real = await client.transactionalProducer(settings);
        return {
          begin: async () => {
            const transaction = await real.begin();
            return {
              ...transaction,
              send: transaction.send.bind(transaction),
              sendEncoded: transaction.sendEncoded.bind(transaction),
              abort: transaction.abort.bind(transaction),
              commit: transaction.commit.bind(transaction),
              commitOffsets: async () => {
                failed++;
                throw reason;
              },
            };
          },
          close: () => real.close(),
        };
      },
    };
    try {
      const job = await startStreamingJob({
        client: refusing,
        producer,
        guarantee: 'exactly-once',
        inputTopic: input,
        outputTopic: output,
        groupId: `aborts-${Date.now()}-${Math.random()}`,
        triggerIntervalMs: 200,
        deadLetters: new DeadLetterCollector(),
        sink: { partitions: 2 },
        logger,
      });
      const ended = await job.done.then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failed).toBe(5);
      expect(ended?.message).toBe(`5 micro-batches aborted in a row; the last: ${reason.message}`);
      // A UserFacingError is reported as one line; the program's own errors keep their stack.
      expect(ended instanceof UserFacingError).toBe(userFacing);
      expect(job.totals.aborted).toBe(5);
    } finally {
      await producer.close();
      await client.close();
    }
  });
});
