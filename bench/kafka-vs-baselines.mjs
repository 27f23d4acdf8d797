// npm run bench (second part): file → Kafka, acks=all, 6 partitions, on a broker started here.
// In one script run, on the same events: bin-packer end to end with each client, the raw clients
// alone (no ordering, records loaded before the clock starts), kcat -P (librdkafka), Kafka's own
// ProducerPerformance with default settings (acks=all since 3.0), the seed's method, and one
// record per send with maxInFlightRequests 1. Then a long-visit workload: the time per delivery
// batch against the median acks=all round trip of one record, measured in the same run.
//   BENCH_KAFKA_EVENTS=1000000 BENCH_KAFKA_ROUNDS=3 BENCH_ONE_BY_ONE_SECONDS=30 npm run bench
import { rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Admin } from '@platformatic/kafka';
import { resolveKafkaClasspath } from '../dist/kafka-local/classpath.js';
import { javaExecutable } from '../dist/kafka-local/prerequisites.js';
import { generate, measure, measureToKafka, median, out, requireKafkaBench, startBenchBroker, summaryOf } from './measure.mjs';
import { writeResultsSection } from './results-file.mjs';

const events = Number(process.env.BENCH_KAFKA_EVENTS ?? 1_000_000);
const rounds = Number(process.env.BENCH_KAFKA_ROUNDS ?? 3);
const oneByOneSeconds = Number(process.env.BENCH_ONE_BY_ONE_SECONDS ?? 20);
requireKafkaBench('Kafka benchmark');

const input = generate(events);
const deliveryFile = path.join(out, 'delivery.ndjson');
measure('order the events once for the baselines', process.execPath, [
  'dist/pipe.js',
  input,
  '--output',
  deliveryFile,
  '--dead-letter',
  path.join(out, 'dead.ndjson'),
]);
const recordSize = Math.round(statSync(input).size / events);
const longVisitsInput = path.join(out, 'long-visits.ndjson');
const longVisitEvents = Math.round(events / 5);
measure('generate long visits', process.execPath, [
  'dist/cli/fixtures.js',
  '--events',
  String(longVisitEvents),
  '--visits',
  String(Math.round(longVisitEvents / 100)),
  '--seed',
  '2',
  '--out',
  longVisitsInput,
]);
// Its delivery batches, for the floor: the same batches sent on a bare socket.
const longVisitsLines = path.join(out, 'long-visits-delivery.ndjson');
measure('order the long visits once for the floor', process.execPath, ['dist/pipe.js', longVisitsInput, '--output', longVisitsLines]);

const lastJson = (run) => JSON.parse(run.stdout.trim().split('\n').at(-1));

const broker = await startBenchBroker();
let topicCount = 0;
const admin = new Admin({ clientId: 'bench', bootstrapBrokers: [broker.brokers] });
async function freshTopic(name) {
  const topic = `${name}-${++topicCount}`;
  await admin.createTopics({ topics: [topic], partitions: 6, replicas: -1 });
  await new Promise((resolve) => setTimeout(resolve, 500)); // leaders elected
  return topic;
}

