// Baseline producers for bench/kafka-vs-baselines.mjs, run as child processes so each has its
// own peak RSS. Input: the NDJSON delivery lines of `pipe.js --output` (sorted, batched).
//   node bench/kafka-baselines.mjs one-by-one|seed|raw-platformatic|raw-kafkajs|round-trip BROKERS TOPIC DELIVERY_FILE [SECONDS]
// raw-*: the client alone, no ordering: every record loaded before the clock starts, then sent
// in sends of 1,000 with up to 8 in flight, acks=all, idempotent (both clients' settings as the
// sink uses them). round-trip: the median of single-record acks=all sends, one at a time.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Producer } from '@platformatic/kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { javaPartitioner } from '../dist/kafka/java-partitioner.js';

const [mode, brokers, topic, file, seconds = '30'] = process.argv.slice(2);
const kafka = new Kafka({ clientId: `bench-${mode}`, brokers: [brokers], logLevel: logLevel.ERROR });

async function* deliveryLines() {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!line) continue;
    const start = line.indexOf('"value":');
    const batch = Number(line.slice('{"delivery_batch":'.length, line.indexOf(',')));
    const key = JSON.parse(line.slice(line.indexOf('"key":') + 6, start - 1));
    yield { batch, key, value: Buffer.from(line.slice(start + 8, -1)) };
  }
}

const started = performance.now();
let sent = 0;
if (mode === 'one-by-one') {
  // The usual cure for reordering: one request in flight, records in sorted order. Time-boxed:
  // it is too slow to send everything, so its rate is measured on what it sends in the box.
  const producer = kafka.producer({ maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const deadline = started + Number(seconds) * 1000;
  for await (const { key, value } of deliveryLines()) {
    await producer.send({ topic, acks: -1, messages: [{ key, value }] });
    sent++;
    if (performance.now() > deadline) break;
  }
  await producer.disconnect();
} else if (mode === 'seed') {
  // The seed's method: the k-th event of every visit into batch k, all batches held in memory,
  // each batch sent record by record and flushed before the next.
  const batches = [];
  const position = new Map();
  for await (const { key, value } of deliveryLines()) {
    const k = (position.get(key) ?? 0) + 1;
    position.set(key, k);
    (batches[k - 1] ??= []).push({ key, value, headers: { delivery_batch: String(k) } });
  }
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (const batch of batches) {
    const requests = [];
    for (let i = 0; i < batch.length; i += 1000) requests.push(producer.send({ topic, acks: -1, messages: batch.slice(i, i + 1000) }));
    await Promise.all(requests); // flush
    sent += batch.length;
  }
  await producer.disconnect();
} else if (mode === 'raw-platformatic' || mode === 'raw-kafkajs') {
  const partitionOf = javaPartitioner(6);
  const records = [];
  for await (const { key, value } of deliveryLines()) records.push({ key: Buffer.from(key), value });
  const sends = [];
  for (let i = 0; i < records.length; i += 1000) sends.push(records.slice(i, i + 1000));
  let send;
  let close;
  if (mode === 'raw-platformatic') {
    const producer = new Producer({ clientId: 'bench-raw', bootstrapBrokers: [brokers], acks: -1, idempotent: true, timeout: 30_000, retryDelay: 100 });
    await producer.initIdempotentProducer({});
    send = (chunk) => producer.send({ messages: chunk.map((r) => ({ topic, partition: partitionOf(r.key), key: r.key, value: r.value })) });
    close = () => producer.close();
  } else {
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    send = (chunk) => producer.send({ topic, acks: -1, messages: chunk.map((r) => ({ key: r.key, value: r.value })) });
    close = () => producer.disconnect();
  }
  const clock = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < sends.length) {
      const chunk = sends[next++];
      await send(chunk);
      sent += chunk.length;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const wall = (performance.now() - clock) / 1000;
  await close();
  console.log(JSON.stringify({ sent, wall, perSecond: sent / wall }));
  process.exit(0);
} else if (mode === 'round-trip') {
  const producer = new Producer({ clientId: 'bench-rtt', bootstrapBrokers: [brokers], acks: -1, idempotent: true, timeout: 30_000 });
  await producer.initIdempotentProducer({});
  const times = [];
  for await (const { key, value } of deliveryLines()) {
    const t = performance.now();
    await producer.send({ messages: [{ topic, partition: 0, key: Buffer.from(key), value }] });
    times.push(performance.now() - t);
    if (times.length === 500) break;
  }
  await producer.close();
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ sent: times.length, medianMs: times[times.length >> 1] }));
  process.exit(0);
} else {
  throw new Error(`unknown mode ${mode}`);
}
const wall = (performance.now() - started) / 1000;
console.log(JSON.stringify({ sent, wall, perSecond: sent / wall }));
