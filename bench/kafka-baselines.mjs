// Baseline producers for bench/kafka-vs-baselines.mjs, run as child processes so each has its
// own peak RSS. Input: the NDJSON delivery lines of `pipe.js --output` (sorted, batched).
//   node bench/kafka-baselines.mjs one-by-one|seed|raw-platformatic|raw-kafkajs|round-trip BROKERS TOPIC DELIVERY_FILE [SECONDS]
//   node bench/kafka-baselines.mjs batch-floor BROKERS TOPIC DELIVERY_FILE
// raw-*: the client alone, no ordering: every record loaded before the clock starts, then sent
// in sends of 1,000 with up to 8 in flight, acks=all, idempotent (both clients' settings as the
// sink uses them). round-trip: the median of single-record acks=all sends, one at a time.
// batch-floor: what the file's delivery batches cost the broker and the network alone. Produce
// requests (v9, acks=all), one per batch over the six partitions, encoded before the clock
// starts, go one at a time, in batch order, over a bare socket to the (single) broker; their
// mean round trip. No client could deliver the batches faster.
import { createReadStream } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { crc32c, Producer } from '@platformatic/kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { javaPartitioner } from '../dist/kafka/java-partitioner.js';
import { encodeRecordBatch } from '../dist/kafka/record-batch.js';

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
} else if (mode === 'batch-floor') {
  const partitionOf = javaPartitioner(6);
  const batches = [];
  for await (const { batch, key, value } of deliveryLines())
    (batches[batch - 1] ??= []).push({ key: Buffer.from(key), value, headers: [['delivery_batch', String(batch)]] });
  const requests = batches.filter(Boolean).map((records, i) => produceRequest(topic, records, partitionOf, i));
  const roundTrip = await bareSocket(brokers);
  let total = 0;
  for (const request of requests) total += await roundTrip(request);
  roundTrip.close();
  console.log(JSON.stringify({ batches: requests.length, meanMs: total / requests.length }));
  process.exit(0);
} else {
  throw new Error(`unknown mode ${mode}`);
}

/** A bare socket to the first broker: a function that sends one request and resolves with its round trip in ms. */
async function bareSocket(brokers) {
  const [host, port] = brokers.split(',')[0].split(':');
  const socket = connect(Number(port), host);
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let answered;
  let received = Buffer.alloc(0);
  socket.on('data', (data) => {
    received = Buffer.concat([received, data]);
    if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
      const response = received;
      received = Buffer.alloc(0);
      answered(response);
    }
  });
  const roundTrip = (request) =>
    new Promise((resolve) => {
      const started = performance.now();
      answered = () => resolve(performance.now() - started);
      socket.write(request);
    });
  return Object.assign(roundTrip, { close: () => socket.end() });
}

/** A Produce request (v9, acks=all, no producer id) of `records`, one record batch per partition. */
function produceRequest(topic, records, partitionOf, correlationId) {
  const byPartition = new Map();
  for (const record of records) {
    const partition = partitionOf(record.key);
    if (!byPartition.has(partition)) byPartition.set(partition, []);
    byPartition.get(partition).push(record);
  }
  const header = { producerId: -1n, producerEpoch: -1, baseSequence: -1, transactional: false, partitionLeaderEpoch: -1, timestamp: BigInt(Date.now()) };
  const partitions = [...byPartition].map(([partition, batch]) => {
    const bytes = encodeRecordBatch(batch, header, crc32c);
    return Buffer.concat([int(4, partition), varint(bytes.length + 1), bytes, varint(0)]);
  });
  const name = Buffer.from(topic);
  const clientId = Buffer.from('bench-step-floor');
  const body = Buffer.concat([
    int(2, 0), // Produce
    int(2, 9),
    int(4, correlationId),
    int(2, clientId.length),
    clientId,
    varint(0), // request header tags
    varint(0), // transactional id: null
    int(2, -1), // acks=all
    int(4, 30_000),
    varint(2), // one topic
    varint(name.length + 1),
    name,
    varint(partitions.length + 1),
    ...partitions,
    varint(0), // topic tags
    varint(0), // request tags
  ]);
  return Buffer.concat([int(4, body.length), body]);
}

function int(bytes, value) {
  const buffer = Buffer.alloc(bytes);
  if (bytes === 2) buffer.writeInt16BE(value);
  else buffer.writeInt32BE(value);
  return buffer;
}

function varint(value) {
  const bytes = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}
const wall = (performance.now() - started) / 1000;
console.log(JSON.stringify({ sent, wall, perSecond: sent / wall }));
