// npm run bench (third part): streaming mode end to end, at-least-once and exactly-once, one
// instance and two in one group, beside file mode and the floor (streaming-floor.mjs: the same
// consume → produce loop with no ordering work) on the same events, all into Kafka (acks=all, 6 partitions) on a broker
// started here. The events are produced to the input topic first; a streaming run is timed
// from its start until its micro-batches have committed every valid event. The contenders run
// one after another in each round (backwards in even rounds), into fresh topics and groups;
// the table holds medians.
//   BENCH_STREAMING_EVENTS=500000 BENCH_STREAMING_ROUNDS=3 npm run bench
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaClient } from '../dist/kafka/client.js';
import { createLogger } from '../dist/logger.js';
import {
  cpuSecondsOf,
  generate,
  measure,
  measureToKafka,
  median,
  out,
  requireKafkaBench,
  root,
  startBenchBroker,
  summaryOf,
  TIME_FORMAT,
  timeReport,
} from './measure.mjs';
import { writeResultsSection } from './results-file.mjs';

const events = Number(process.env.BENCH_STREAMING_EVENTS ?? 500_000);
const triggerEvents = Number(process.env.BENCH_TRIGGER_EVENTS ?? 100_000);
const rounds = Math.max(1, Number(process.env.BENCH_STREAMING_ROUNDS ?? 3));
requireKafkaBench('streaming benchmark');
const input = generate(events);

const broker = await startBenchBroker();
const kafka = new Kafka({ clientId: 'bench', brokers: [broker.brokers], logLevel: logLevel.ERROR });
const admin = kafka.admin();
try {
  await admin.connect();
  const streamingRuns = [
    ['at-least-once', 1],
    ['exactly-once', 1],
    ['at-least-once', 2],
    ['exactly-once', 2],
  ];
  const topicOf = (name, round) => `${name}-r${round}`;
  const names = ['file-mode', 'floor', ...streamingRuns.map(([guarantee, instances]) => `streaming-${guarantee}-${instances}`)];
  const topics = ['visits', ...Array.from({ length: rounds }, (_, round) => names.map((name) => topicOf(name, round + 1))).flat()];
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 6 })), waitForLeaders: true });
  measure('produce the events to visits', process.execPath, [
    'dist/cli/fixtures.js',
    '--events',
    String(events),
    '--seed',
    '1',
    '--brokers',
    broker.brokers,
    '--topic',
    'visits',
  ]);
  const produced = await topicCount('visits');
  if (produced !== events) throw new Error(`visits holds ${produced} records, expected ${events}`);
  // Untimed, so that the first streaming instance does not meet a cold broker: the producer has
  // warmed up its produce path, not its fetch path (reading the topic took 2.0 s the first time
  // and 0.6–0.9 s after, and round 1's streaming runs were the slowest of three).
  const client = await createKafkaClient({ brokers: broker.brokers }, createLogger({ level: 'warn' }));
  try {
    for (let pass = 0; pass < 2; pass++) {
      const started = performance.now();
      let read = 0;
      await client.readTopicToEnd('visits', () => read++);
      console.error(`warm the broker's fetch path up (untimed): ${read} records in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    }
    // A broker in service has its internal topics: on this fresh one the first group join and the
    // first transaction create __consumer_offsets and __transaction_state (50 partitions each),
    // which made round 1's exactly-once run 2-3 s slower than the others.
    const started = performance.now();
    const group = client.groupConsumer({
      groupId: 'bench-warm-up',
      topic: 'visits',
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 2_000,
      rebalanceTimeoutMs: 10_000,
    });
    await group.join();
    await group.close();
    await client.createTopic('warm-up', 1);
    const producer = await client.transactionalProducer({ transactionalId: 'bench-warm-up', transactionTimeoutMs: 60_000, compression: 'none' });
    try {
      const transaction = await producer.begin();
      await transaction.send('warm-up', [{ partition: 0, key: null, value: Buffer.from('warm-up'), headers: [] }]);
      await transaction.commit();
    } finally {
      await producer.close();
    }
    console.error(`warm the broker's group and transaction coordinators up (untimed): ${((performance.now() - started) / 1000).toFixed(2)} s`);
  } finally {
    await client.close();
  }

  /** Every valid event, as the first file run counted them (round 1 runs it first): what a streaming run waits to see delivered. */
  let valid;
  const contenders = [
    (round) =>
      fileRun(topicOf('file-mode', round)).then((run) => {
        valid = run.delivered;
        return run.result;
      }),
    (round) => floorRun(topicOf('floor', round), events),
    ...streamingRuns.map(
      ([guarantee, instances]) =>
        (round) =>
          streamingRun(instances, topicOf(`streaming-${guarantee}-${instances}`, round), valid, guarantee),
    ),
  ];

  /** Per contender, its runs in round order. */
  const runsOf = new Map();
  const record = (run) => runsOf.set(run.name, [...(runsOf.get(run.name) ?? []), run]);
  for (let round = 1; round <= rounds; round++) {
    console.error(`round ${round} of ${rounds}`);
    // Rounds alternate the contenders' order (ABA), so that none always runs on the broker with
    // the least written: a partition's first appends wait longer the more the broker has written.
    const order = round % 2 === 1 ? contenders : [...contenders].reverse();
    for (const contender of order) record(await contender(round));
  }
  const fileWalls = runsOf
    .values()
    .next()
    .value.map((run) => run.wall);
  const results = [...runsOf.values()].map((runs) => {
    const wall = median(runs.map((run) => run.wall));
    return {
      ...runs[0],
      wall,
      perSecond: events / wall,
      steady: runs[0].steady === undefined ? undefined : median(runs.map((run) => run.steady)),
      cpu: median(runs.map((run) => run.cpu)),
      brokerCpu: median(runs.map((run) => run.brokerCpu)),
      rssMiB: runs[0].rssMiB.map((_, i) => Math.max(...runs.map((run) => run.rssMiB[i]))),
      microBatches: [...new Set(runs.map((run) => run.microBatches))].join('/'),
      /** Each round's ratio to that round's file mode. */
      ratios: runs.map((run, round) => fileWalls[round] / run.wall),
    };
  });

  const base = results[0].perSecond;
  const lines = [
    '## Streaming mode beside file mode',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, Kafka ${broker.version} on loopback, acks=all, 6 partitions. ${events.toLocaleString('en-US')} generated events (${valid.toLocaleString('en-US')} valid), produced to \`visits\` first. Streaming runs use \`--trigger-events ${triggerEvents}\` and are timed from process start until their committed micro-batches have delivered every valid event (consumer start and group join included; exactly-once counts only committed transactions); "steady" is records read ÷ the time from the first micro-batch's opening to the last one's commit. The broker's fetch path was warmed up first by reading \`visits\` twice, and its group and transaction coordinators by one group join and one transaction, untimed. Each contender ran once per round, ${rounds} rounds, one after another, in the order of the table and backwards in even rounds (a partition's first appends wait longer the more the broker has written), each into a fresh topic and group: wall times are medians, "× file mode" is the median file run against the contender's median, "per round" each round's ratio to that round's file run, peak RSS the highest. Reproduce: \`npm run bench\` (or \`node bench/streaming-vs-file.mjs\` after \`npm run build\`).`,
    '',
    '| run | instances | wall s | events/s end to end | × file mode | per round | events/s steady | micro-batches | CPU s: bin-packer + broker | peak RSS MiB per instance |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.instances} | ${r.wall.toFixed(1)} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${(r.perSecond / base).toFixed(2)} | ${r.ratios.map((ratio) => ratio.toFixed(2)).join(', ')} | ${r.steady ? Math.round(r.steady).toLocaleString('en-US') : ''} | ${r.microBatches} | ${Number.isFinite(r.cpu + r.brokerCpu) ? `${r.cpu.toFixed(1)} + ${r.brokerCpu.toFixed(1)}` : ''} | ${r.rssMiB.map((m) => m.toFixed(0)).join(', ')} |`,
    ),
    '',
    ...floorLines(results),
    '',
    'On this 2-core machine the broker, the producer side and each instance share two cores, so a second instance cannot add CPU; on separate machines each instance brings its own.',
    '',
    "CPU: seconds used by bin-packer's processes (all threads; a streaming instance up to the moment its last event was committed) and by the broker over the same time, medians, read from /proc (blank where there is none). With both cores busy, the ratio of CPU seconds bounds how close streaming can come to file mode.",
  ];
  writeResultsSection('streaming', lines.join('\n'));
  console.log(lines.join('\n'));
} finally {
  await admin.disconnect().catch(() => undefined);
  await broker.stop();
}

