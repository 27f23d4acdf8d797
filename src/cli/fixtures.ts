#!/usr/bin/env node
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { fixtureBatches, fixtureStream } from '../fixtures/fixture-stream.js';
import type { FixtureOptions } from '../fixtures/generate-events.js';
import { createKafkaClient } from '../kafka/client.js';
import { javaPartitioner } from '../kafka/java-partitioner.js';
import { partBytesFor, splitIntoParts } from '../kafka/record-parts.js';
import { logger } from './logger.js';
import { CREATE_TOPIC_HINT, requireTopic } from '../kafka/topic.js';
import { reachKafka } from '../kafka/open-output.js';
import { isBrokenPipe, parseChoice, parseCount, parseFraction, positiveCount, UsageError } from './args.js';
import { isEntryPoint, runMain } from './run-main.js';

export const USAGE = `Usage: bin-packer fixtures --events N [options]   (in a checkout: npm run fixtures -- ...)

Generates web-visit events in the seed's schema, in arrival order (visits interleave, some
events arrive late). Deterministic: the same options give the same bytes.

  --events N            rows to write in total (required)
  --visits V            visits to spread them over (default events/5)
  --seed S              random seed (default 1)
  --duplicates P        fraction of rows repeating an earlier row byte for byte (default 0)
  --missing-fields P    fraction of rows lacking visit_id or event_time (default 0)
  --unprocessable P     fraction of rows that are not events: broken JSON, non-objects,
                        unparseable times (default 0; only parseable kinds with --format array)
  --late P              fraction of events arriving after later events of their visit (default 0.05)
  --time-offsets MODE   utc (every event_time +00:00, default) or mixed (various offsets, same instants)
  --format FORMAT       ndjson (default) or array (one top-level JSON array)
  --out FILE            write to FILE instead of stdout
  --brokers B           write to Kafka instead (host:port[,host:port]; default KAFKA_BROKERS
                        when --topic is given), keyed by visit_id
  --topic T             the topic to write to
  --create-topic        create the topic if missing, with --partitions N (default 6)
  -h, --help            this text
`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      visits: { type: 'string' },
      seed: { type: 'string' },
      duplicates: { type: 'string' },
      'missing-fields': { type: 'string' },
      unprocessable: { type: 'string' },
      late: { type: 'string' },
      'time-offsets': { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      brokers: { type: 'string' },
      topic: { type: 'string' },
      'create-topic': { type: 'boolean' },
      partitions: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const options: FixtureOptions = {
    events: parseCount('events', values.events),
    seed: parseCount('seed', values.seed, 1),
    duplicates: parseFraction('duplicates', values.duplicates),
    missingFields: parseFraction('missing-fields', values['missing-fields']),
    unprocessable: parseFraction('unprocessable', values.unprocessable),
    late: parseFraction('late', values.late, 0.05),
    timeOffsets: parseChoice('time-offsets', values['time-offsets'], ['utc', 'mixed'] as const, 'utc'),
    format: parseChoice('format', values.format, ['ndjson', 'array'] as const, 'ndjson'),
  };
  if (values.visits !== undefined) options.visits = Math.max(1, parseCount('visits', values.visits));

  if (values.topic !== undefined || values.brokers !== undefined) {
    const brokers = values.brokers ?? process.env.KAFKA_BROKERS;
    if (!brokers || !values.topic) throw new UsageError('writing to Kafka needs both --brokers (or KAFKA_BROKERS) and --topic');
    if (values.out) throw new UsageError('--out and --topic are exclusive');
    await writeToKafka(options, brokers, values.topic, values['create-topic'] ? positiveCount('partitions', values.partitions, 6) : null);
    return 0;
  }
  const output = values.out ? createWriteStream(values.out) : process.stdout;
  try {
    await pipeline(fixtureStream(options), output);
  } catch (error) {
    if (isBrokenPipe(error)) return 0;
    throw error;
  }
  return 0;
}

async function writeToKafka(options: FixtureOptions, brokers: string, topic: string, createPartitions: number | null): Promise<void> {
  const client = await createKafkaClient({ brokers, clientId: 'bin-packer-fixtures' }, logger);
  let sent = 0;
  // Unreachable brokers or a missing topic: one clear line (reachKafka closes the client).
  const { partitions, created } = await reachKafka(client, brokers, () =>
    requireTopic(client, topic, { brokers, createPartitions: createPartitions ?? undefined, hint: CREATE_TOPIC_HINT }),
  );
  try {
    if (created) logger.info({ topic, partitions }, 'topic created');
    // Keyed by visit_id on the partition a Java producer would choose, as any keyed producer would.
    const partitionOf = javaPartitioner(partitions);
    const producer = await client.producer({ acks: -1, idempotent: true, compression: 'none' });
    // Each send no larger than one record batch of the topic may be, whatever its max.message.bytes.
    const maxSendBytes = partBytesFor((await client.topicConfig(topic)).maxMessageBytes);
    try {
      for (const batch of fixtureBatches(options, 1000)) {
        const records = batch.map((row, i) => {
          const key = row.key === null ? null : Buffer.from(row.key);
          return { partition: key ? partitionOf(key) : (sent + i) % partitions, key, value: Buffer.from(row.text), headers: [] };
        });
        const sends: Promise<void>[] = [];
        splitIntoParts(records, maxSendBytes, (start, end) => sends.push(producer.send(topic, records.slice(start, end))));
        await Promise.all(sends);
        sent += batch.length;
      }
    } finally {
      await producer.close();
    }
  } finally {
    await client.close();
  }
  logger.info({ topic, sent }, 'fixtures written to Kafka');
}

// `node dist/cli/fixtures.js` (the npm scripts) as well as `bin-packer fixtures`.
if (isEntryPoint(import.meta.url)) runMain(() => main(process.argv.slice(2)));
