// The floor under streaming mode on this machine: the same client consuming the input topic in
// micro-batches and producing each one through the same KafkaSink (acks=all, idempotent), then
// committing its offsets, one after another, as an at-least-once instance does, but with none
// of the ordering work: no parse, no validation, no sort, no late-event state. Records go out
// as they were fetched, keyed as they came, in delivery batches of --batch-records (the
// partitions interleaved, as a sorted micro-batch's batches mix them). The streaming bench runs
// it beside bin-packer, so "× floor" says how much of the gap to file mode is bin-packer's own.
// It holds a micro-batch's fetched records (views of the fetch responses) until they are sent.
// Logs one JSON line per committed micro-batch to stderr: {"floorMicroBatch":{"delivered":N,...}}.
//   node bench/streaming-floor.mjs --brokers B --input-topic T --topic OUT --group G --trigger-events N
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createKafkaClient } from '../dist/kafka/client.js';
import { createLogger } from '../dist/logger.js';
import { KafkaSink } from '../dist/sinks/kafka-sink.js';

const { values } = parseArgs({
  options: {
    brokers: { type: 'string' },
    'input-topic': { type: 'string' },
    topic: { type: 'string' },
    group: { type: 'string' },
    'trigger-events': { type: 'string', default: '100000' },
    'batch-records': { type: 'string', default: '2000' },
  },
});
const triggerEvents = Number(values['trigger-events']);
const batchRecords = Number(values['batch-records']);

const client = await createKafkaClient({ brokers: values.brokers }, createLogger({ level: 'warn' }));
const producer = await client.producer({ acks: -1, idempotent: true, compression: 'none' });
const partitions = await client.partitionCount(values.topic);
const group = client.groupConsumer({
  groupId: values.group,
  topic: values['input-topic'],
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
});
const { partitions: owned } = await group.join();
const positions = await group.startOffsets(owned, 'earliest');
let stopping = false;
process.once('SIGTERM', () => (stopping = true));
let nextBatch = 1;
for (let microBatch = 1; !stopping; microBatch++) {
  const opened = performance.now();
  /** Per partition, its records of this micro-batch in offset order. */
  const byPartition = new Map();
  let read = 0;
  while (read < triggerEvents && !stopping) {
    const fetched = await group.fetch(positions, 500);
    for (const { partition, records, nextOffset } of fetched) {
      const taken = records.slice(0, triggerEvents - read);
      if (taken.length === 0 && records.length > 0) continue; // the micro-batch is full: read again next time
      read += taken.length;
      const queue = byPartition.get(partition) ?? [];
      for (const record of taken) queue.push(record);
      byPartition.set(partition, queue);
      positions.set(partition, taken.length < records.length ? taken.at(-1).offset + 1n : nextOffset);
    }
  }
  if (read === 0) break;
  const queues = [...byPartition.values()];
  const mixed = [];
  for (let i = 0; mixed.length < read; i++) for (const queue of queues) if (i < queue.length) mixed.push(queue[i]);
  const batches = [];
  for (let start = 0; start < mixed.length; start += batchRecords) {
    const events = mixed
      .slice(start, start + batchRecords)
      .map((record, i) => ({ visitId: record.key?.toString() ?? '', time: 0, seq: start + i, text: '', bytes: record.value }));
    batches.push({ number: nextBatch++, events, bytes: 0 });
  }
  const sink = new KafkaSink({ producer, topic: values.topic, partitions });
  await pipeline(Readable.from(batches), sink);
  // Each partition read from, committed up to where this micro-batch stopped reading it.
  await group.commit([...byPartition.keys()].map((partition) => ({ partition, offset: positions.get(partition), metadata: '' })));
  console.error(
    JSON.stringify({ floorMicroBatch: { number: microBatch, read, delivered: sink.stats.delivered, seconds: (performance.now() - opened) / 1000 } }),
  );
}
await group.close();
await producer.close();
await client.close();
