import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEvents } from '../../src/fixtures/generate-events.js';
import { DeadLetterCollector } from '../../src/dead-letter/dead-letter.js';
import { createKafkaClient } from '../../src/kafka/client.js';
import { javaPartitioner } from '../../src/kafka/java-partitioner.js';
import { openOutput } from '../../src/kafka/open-output.js';
import { startKafkaBroker } from '../../src/kafka-local/broker.js';
import { resolveKafkaClasspath } from '../../src/kafka-local/classpath.js';
import { javaExecutable } from '../../src/kafka-local/prerequisites.js';
import { createLogger } from '../../src/logger.js';
import { startFilePipeline } from '../../src/run-pipeline.js';
import { KafkaSink } from '../../src/sinks/kafka-sink.js';
import { eventInstant } from '../../src/stages/validate/event-time.js';
import { toVisitEvent } from '../../src/stages/validate/validate-row.js';
import { DIST, runCli, runSummary } from '../helpers/cli.js';
import { brokers, brokerStartedHere, createTopic, testKafka, topicRecordCount, waitForRecords } from '../helpers/kafka.js';
import type { ClientName } from '../../src/kafka/port.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kafka-sink-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasKcat = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;

function writeEvents(name: string, events: number, seed: number): { file: string; rows: string[]; valid: string[] } {
  const rows = [...generateEvents({ events, seed, timeOffsets: 'mixed', unprocessable: 0.01, missingFields: 0.01 })].map((r) => r.text);
  const file = path.join(dir, name);
  writeFileSync(file, rows.join('\n') + '\n');
  const valid = rows.filter((text, seq) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return false;
    }
    return typeof toVisitEvent({ text, value, position: { source: name, offset: 0 } }, seq) !== 'string';
  });
  return { file, rows, valid };
}

/** Both adapters behind the client port: the default, and the design card's kafkajs. */
const CLIENTS = ['platformatic', 'kafkajs'] as const satisfies readonly ClientName[];

