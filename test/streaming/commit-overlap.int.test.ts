// At least once, a micro-batch's late-event marks and offset commit go out while the next
// micro-batch is read; only the next one's delivery waits for them.
import { afterAll, describe, expect, it } from 'vitest';
import { DeadLetterCollector } from '../../src/dead-letter/dead-letter.js';
import { createKafkaClient } from '../../src/kafka/client.js';
import type { FetchedPartition, KafkaClient, ProducerPort } from '../../src/kafka/port.js';
import { createLogger } from '../../src/logger.js';
import { startStreamingJob } from '../../src/streaming/streaming-job.js';
import { brokers, createTopic, testKafka } from '../helpers/kafka.js';
import { checkTopic, fixtureRows, produce, until } from '../helpers/streaming.js';

const kafka = brokers ? testKafka() : undefined;
const logger = createLogger({ level: 'warn' });
const MICRO_BATCH = 300;

/** Holds the changelog's first send until released (or fails it); counts output sends and records fetched. */
function observed(client: KafkaClient, producer: ProducerPort, changelog: string, failChangelog: boolean) {
  const seen = { outputSends: 0, fetched: 0, changelogHeld: false, changelogSentAt: 0, firstOutputAfterHold: 0 };
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const wrapped: ProducerPort = {
    async send(topic, records) {
      if (topic === changelog && !seen.changelogHeld) {
        seen.changelogHeld = true;
        await held;
        if (failChangelog) throw new Error('changelog refused (test)');
        await producer.send(topic, records);
        seen.changelogSentAt = performance.now();
        return;
      }
      if (topic !== changelog) seen.outputSends++;
      return producer.send(topic, records);
    },
    async sendEncoded(topic, batches) {
      seen.outputSends++;
      if (seen.changelogHeld && seen.firstOutputAfterHold === 0) seen.firstOutputAfterHold = performance.now();
      return producer.sendEncoded!(topic, batches);
    },
    close: () => producer.close(),
  };
  const counting: KafkaClient = {
    ...client,
    groupConsumer(settings) {
      const group = client.groupConsumer(settings);
      const fetch = group.fetch.bind(group);
      group.fetch = async (positions, maxWaitMs): Promise<FetchedPartition[]> => {
        const fetched = await fetch(positions, maxWaitMs);
        for (const partition of fetched) seen.fetched += partition.records.length;
        return fetched;
      };
      return group;
    },
  };
  return { seen, release, producer: wrapped, client: counting };
}

async function start(failChangelog: boolean) {
  const input = await createTopic(kafka!, 3, 'overlap-in');
  const output = await createTopic(kafka!, 3, 'overlap-out');
  const group = `overlap-${Date.now()}-${Math.random()}`;
  const changelog = `${group}.late-state`;
  const client = await createKafkaClient({ brokers }, logger);
  const producer = await client.producer({ acks: -1, idempotent: true, compression: 'none' });
  const watch = observed(client, producer, changelog, failChangelog);
  const rows = fixtureRows({ events: 2 * MICRO_BATCH, seed: 7, visits: 40, duplicates: 0, missingFields: 0, unprocessable: 0 });
  await produce(input, rows.slice(0, MICRO_BATCH));
  const job = await startStreamingJob({
    client: watch.client,
    producer: watch.producer,
    guarantee: 'at-least-once',
    inputTopic: input,
    outputTopic: output,
    groupId: group,
    triggerEvents: MICRO_BATCH,
    triggerIntervalMs: 60_000,
    deadLetters: new DeadLetterCollector(),
    late: { changelogTopic: changelog },
    sink: { partitions: 3 },
    logger,
  });
  return { input, output, group, rows, job, seen: watch.seen, release: watch.release, close: async () => (await producer.close(), await client.close()) };
}

async function committedOffsets(group: string, topic: string): Promise<number> {
  const admin = kafka!.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return offsets!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

describe.skipIf(!brokers)('at least once: the next micro-batch is read while the last one commits', () => {
  const closing: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closing) await close().catch(() => undefined);
  });

  /** A job whose micro-batch 1 is delivered and its late-event marks held. */
  async function heldAfterMicroBatchOne(failChangelog: boolean) {
    const run = await start(failChangelog);
    closing.push(
      async () => run.release(),
      () => run.job.stop(),
      run.close,
    );
    await until(() => run.seen.changelogHeld, "micro-batch 1's late-event marks", 30_000);
    return run;
  }

  it("reads micro-batch 2 while micro-batch 1's marks are held, and delivers it only once micro-batch 1 is committed", async () => {
    const run = await heldAfterMicroBatchOne(false);
    const outputSendsAtHold = run.seen.outputSends;
    expect(await committedOffsets(run.group, run.input)).toBe(0);

    await produce(run.input, run.rows.slice(MICRO_BATCH));
    // Before the overlap, the loop stayed in micro-batch 1's commit and read nothing more.
    await until(() => run.seen.fetched >= 2 * MICRO_BATCH, 'micro-batch 2 read while micro-batch 1 commits', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(run.seen.outputSends, 'micro-batch 2 delivered before micro-batch 1 was committed').toBe(outputSendsAtHold);
    expect(await committedOffsets(run.group, run.input)).toBe(0);

    run.release();
    await until(() => run.job.totals.microBatches === 2, 'both micro-batches committed', 30_000);
    expect(run.seen.firstOutputAfterHold).toBeGreaterThan(run.seen.changelogSentAt);
    const totals = await run.job.stop();
    expect(totals).toMatchObject({ microBatches: 2, read: 2 * MICRO_BATCH, delivered: 2 * MICRO_BATCH, uncommitted: 0 });
    expect(await committedOffsets(run.group, run.input)).toBe(2 * MICRO_BATCH);
    const report = await checkTopic(run.output, run.rows);
    expect(report.examples).toEqual([]);
    expect(report).toMatchObject({ ok: true, missing: 0, unexpected: 0, duplicates: 0, violations: 0 });
  }, 90_000);

  it("a failed write of micro-batch 1's marks ends the job with that error while micro-batch 2 is read, and commits nothing", async () => {
    const run = await heldAfterMicroBatchOne(true);
    await produce(run.input, run.rows.slice(MICRO_BATCH));
    await until(() => run.seen.fetched >= 2 * MICRO_BATCH, 'micro-batch 2 read while micro-batch 1 commits', 30_000);
    run.release();
    await expect(run.job.done).rejects.toThrow('changelog refused (test)');
    expect(await committedOffsets(run.group, run.input)).toBe(0);
  }, 90_000);
});
