// The Kafka sink's two barriers on the same events, interleaved rounds in one script run:
// `batch` (batch n+1 waits for all of batch n) and `partition` (it waits only for batch n's
// records on the same partition). File → Kafka, acks=all, 6 partitions, broker started here.
//   BENCH_BARRIER_EVENTS=300000 BENCH_BARRIER_ROUNDS=3 node bench/barriers.mjs
import os from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { generate, measureToKafka, requireKafkaBench, startBenchBroker, summaryOf } from './measure.mjs';
import { writeResultsSection } from './results-file.mjs';

const events = Number(process.env.BENCH_BARRIER_EVENTS ?? 300_000);
const rounds = Number(process.env.BENCH_BARRIER_ROUNDS ?? 5);
const settings = [
  { barrier: 'batch', args: ['--max-batch-records', '10000'] },
  { barrier: 'partition', args: ['--max-batch-records', '10000'] },
  { barrier: 'batch', args: ['--max-batch-records', '2000'] },
  { barrier: 'partition', args: ['--max-batch-records', '2000'] },
];
requireKafkaBench('barrier benchmark');
const input = generate(events);
const broker = await startBenchBroker();
try {
  const admin = new Kafka({ clientId: 'bench', brokers: [broker.brokers], logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  const runs = settings.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, setting] of settings.entries()) {
      const topic = `barrier-${setting.barrier}-${i}-${round}`;
      await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
      const run = measureToKafka(`${setting.barrier} ${setting.args.join(' ')} round ${round + 1}`, input, broker.brokers, topic, [
        '--barrier',
        setting.barrier,
        ...setting.args,
      ]);
      const summary = summaryOf(run);
      runs[i].push({
        wall: run.wall,
        delivery: summary.delivered / summary.deliverySeconds,
        rssMiB: run.rssMiB,
        batches: summary.batches,
        requests: summary.requests,
      });
      await admin.deleteTopics({ topics: [topic] });
    }
  }
  await admin.disconnect();
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows = settings.map((s, i) => ({
    name: `${s.barrier}${s.args.length ? ` (${s.args.join(' ')})` : ''}`,
    delivery: median(runs[i].map((r) => r.delivery)),
    wall: median(runs[i].map((r) => r.wall)),
    rssMiB: Math.max(...runs[i].map((r) => r.rssMiB)),
    batches: runs[i][0].batches,
    requests: runs[i][0].requests,
  }));
  const lines = [
    '## Delivery barriers: per batch against per partition',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, Kafka ${broker.version} on loopback, acks=all, 6 partitions, ${events.toLocaleString('en-US')} events; medians of ${rounds} interleaved rounds. "delivery" is records ÷ the sink's delivery phase (first batch to last acknowledgement); the ratio is against the batch barrier with the same batch size. Reproduce: \`node bench/barriers.mjs\` after \`npm run build\`.`,
    '',
    '| barrier | batches | requests | delivery records/s | × batch barrier | wall s | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r, i) =>
        `| ${r.name} | ${r.batches} | ${r.requests} | ${Math.round(r.delivery).toLocaleString('en-US')} | ${(r.delivery / rows[i - (i % 2)].delivery).toFixed(2)} | ${r.wall.toFixed(1)} | ${r.rssMiB.toFixed(0)} |`,
    ),
  ];
  writeResultsSection('barriers', lines.join('\n'));
  console.log(lines.join('\n'));
} finally {
  await broker.stop();
}