describe.skipIf(!brokers).each(CLIENTS)('Kafka sink on a real broker, --client %s', (client) => {
  it('200k events with bad rows into 6 partitions: verify and kcat see every valid event once, in order, in valid batches', async () => {
    const topic = `ordered-${randomUUID()}`;
    const { file, rows, valid } = writeEvents('sink-200k.ndjson', 200_000, 21);
    const deadLetter = path.join(dir, 'sink-200k.dead.ndjson');
    const run = await runCli('pipe.js', [
      file,
      '--client',
      client,
      '--brokers',
      brokers,
      '--topic',
      topic,
      '--create-topic',
      '--partitions',
      '6',
      '--dead-letter',
      deadLetter,
      '--max-batch-records',
      '5000',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const summary = runSummary(run.stderr);
    expect(summary).toMatchObject({ read: 200_000, delivered: valid.length, deadLettered: rows.length - valid.length, topic });
    expect(readFileSync(deadLetter, 'utf8').trimEnd().split('\n')).toHaveLength(rows.length - valid.length);

    const verify = await runCli('verify.js', ['--client', client, '--brokers', brokers, '--topic', topic, '--expect', file, '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const report = JSON.parse(verify.stdout);
    expect(report).toMatchObject({ ok: true, records: valid.length, duplicates: 0, missing: 0, unexpected: 0, violations: 0, batches: summary.batches });
    expect(Object.keys(report.perPartition)).toHaveLength(6);

    if (!hasKcat) {
      expect(process.env.CI, 'kcat is required under CI').not.toBe('true');
      return;
    }
    const consumed = spawnSync('kcat', ['-b', brokers, '-C', '-t', topic, '-e', '-q', '-J'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    expect(consumed.status, consumed.stderr).toBe(0);
    const records = consumed.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { partition: number; offset: number; key: string; payload: string; headers: string[] });
    expect(records.map((r) => r.payload).sort()).toEqual([...valid].sort());
    const byPartition = new Map<number, typeof records>();
    for (const r of records) {
      const partition = byPartition.get(r.partition);
      if (partition) partition.push(r);
      else byPartition.set(r.partition, [r]);
    }
    const visits = new Map<string, { partition: number; batch: number; time: number }>();
    for (const partition of byPartition.values()) {
      for (const r of partition.sort((a, b) => a.offset - b.offset)) {
        expect(r.headers[0]).toBe('delivery_batch');
        const batch = Number(r.headers[1]);
        const time = eventInstant(JSON.parse(r.payload).event_time) as number;
        expect(r.key).toBe(JSON.parse(r.payload).visit_id);
        const last = visits.get(r.key);
        if (last) {
          expect(r.partition).toBe(last.partition);
          expect(batch).toBeGreaterThan(last.batch);
          expect(time).toBeGreaterThanOrEqual(last.time);
        }
        visits.set(r.key, { partition: r.partition, batch, time });
      }
    }
  });

  it('a topic that takes smaller record batches than the default (max.message.bytes 100000): every event delivered, in record batches under it', async () => {
    const topic = await createTopic(testKafka(), 6, 'small-batches', { 'max.message.bytes': '100000' });
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const { file, rows, valid } = writeEvents('small-batches.ndjson', 30_000, 5);
      // Two sort workers: the default client then gets its record batches encoded by the merge's thread.
      const run = await runCli('pipe.js', [
        file,
        '--client',
        client,
        '--workers',
        '2',
        '--brokers',
        brokers,
        '--topic',
        topic,
        '--dead-letter',
        path.join(dir, 'small-batches.dead.ndjson'),
      ]);
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      expect(runSummary(run.stderr)).toMatchObject({ read: rows.length, delivered: valid.length });
      expect(await topicRecordCount(admin, topic)).toBe(valid.length);
    } finally {
      await admin.disconnect();
    }
  });

  it('a compacted output topic: one warning that the log cleaner would keep one event per visit, and every event delivered', async () => {
    const sample = fileURLToPath(new URL('../../fixtures/visits-sample.ndjson', import.meta.url));
    const events = readFileSync(sample, 'utf8').trimEnd().split('\n').length;
    const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.includes('"level":40') && line.includes('is compacted'));
    for (const [policy, warned] of [
      ['compact', true],
      ['compact,delete', true],
      ['delete', false],
    ] as const) {
      const topic = await createTopic(testKafka(), 3, 'compacted', { 'cleanup.policy': policy });
      const run = await runCli('pipe.js', [sample, '--client', client, '--brokers', brokers, '--topic', topic]);
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      expect(runSummary(run.stderr)).toMatchObject({ read: events, delivered: events });
      expect(warnings(run.stderr), policy).toHaveLength(warned ? 1 : 0);
      if (warned) expect(JSON.parse(warnings(run.stderr)[0]!)).toMatchObject({ topic, cleanupPolicy: policy });
    }
  });

  /** 100k events into a new topic in batches of 300, so that the test acts while delivery runs; resolves once 1,000 are in. */
  async function startDelivering(name: string, seed: number) {
    const topic = `${name}-${randomUUID()}`;
    const { file } = writeEvents(`${name}.ndjson`, 100_000, seed);
    const tempDir = mkdtempSync(path.join(dir, `${name}-tmp-`));
    const child = spawn(
      process.execPath,
      [
        DIST + 'pipe.js',
        file,
        ...['--client', client, '--brokers', brokers, '--topic', topic, '--create-topic', '--partitions', '6'],
        ...['--max-batch-records', '300', '--temp-dir', tempDir, '--dead-letter', path.join(dir, `${name}.dead.ndjson`)],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const admin = testKafka().admin();
    await admin.connect();
    await waitForRecords(admin, topic, 1000);
    return { topic, tempDir, child, admin, exited, stderr: () => stderr };
  }

  it('SIGTERM mid-delivery: settles the batch in flight, reports exactly what the topic holds, cleans up, exits 143', async () => {
    const { topic, tempDir, child, admin, exited, stderr } = await startDelivering('sigterm', 8);
    child.kill('SIGTERM');
    expect(await exited, stderr()).toBe(143);
    const interrupted = JSON.parse(
      stderr()
        .trim()
        .split('\n')
        .find((l) => l.includes('interrupted'))!,
    );
    expect(interrupted.summary.delivered).toBeGreaterThanOrEqual(1000);
    expect(interrupted.summary.delivered).toBeLessThan(90_000);
    expect(await topicRecordCount(admin, topic)).toBe(interrupted.summary.delivered);
    await admin.disconnect();
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('the topic deleted mid-delivery ends the run within seconds with one line naming it, not after the delivery timeout', async () => {
    const { topic, tempDir, admin, exited, stderr } = await startDelivering('deleted', 9);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
    const deletedAt = Date.now();
    expect(await exited, stderr()).toBe(1);
    // It used to retry for the 2 min delivery timeout (kafkajs), or 81 s of client retries.
    expect(Date.now() - deletedAt).toBeLessThan(45_000);
    const lines = stderr()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: unknown });
    const failed = lines.at(-1)!;
    expect(failed.msg).toMatch(new RegExp(`^run failed: delivery batch \\d+ failed \\(not retriable\\): topic "${topic}" no longer exists on the brokers`));
    expect(failed.err).toBeUndefined();
    // The one error line is that one (kafkajs logged 18 of its own before it, at error level).
    expect(
      lines
        .slice(0, -1)
        .filter((line) => line.level >= 50)
        .map((line) => line.msg),
    ).toEqual([]);
    expect(readdirSync(tempDir)).toEqual([]);
  });
});

describe.skipIf(!brokers)('Kafka sink: connection and record errors', () => {
  it('fails clearly within a bounded time when the broker cannot be reached', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const started = Date.now();
    const run = await runCli('pipe.js', [path.join(dir, 'sink-200k.ndjson'), '--brokers', `127.0.0.1:${port}`, '--topic', 'x', '--connect-timeout', '5']);
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.stderr).toMatch(/cannot (reach|use) Kafka at 127\.0\.0\.1:\d+/);
    expect(run.stdout).toBe('');
  });

  it.each(CLIENTS)('--client %s: a broker that accepts connections and never answers ends the run with exit 1 within --connect-timeout', async (client) => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const started = Date.now();
      const run = await runCli('pipe.js', [
        path.join(DIST, '..', 'fixtures', 'visits-sample.ndjson'),
        '--client',
        client,
        '--brokers',
        `127.0.0.1:${port}`,
        '--topic',
        'x',
        '--connect-timeout',
        '3',
      ]);
      expect(run.code, run.stderr).toBe(1);
      expect(Date.now() - started).toBeLessThan(13_000);
      expect(run.stderr).toMatch(/cannot reach Kafka at 127\.0\.0\.1:\d+ within 3 s/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('names a missing topic instead of creating it unasked', async () => {
    const run = await runCli('pipe.js', [path.join(dir, 'sink-200k.ndjson'), '--brokers', brokers, '--topic', `missing-${randomUUID()}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/topic \\"missing-[^\\]+\\" does not exist on .*; create it, or pass --create-topic --partitions N/);
  });

  it('verify and fixtures name a missing topic, or brokers they cannot use, in one line and exit 1', async () => {
    const refused = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    for (const [args, message] of [
      [['verify', '--brokers', brokers, '--topic', 'missing-verify'], /^topic "missing-verify" does not exist on /],
      [['verify', '--brokers', `127.0.0.1:${refused}`, '--topic', 'visits'], /^cannot (use|reach) Kafka at 127\.0\.0\.1:\d+/],
      [['fixtures', '--events', '10', '--brokers', brokers, '--topic', 'missing-fixtures'], /^topic "missing-fixtures" does not exist on .*; create it/],
      [['fixtures', '--events', '10', '--brokers', `127.0.0.1:${refused}`, '--topic', 'visits'], /^cannot (use|reach) Kafka at 127\.0\.0\.1:\d+/],
    ] as const) {
      const run = await runCli('pipe.js', [...args]);
      expect(run.code, run.stderr).toBe(1);
      expect((JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { msg: string }).msg).toMatch(message);
      expect(run.stderr).not.toMatch(/"stack"|\n\s+at /);
      expect(run.stdout).toBe('');
    }
  });

  it.each(CLIENTS)(
    '--client %s: a record larger than the broker accepts fails at once, named, not after retries; delivered counts only what was acknowledged',
    async (client) => {
      const topic = `too-large-${randomUUID()}`;
      const file = path.join(dir, 'too-large.ndjson');
      const small = Array.from({ length: 40 }, (_, i) => JSON.stringify({ visit_id: `v${i}`, event_time: '2024-01-01T00:00:00Z', page: 'home' }));
      const huge = JSON.stringify({ visit_id: 'huge', event_time: '2024-01-01T00:00:01Z', blob: 'x'.repeat(1_500_000) });
      writeFileSync(file, [...small, huge].join('\n') + '\n');
      const started = Date.now();
      const run = await runCli('pipe.js', [
        file,
        '--client',
        client,
        '--brokers',
        brokers,
        '--topic',
        topic,
        '--create-topic',
        '--partitions',
        '1',
        '--max-row-bytes',
        '4MiB',
        '--max-batch-records',
        '10',
        '--dead-letter',
        path.join(dir, 'too-large.dead.ndjson'),
      ]);
      expect(run.code, run.stderr).toBe(1);
      expect(Date.now() - started).toBeLessThan(20_000);
      const failed = JSON.parse(
        run.stderr
          .trim()
          .split('\n')
          .find((l) => l.includes('"run failed'))!,
      );
      expect(failed.msg).toMatch(/not retriable/);
      expect(failed.msg).toMatch(/MESSAGE_TOO_LARGE/);
      // The broker refused the data, so the one line says why, without a stack.
      expect(failed.err).toBeUndefined();
      expect(run.stderr).not.toMatch(/re-sending/);
      const admin = testKafka().admin();
      await admin.connect();
      expect(failed.summary.delivered).toBe(await topicRecordCount(admin, topic));
      await admin.disconnect();
    },
  );
});

// Needs the local broker's short quota windows; an external broker may average over 11 s.
describe.skipIf(!brokers)('Kafka sink: a send refused on one partition', () => {
  it.each([
    // Its partition's small records take the first call, so it goes alone in a second: the run
    // used to fail at once, and the caller closed the client under the first call.
    ['alone in a call of its own', (partition: number) => partition !== -1, 2],
    // No small record shares its partition: it goes in one call with the others, which the broker writes.
    ['in one call with the other partitions', (partition: number, hugePartition: number) => partition !== hugePartition, 1],
  ] as const)('a record too large, %s: delivered counts what the broker wrote, as the topic holds it', async (_case, keep, calls) => {
    const topic = `partly-refused-${randomUUID()}`;
    const file = path.join(dir, 'partly-refused.ndjson');
    const partitionOf = javaPartitioner(6);
    const hugePartition = partitionOf('huge');
    const small = Array.from({ length: 120 }, (_, i) => `v${i}`)
      .filter((visit) => keep(partitionOf(visit), hugePartition))
      .map((visit) => JSON.stringify({ visit_id: visit, event_time: '2024-01-01T00:00:00Z', page: 'home' }));
    const huge = JSON.stringify({ visit_id: 'huge', event_time: '2024-01-01T00:00:01Z', blob: 'x'.repeat(1_500_000) });
    writeFileSync(file, [...small, huge].join('\n') + '\n');
    const run = await runCli('pipe.js', [
      ...[file, '--brokers', brokers, '--topic', topic, '--create-topic', '--partitions', '6'],
      ...['--max-row-bytes', '4MiB', '--dead-letter', path.join(dir, 'partly-refused.dead.ndjson')],
    ]);
    expect(run.code, run.stderr).toBe(1);
    const failed = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { msg: string; summary: { delivered: number; requests: number } };
    expect(failed.msg).toMatch(/^run failed: .*MESSAGE_TOO_LARGE/);
    expect(failed.summary.requests).toBe(calls);
    const admin = testKafka().admin();
    await admin.connect();
    const held = await topicRecordCount(admin, topic);
    await admin.disconnect();
    expect(held).toBe(small.length);
    expect(failed.summary.delivered).toBe(held);
  });
});

describe.skipIf(!brokers || !brokerStartedHere)('Kafka sink behind a slow broker', () => {
  it.each(CLIENTS.flatMap((client) => (['batch', 'partition'] as const).map((barrier) => [client, barrier] as const)))(
    '--client %s holds memory flat with the %s barrier: the binner stays a few batches ahead of acknowledged delivery',
    async (client, barrier) => {
      // A real slow broker: a client quota of 1 MiB/s makes it delay its produce responses.
      const clientId = `bin-packer-slow-${randomUUID().slice(0, 8)}`;
      const classpath = await resolveKafkaClasspath();
      const quota = spawnSync(
        javaExecutable(),
        [
          '-XX:-UsePerfData',
          '-cp',
          classpath,
          'kafka.admin.ConfigCommand',
          '--bootstrap-server',
          brokers,
          '--alter',
          '--add-config',
          'producer_byte_rate=1048576',
          '--entity-type',
          'clients',
          '--entity-name',
          clientId,
        ],
        { encoding: 'utf8' },
      );
      expect(quota.status, quota.stderr).toBe(0);

      const topic = `slow-${randomUUID()}`;
      const { file, valid } = writeEvents('slow.ndjson', 20_000, 3);
      const kafka = await createKafkaClient({ brokers, clientId }, createLogger({ level: 'silent' }), client);
      const { producer, partitions } = await openOutput(kafka, {
        topic,
        brokers,
        createPartitions: 6,
        producer: { acks: -1, idempotent: true, compression: 'none' },
      });
      try {
        const sink = new KafkaSink({ producer, topic, barrier, partitions });
        const started = Date.now();
        const { progress, done } = startFilePipeline({ inputs: [file], sink, deadLetters: new DeadLetterCollector(), bin: { maxBatchRecords: 500 } });
        let maxAhead = 0;
        const sampler = setInterval(() => (maxAhead = Math.max(maxAhead, progress.bin.events - progress.sink.delivered)), 20);
        const summary = await done.finally(() => clearInterval(sampler));
        expect(summary.delivered).toBe(valid.length);
        // ~9 MB at 1 MiB/s: the broker really was slow...
        expect(Date.now() - started).toBeGreaterThan(4000);
        // ...and the pipeline waited for it instead of buffering the input (open batches, one
        // queued, and one batch in flight, or up to four with the partition barrier).
        expect(maxAhead).toBeGreaterThan(0);
        expect(maxAhead).toBeLessThan(6000);
      } finally {
        await producer.close();
        await kafka.close();
      }
    },
  );
});

describe.skipIf(!brokers)('Kafka sink across a broker restart', () => {
  for (const [client, { idempotent, barrier }] of CLIENTS.flatMap((client) =>
    [
      { idempotent: false, barrier: 'batch' },
      { idempotent: true, barrier: 'partition' },
    ].map((setting) => [client, setting] as const),
  )) {
    it(`--client ${client}, ${barrier} barrier: completes with nothing lost and order intact${idempotent ? ', and no duplicates (idempotent, the default)' : '; with --no-idempotent, duplicates only as counted re-sends'}`, async () => {
      const broker = await startKafkaBroker();
      try {
        const topic = `restart-${randomUUID()}`;
        const { file, valid } = writeEvents('restart.ndjson', 100_000, 5);
        // Small batches: more barriers, so delivery lasts long enough to restart the broker in the middle of it.
        const args = [
          file,
          '--brokers',
          broker.brokers,
          '--topic',
          topic,
          '--create-topic',
          '--partitions',
          '6',
          '--max-batch-records',
          '300',
          '--dead-letter',
          path.join(dir, 'restart.dead.ndjson'),
        ];
        const child = spawn(
          process.execPath,
          [DIST + 'pipe.js', ...args, '--client', client, '--barrier', barrier, ...(idempotent ? [] : ['--no-idempotent'])],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c));
        const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

        // Restart once the first batches are in, while most are still to come.
        const admin = new Kafka({ clientId: 'restart-probe', brokers: [broker.brokers], logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        const before = await waitForRecords(admin, topic, 1000);
        await admin.disconnect();
        expect(before).toBeGreaterThanOrEqual(1000);
        expect(before).toBeLessThan(valid.length / 2);
        expect(child.exitCode).toBeNull();
        await broker.restart({ downMs: 2000 });
        expect(child.exitCode).toBeNull();

        expect(await exited, stderr).toBe(0);
        const summary = runSummary(stderr);
        expect(summary.delivered).toBe(valid.length);
        const verify = await runCli('verify.js', ['--brokers', broker.brokers, '--topic', topic, '--expect', file, '--json']);
        const report = JSON.parse(verify.stdout);
        expect(report).toMatchObject({ missing: 0, unexpected: 0, violations: 0 });
        expect(report.records).toBe(valid.length + report.duplicates);
        if (idempotent) expect(report.duplicates).toBe(0);
        else expect(report.duplicates).toBeLessThanOrEqual(summary.resent);
      } finally {
        await broker.stop();
      }
    });
  }
});

describe.skipIf(!brokers)('Kafka sink through a broker stall longer than the request timeout (SIGSTOP, then SIGCONT)', () => {
  it('idempotent by default: zero duplicates and exit 0; with --no-idempotent, duplicates only as counted in resent', async () => {
    const broker = await startKafkaBroker();
    try {
      const { file, valid } = writeEvents('stall.ndjson', 100_000, 13);
      for (const idempotent of [true, false]) {
        const topic = `stall-${randomUUID()}`;
        // Small batches keep delivery going long enough to stall it midway.
        const args = [
          file,
          '--brokers',
          broker.brokers,
          '--topic',
          topic,
          '--create-topic',
          '--partitions',
          '6',
          '--max-batch-records',
          '100',
          '--request-timeout',
          '2',
          '--dead-letter',
          path.join(dir, 'stall.dead.ndjson'),
        ];
        const child = spawn(process.execPath, [DIST + 'pipe.js', ...args, ...(idempotent ? [] : ['--no-idempotent'])], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c));
        const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
        const admin = new Kafka({ clientId: 'stall-probe', brokers: [broker.brokers], logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        expect(await waitForRecords(admin, topic, 2000)).toBeLessThan(valid.length / 2);
        await admin.disconnect();
        process.kill(broker.pid, 'SIGSTOP');
        await new Promise((resolve) => setTimeout(resolve, 5000));
        process.kill(broker.pid, 'SIGCONT');
        expect(await exited, stderr).toBe(0);
        const summary = runSummary(stderr);
        expect(summary.delivered).toBe(valid.length);
        const verify = await runCli('verify.js', ['--brokers', broker.brokers, '--topic', topic, '--expect', file, '--json']);
        const report = JSON.parse(verify.stdout);
        expect(report, verify.stderr).toMatchObject({ missing: 0, unexpected: 0, violations: 0 });
        expect(report.records).toBe(valid.length + report.duplicates);
        if (idempotent) {
          expect(report.duplicates).toBe(0);
        } else {
          // The stall really made the client give up on a request and re-send it...
          expect(summary.resent).toBeGreaterThan(0);
          // ...and every duplicate is one the summary counted.
          expect(report.duplicates).toBeLessThanOrEqual(summary.resent);
        }
      }
    } finally {
      await broker.stop();
    }
  });
});

// Kafka 4 dropped old protocol versions; the default client is checked against it too.
const KAFKA4_VERSION = process.env.KAFKA4_VERSION ?? '4.1.1';
describe.skipIf(!brokers || !brokerStartedHere)(`Kafka sink on a Kafka ${KAFKA4_VERSION} broker`, () => {
  it('round trip: verify and kcat see every valid event once, in order', async () => {
    const broker = await startKafkaBroker({ version: KAFKA4_VERSION });
    try {
      expect(broker.version).toBe(KAFKA4_VERSION);
      const topic = `kafka4-${randomUUID()}`;
      const { file, valid } = writeEvents('kafka4.ndjson', 50_000, 4);
      const run = await runCli('pipe.js', [
        file,
        '--brokers',
        broker.brokers,
        '--topic',
        topic,
        '--create-topic',
        '--partitions',
        '6',
        '--compression',
        'zstd',
        // Sorted on workers, so that the records arrive encoded from the merge's thread and are compressed when sealed.
        '--workers',
        '2',
        '--dead-letter',
        path.join(dir, 'kafka4.dead.ndjson'),
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(runSummary(run.stderr).delivered).toBe(valid.length);
      const verify = await runCli('verify.js', ['--brokers', broker.brokers, '--topic', topic, '--expect', file, '--json']);
      expect(JSON.parse(verify.stdout), verify.stderr).toMatchObject({ ok: true, records: valid.length, duplicates: 0, missing: 0, violations: 0 });
      if (!hasKcat) return;
      const consumed = spawnSync('kcat', ['-b', broker.brokers, '-C', '-t', topic, '-e', '-q', '-f', '%s\n'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      expect(consumed.status, consumed.stderr).toBe(0);
      expect(consumed.stdout.trimEnd().split('\n').sort()).toEqual([...valid].sort());
    } finally {
      await broker.stop();
    }
  });
});

describe.skipIf(!brokers)('Kafka sink: stderr is logs only', () => {
  it("with --client kafkajs on Node 24, every stderr line is JSON: kafkajs's TimeoutNegativeWarning goes through the logger", async () => {
    const args = [
      path.join(DIST, '..', 'fixtures', 'visits-sample.ndjson'),
      '--client',
      'kafkajs',
      '--brokers',
      brokers,
      '--topic',
      `warn-${randomUUID()}`,
      '--create-topic',
    ];
    const run = await runCli('pipe.js', args, { env: { LOG_LEVEL: 'debug' } });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
    // Logged, at debug level, when kafkajs sets its negative timer (tulios/kafkajs#1751).
    for (const line of lines.filter((l) => l.includes('TimeoutNegativeWarning'))) expect(JSON.parse(line).level).toBe(20);
  });
});