try {
  const classpath = await resolveKafkaClasspath({ profiles: ['tools'] });
  /** bin-packer end to end into a fresh topic, and its delivery phase from its summary. */
  const binPacker = async (name, clientArgs) => {
    const topic = await freshTopic(name);
    const run = measureToKafka(name, input, broker.brokers, topic, clientArgs);
    const summary = summaryOf(run);
    return { wall: run.wall, perSecond: events / run.wall, deliveryPerSecond: summary.delivered / summary.deliverySeconds, rssMiB: run.rssMiB };
  };
  const producers = {
    'bin-packer (pipe.js --topic)': () => binPacker('bin-packer', []),
    'bin-packer --client kafkajs': () => binPacker('bin-packer-kafkajs', ['--client', 'kafkajs']),
    '@platformatic/kafka alone (no ordering)': async () => {
      const run = measure('raw platformatic', process.execPath, [
        'bench/kafka-baselines.mjs',
        'raw-platformatic',
        broker.brokers,
        await freshTopic('raw-platformatic'),
        deliveryFile,
      ]);
      const r = lastJson(run);
      return { wall: r.wall, perSecond: r.perSecond, rssMiB: run.rssMiB };
    },
    'kafkajs alone (no ordering)': async () => {
      const run = measure('raw kafkajs', process.execPath, [
        'bench/kafka-baselines.mjs',
        'raw-kafkajs',
        broker.brokers,
        await freshTopic('raw-kafkajs'),
        deliveryFile,
      ]);
      const r = lastJson(run);
      return { wall: r.wall, perSecond: r.perSecond, rssMiB: run.rssMiB };
    },
    'kcat -P (librdkafka; values only, no keys or headers)': async () => {
      const run = measure('kcat -P', 'kcat', ['-P', '-b', broker.brokers, '-t', await freshTopic('kcat'), '-l', input, '-X', 'acks=all']);
      return { wall: run.wall, perSecond: events / run.wall, rssMiB: run.rssMiB };
    },
    'Java ProducerPerformance (default settings)': async () => {
      const run = measure('ProducerPerformance', javaExecutable(), [
        '-Xmx512m',
        '-XX:-UsePerfData',
        '-cp',
        classpath,
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        await freshTopic('producer-perf'),
        '--num-records',
        String(events),
        '--record-size',
        String(recordSize),
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${broker.brokers}`,
        'acks=all',
      ]);
      // Its own rate (the clock starts at its first send, after the JVM starts): the stricter anchor.
      return { wall: run.wall, perSecond: Number(/([\d.]+) records\/sec/.exec(run.stdout.trim().split('\n').at(-1))?.[1]), rssMiB: run.rssMiB };
    },
  };
  // Untimed, so that no contender meets a cold broker: its JVM's JIT warms up on the first
  // million records it takes (bin-packer, first in each round, took 14.6 s in round 1 and 10.6 s
  // in round 2 of one run without this).
  for (let pass = 0; pass < 2; pass++)
    measure('warm the broker up (untimed)', 'kcat', ['-P', '-b', broker.brokers, '-t', await freshTopic('warm-up'), '-l', input, '-X', 'acks=all']);
  const results = Object.fromEntries(Object.keys(producers).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(producers)) results[name].push(await run());
  }
  /** One run of kafka-baselines.mjs in `mode`, to a fresh topic, from the delivery lines; its last JSON line. */
  const baseline = async (label, mode, ...args) =>
    lastJson(measure(label, process.execPath, ['bench/kafka-baselines.mjs', mode, broker.brokers, await freshTopic(mode), deliveryFile, ...args]));
  const oneByOne = await baseline('one by one', 'one-by-one', String(oneByOneSeconds));
  const seedRun = measure("seed's method", process.execPath, ['bench/kafka-baselines.mjs', 'seed', broker.brokers, await freshTopic('seed'), deliveryFile]);
  const seed = { wall: seedRun.wall, perSecond: lastJson(seedRun).sent / seedRun.wall, rssMiB: seedRun.rssMiB };

  // Long visits: delivery is latency-bound, one barrier step per batch.
  const longRuns = [];
  for (let round = 0; round < rounds; round++) {
    const rtt = (await baseline('round trip', 'round-trip')).medianMs;
    const run = measureToKafka('bin-packer long visits', longVisitsInput, broker.brokers, await freshTopic('long-visits'));
    const summary = summaryOf(run);
    // The broker's and the network's share: the same batches, encoded beforehand, one request each on a bare socket.
    const floor = lastJson(
      measure('batch floor', process.execPath, ['bench/kafka-baselines.mjs', 'batch-floor', broker.brokers, await freshTopic('batch-floor'), longVisitsLines]),
    );
    longRuns.push({
      rtt,
      floor,
      perBatchMs: (1000 * summary.deliverySeconds) / summary.batches,
      batches: summary.batches,
      longestVisit: summary.longestVisit,
      requests: summary.requests,
    });
  }

  const row = (name) => {
    const runs = results[name];
    return {
      name,
      wall: median(runs.map((r) => r.wall)),
      perSecond: median(runs.map((r) => r.perSecond)),
      deliveryPerSecond: runs[0].deliveryPerSecond === undefined ? undefined : median(runs.map((r) => r.deliveryPerSecond)),
      rssMiB: Math.max(...runs.map((r) => r.rssMiB)),
    };
  };
  const rows = Object.keys(producers).map(row);
  const java = rows.find((r) => r.name.startsWith('Java'));
  const raw = rows.find((r) => r.name.startsWith('@platformatic'));
  const ours = rows[0];
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const long = {
    rtt: median(longRuns.map((r) => r.rtt)),
    perBatchMs: median(longRuns.map((r) => r.perBatchMs)),
    floorMs: median(longRuns.map((r) => r.floor.meanMs)),
  };
  const lines = [
    '## File → Kafka against the baselines',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, Kafka ${broker.version} on loopback (one KRaft broker, started by the bench), topics of 6 partitions, acks=all. ${events.toLocaleString('en-US')} generated events (${recordSize} bytes on average); medians of ${rounds} interleaved rounds; wall times include each process's start. Reproduce: \`node bench/kafka-vs-baselines.mjs\` after \`npm run build\`.`,
    '',
    'records/s: bin-packer and kcat, events ÷ wall time of the whole process; the raw clients, from their first send (records loaded before); Java, its own reported rate (from its first send, after the JVM starts).',
    '',
    '| producer | wall s | records/s | × Java | delivery phase records/s | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.wall.toFixed(2)} | ${fmt(r.perSecond)} | ${(r.perSecond / java.perSecond).toFixed(2)} | ${r.deliveryPerSecond === undefined ? '' : fmt(r.deliveryPerSecond)} | ${r.rssMiB.toFixed(0)} |`,
    ),
    `| seed's method (batch k = k-th events, all in memory, flush per batch; kafkajs) | ${seed.wall.toFixed(2)} | ${fmt(seed.perSecond)} | ${(seed.perSecond / java.perSecond).toFixed(2)} | | ${seed.rssMiB.toFixed(0)} |`,
    `| kafkajs, one record per send, maxInFlightRequests 1 (time-boxed, ${oneByOneSeconds} s) | ${oneByOne.wall.toFixed(2)} | ${fmt(oneByOne.perSecond)} | ${(oneByOne.perSecond / java.perSecond).toFixed(2)} | | |`,
    '',
    `Long visits: ${longVisitEvents.toLocaleString('en-US')} events in ${Math.round(longVisitEvents / 100).toLocaleString('en-US')} visits (longest ${longRuns[0].longestVisit}), ${longRuns[0].batches} delivery batches in ${longRuns[0].requests} send calls. Per round: ${longRuns.map((r) => `${r.perBatchMs.toFixed(2)} ms per batch against a ${r.rtt.toFixed(2)} ms round trip`).join('; ')}.`,
    '',
    `The floor, with no client at all (\`kafka-baselines.mjs batch-floor\`: the same ${longRuns[0].floor.batches} batches encoded beforehand, one request each, in order, on a bare socket): ${long.floorMs.toFixed(2)} ms per batch, ${(long.floorMs / long.rtt).toFixed(1)}× one record's round trip; bin-packer's time per batch is ${(long.perBatchMs / long.floorMs).toFixed(2)}× the floor (per round: ${longRuns.map((r) => `${r.perBatchMs.toFixed(2)} / ${r.floor.meanMs.toFixed(2)} ms`).join('; ')}).`,
    '',
    '### Against the targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    `| end to end ≥ 0.8× Java ProducerPerformance | ${(ours.perSecond / java.perSecond).toFixed(2)}× | ${ours.perSecond >= 0.8 * java.perSecond ? 'yes' : 'no'} |`,
    `| delivery phase ≥ 0.9× the raw default client | ${(ours.deliveryPerSecond / raw.perSecond).toFixed(2)}× | ${ours.deliveryPerSecond >= 0.9 * raw.perSecond ? 'yes' : 'no'} |`,
    `| peak RSS ≤ 200 MB | ${ours.rssMiB.toFixed(0)} MiB (${(ours.rssMiB * 1.048576).toFixed(0)} MB) | ${ours.rssMiB * 1.048576 <= 200 ? 'yes' : 'no'} |`,
    `| long visits: time per batch ≤ 3× one record's round trip | ${(long.perBatchMs / long.rtt).toFixed(1)}× (${long.perBatchMs.toFixed(2)} against ${long.rtt.toFixed(2)} ms) | ${long.perBatchMs <= 3 * long.rtt ? 'yes' : 'no'} |`,
    '',
  ];
  writeResultsSection('kafka', lines.join('\n'));
  console.log(lines.join('\n'));
} finally {
  await admin.close();
  await broker.stop();
  rmSync(out, { recursive: true, force: true });
}