/** One file-mode run into `topic`: its wall time and CPU, and the valid events it delivered. */
async function fileRun(topic) {
  const brokerBefore = cpuSecondsOf(broker.pid);
  const file = measureToKafka('file mode', input, broker.brokers, topic);
  return {
    delivered: summaryOf(file).delivered,
    result: {
      name: 'file mode (pipe.js FILE --topic)',
      instances: 1,
      wall: file.wall,
      steady: undefined,
      rssMiB: [file.rssMiB],
      microBatches: '',
      cpu: file.cpu,
      brokerCpu: cpuSecondsOf(broker.pid) - brokerBefore,
    },
  };
}

/**
 * The floor (streaming-floor.mjs): the same client consuming `visits` in micro-batches of the
 * same size and producing them through the same sink, with no ordering work; timed as a
 * streaming run, until its commits have delivered `records`.
 */
async function floorRun(topic, records) {
  const brokerBefore = cpuSecondsOf(broker.pid);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      'bench/streaming-floor.mjs',
      '--brokers',
      broker.brokers,
      '--input-topic',
      'visits',
      '--topic',
      topic,
      '--group',
      `bench-${topic}`,
      '--trigger-events',
      String(triggerEvents),
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise((resolve) => child.on('close', resolve));
  const committed = () =>
    stderr
      .split('\n')
      .filter((l) => l.includes('"floorMicroBatch"'))
      .map((l) => JSON.parse(l).floorMicroBatch);
  while (committed().reduce((n, b) => n + b.delivered, 0) < records) {
    if (child.exitCode !== null) throw new Error(`the floor exited early: ${stderr.slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const wall = (performance.now() - started) / 1000;
  const brokerCpu = cpuSecondsOf(broker.pid) - brokerBefore;
  const cpu = cpuSecondsOf(child.pid);
  const peakKiB = Number(/VmHWM:\s*(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
  child.kill('SIGTERM');
  if ((await exited) !== 0) throw new Error(`the floor exited with an error: ${stderr.slice(-1500)}`);
  console.error(`floor: ${wall.toFixed(2)} s, ${committed().length} micro-batches`);
  return {
    name: 'floor: the same consume → produce loop, no ordering work (streaming-floor.mjs)',
    instances: 1,
    wall,
    steady: undefined,
    rssMiB: [peakKiB / 1024],
    microBatches: committed().length,
    cpu,
    brokerCpu,
  };
}

/** How bin-packer's one-instance runs compare with the floor, per round and in medians. */
function floorLines(results) {
  const floor = results.find((r) => r.name.startsWith('floor'));
  const ones = results.filter((r) => r.name.startsWith('streaming') && r.instances === 1);
  return [
    `The floor is the same client consuming \`visits\` in micro-batches of ${triggerEvents.toLocaleString('en-US')} records and producing each through the same sink (acks=all, idempotent, delivery batches of 2,000 records) before committing its offsets, with no parse, validation, sort or late-event state: what streaming costs on this machine before any ordering work. ${ones
      .map(
        (r) =>
          `${r.name}: ${(floor.wall / r.wall).toFixed(2)}× the floor (rounds ${r.ratios.map((ratio, i) => (ratio / floor.ratios[i]).toFixed(2)).join(', ')})`,
      )
      .join('; ')}.`,
  ];
}

async function topicCount(topic) {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}

/** Starts `instances` streaming processes under GNU time, waits for `valid` records in `topic`, stops them. */
async function streamingRun(instances, topic, valid, guarantee) {
  const group = `bench-${topic}`;
  const brokerBefore = cpuSecondsOf(broker.pid);
  const started = performance.now();
  const runs = Array.from({ length: instances }, (_, i) => {
    const report = path.join(out, `time-${topic}-${i}.txt`);
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        TIME_FORMAT,
        '-o',
        report,
        process.execPath,
        'dist/pipe.js',
        '--source',
        'kafka',
        '--brokers',
        broker.brokers,
        '--input-topic',
        'visits',
        '--group',
        group,
        '--topic',
        topic,
        '--trigger-events',
        String(triggerEvents),
        '--trigger-interval',
        '5',
        '--dead-letter',
        path.join(out, `dead-${topic}.ndjson`),
        '--guarantee',
        guarantee,
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise((resolve) => child.on('close', resolve));
    return { child, report, exited, stderr: () => stderr };
  });
  const delivered = () => runs.reduce((n, run) => n + microBatchesOf(run.stderr()).reduce((m, b) => m + b.microBatch.delivered, 0), 0);
  while (delivered() < valid) {
    const failed = runs.find((run) => run.child.exitCode !== null);
    if (failed) throw new Error(`a streaming instance exited early: ${failed.stderr().slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const wall = (performance.now() - started) / 1000;
  const brokerCpu = cpuSecondsOf(broker.pid) - brokerBefore;
  let cpu = 0;
  for (const run of runs) {
    // GNU time's child is the launcher, whose child is the pipeline process; the launcher passes SIGTERM on.
    const launcher = childOf(run.child.pid);
    cpu += cpuSecondsOf(launcher) + cpuSecondsOf(childOf(launcher));
    process.kill(launcher, 'SIGTERM');
  }
  const codes = await Promise.all(runs.map((r) => r.exited));
  if (codes.some((c) => c !== 0)) throw new Error(`a streaming instance exited ${codes}: ${runs.map((r) => r.stderr().slice(-1500)).join('\n')}`);
  const batches = runs.flatMap((r) => microBatchesOf(r.stderr()));
  const read = batches.reduce((n, b) => n + b.microBatch.read, 0);
  const firstOpen = Math.min(...batches.map((b) => b.time - b.microBatch.seconds * 1000));
  const lastDone = Math.max(...batches.map((b) => b.time));
  const rssMiB = runs.map((r) => timeReport(r.report).rssMiB);
  console.error(`streaming, ${instances} instance(s): ${wall.toFixed(2)} s, ${batches.length} micro-batches, ${rssMiB.map((m) => m.toFixed(0)).join('/')} MiB`);
  return {
    name: `streaming ${guarantee}, ${instances === 1 ? 'one instance' : `${instances} instances, one group`}`,
    instances,
    wall,
    perSecond: events / wall,
    steady: read / ((lastDone - firstOpen) / 1000),
    rssMiB,
    microBatches: batches.length,
    cpu,
    brokerCpu,
  };
}

function childOf(pid) {
  return Number(
    spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')[0],
  );
}

/** The committed micro-batches' log lines of one instance. */
function microBatchesOf(stderr) {
  return stderr
    .split('\n')
    .filter((l) => l.includes('"microBatch"'))
    .map((l) => JSON.parse(l));
}
