// npm run bench (second part): file → Kafka, acks=all, 6 partitions, on a broker started here.
// bin-packer against the same sorted events sent one by one with maxInFlightRequests: 1, the
// seed's method (all batches in memory, flush after each), and the broker's ceiling measured
// with Kafka's own ProducerPerformance at the same record size and acks.
//   BENCH_KAFKA_EVENTS=1000000 BENCH_ONE_BY_ONE_SECONDS=30 npm run bench
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { resolveKafkaClasspath } from '../dist/kafka-local/classpath.js';
import { javaExecutable } from '../dist/kafka-local/prerequisites.js';
import { generate, measure, out, requireKafkaBench, startBenchBroker } from './measure.mjs';
import { writeResultsSection } from './results-file.mjs';

const events = Number(process.env.BENCH_KAFKA_EVENTS ?? 1_000_000);
const oneByOneSeconds = Number(process.env.BENCH_ONE_BY_ONE_SECONDS ?? 30);
requireKafkaBench('Kafka benchmark');

const input = generate(events);
const deliveryFile = path.join(out, 'delivery.ndjson');
measure('order the events once for the baselines', process.execPath, ['dist/pipe.js', input, '--output', deliveryFile, '--dead-letter', path.join(out, 'dead.ndjson')]);
const recordSize = Math.round(statSync(input).size / events);

const broker = await startBenchBroker();
try {
  const admin = new Kafka({ clientId: 'bench', brokers: [broker.brokers], logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  const topics = ['bin-packer', 'one-by-one', 'seed', 'producer-perf'];
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 6 })), waitForLeaders: true });
  await admin.disconnect();

  const results = [];
  const ours = measure('bin-packer', process.execPath, ['dist/pipe.js', input, '--brokers', broker.brokers, '--topic', 'bin-packer', '--dead-letter', path.join(out, 'dead.ndjson')]);
  results.push({ name: 'bin-packer (pipe.js --topic, acks all)', records: events, wall: ours.wall, perSecond: events / ours.wall, rssMiB: ours.rssMiB, note: 'end to end: parse, sort, bin, deliver' });
  const ourSummary = JSON.parse(ours.stderr.trim().split('\n').find((l) => l.includes('"run complete"'))).summary;
  results.push({ name: 'bin-packer, delivery phase only', records: ourSummary.delivered, wall: ourSummary.deliverySeconds, perSecond: ourSummary.delivered / ourSummary.deliverySeconds, rssMiB: ours.rssMiB, note: 'first batch to last acknowledgement (same run)' });

  const oneByOne = measure('one by one, maxInFlightRequests 1', process.execPath, ['bench/kafka-baselines.mjs', 'one-by-one', broker.brokers, 'one-by-one', deliveryFile, String(oneByOneSeconds)]);
  const o = JSON.parse(oneByOne.stdout.trim().split('\n').at(-1));
  results.push({ name: 'kafkajs, one record per send, maxInFlightRequests 1', records: o.sent, wall: o.wall, perSecond: o.perSecond, rssMiB: oneByOne.rssMiB, note: `time-boxed at ${oneByOneSeconds} s; sorted input` });

  const seed = measure("seed's method", process.execPath, ['bench/kafka-baselines.mjs', 'seed', broker.brokers, 'seed', deliveryFile]);
  const sd = JSON.parse(seed.stdout.trim().split('\n').at(-1));
  results.push({ name: "seed's method (batch k = k-th events, all in memory, flush per batch)", records: sd.sent, wall: seed.wall, perSecond: sd.sent / seed.wall, rssMiB: seed.rssMiB, note: 'sorted input' });

  const classpath = await resolveKafkaClasspath({ profiles: ['tools'] });
  const perf = measure('ProducerPerformance', javaExecutable(), [
    '-Xmx512m', '-XX:-UsePerfData', '-cp', classpath, 'org.apache.kafka.tools.ProducerPerformance',
    '--topic', 'producer-perf', '--num-records', String(events), '--record-size', String(recordSize), '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${broker.brokers}`, 'acks=all',
  ]);
  const perfLine = perf.stdout.trim().split('\n').at(-1);
  const perfRate = Number(/([\d.]+) records\/sec/.exec(perfLine)?.[1]);
  results.push({ name: 'Java ProducerPerformance (ceiling)', records: events, wall: perf.wall, perSecond: perfRate, rssMiB: perf.rssMiB, note: `${recordSize}-byte records, unordered` });

  const base = results[2].perSecond;
  const ceiling = perfRate;
  const ourRate = results[0].perSecond;
  const lines = [
    '## File → Kafka against the baselines',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, Kafka ${broker.version} on loopback (one KRaft broker, started by the bench), topics of 6 partitions, acks=all. ${events.toLocaleString('en-US')} generated events (${recordSize} bytes on average). Reproduce: \`npm run bench\`.`,
    '',
    '| producer | records | wall s | records/s | × one-by-one | × Java ceiling | peak RSS MiB | |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map((r) => `| ${r.name} | ${r.records.toLocaleString('en-US')} | ${r.wall.toFixed(1)} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${(r.perSecond / base).toFixed(1)} | ${(r.perSecond / ceiling).toFixed(2)} | ${r.rssMiB.toFixed(0)} | ${r.note} |`),
    '',
    '### Against the targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    `| ≥ 5× the maxInFlightRequests 1 baseline | ${(ourRate / base).toFixed(1)}× end to end | ${ourRate >= 5 * base ? 'yes' : 'no'} |`,
    `| ≥ 50% of the Java ceiling | ${((100 * ourRate) / ceiling).toFixed(0)}% end to end, ${((100 * results[1].perSecond) / ceiling).toFixed(0)}% in the delivery phase | ${ourRate >= 0.5 * ceiling ? 'yes' : results[1].perSecond >= 0.5 * ceiling ? 'delivery phase only' : 'no'} |`,
    `| peak RSS ≤ 200 MB | ${results[0].rssMiB.toFixed(0)} MiB | ${results[0].rssMiB * 1.048576 <= 200 ? 'yes' : 'no'} |`,
    '',
  ];
  writeResultsSection('kafka', lines.join('\n'));
  console.log(lines.join('\n'));
} finally {
  await broker.stop();
  rmSync(out, { recursive: true, force: true });
}
