import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/temp/stale-dirs.js';
import { OrderChecker, type VerifyReport } from '../../src/verify/order-checker.js';
import { metricsPort, runCli } from '../helpers/cli.js';
import { brokers, committedRecordCount, createTopic, readTopic, testKafka, topicRecordCount, waitForRecords } from '../helpers/kafka.js';
import { checkTopic, fixtureRows, isValid, killStarted, jobTopics, lastAssignment, produce, startInstance, until } from '../helpers/streaming.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'streaming-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(killStarted);
const kafka = brokers ? testKafka() : undefined;

describe.skipIf(!brokers)('streaming mode on a real broker', () => {
  it('SIGTERM delivers and commits the current micro-batch and exits 0; a restart resumes from the committed offsets', async () => {
    const admin = kafka!.admin();
    await admin.connect();
    const input = await createTopic(kafka!, 6, 'visits');
    const output = await createTopic(kafka!, 6, 'visits-ordered');
    const group = `group-${randomUUID()}`;
    const tempDir = mkdtempSync(path.join(dir, 'resume-tmp-'));
    const deadLetter = path.join(dir, 'resume.dead.ndjson');
    // Late arrivals across a restart would not be recognised (the late state is per process),
    // so this input has none; the late policy has its own test.
    const rows = fixtureRows({ events: 20_000, seed: 21, timeOffsets: 'mixed', unprocessable: 0.01, missingFields: 0.01, late: 0 });
    const args = [
      ...jobTopics(input, output, group),
      '--trigger-events',
      '3000',
      '--trigger-interval',
      '1',
      '--dead-letter',
      deadLetter,
      '--max-batch-records',
      '400',
    ];

    await produce(input, rows.slice(0, 12_000));
    const first = startInstance(args, tempDir);
    await until(() => first.read() >= 12_000, 'the first 12,000 records');
    const stopAsked = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited, first.stderr()).toBe(0);
    expect(Date.now() - stopAsked).toBeLessThan(15_000);
    const stopped = JSON.parse(first.stderr().trim().split('\n').at(-1)!) as {
      msg: string;
      summary: { read: number; delivered: number; deadLettered: number };
    };
    expect(stopped.msg).toMatch(/streaming stopped/);
    expect(stopped.summary.read).toBe(12_000);
    expect(stopped.summary.delivered + stopped.summary.deadLettered).toBe(12_000);
    expect(await committedRecordCount(output)).toBe(stopped.summary.delivered);

    // The rest arrives while no instance runs; a new one starts where the first committed.
    await produce(input, rows.slice(12_000));
    const second = startInstance(args, tempDir);
    await until(() => second.read() >= 8_000, 'the remaining 8,000 records');
    await new Promise((r) => setTimeout(r, 1500)); // anything read twice would show up by now
    second.child.kill('SIGTERM');
    expect(await second.exited, second.stderr()).toBe(0);
    expect(second.read()).toBe(8_000);

    // Visits span the restart: their delivery batches must keep increasing across it.
    const report = await checkTopic(output, rows);
    expect(report.examples).toEqual([]);
    expect(report).toMatchObject({ ok: true, missing: 0, unexpected: 0, duplicates: 0, violations: 0 });
    const verify = await runCli('verify.js', ['--brokers', brokers, '--topic', output, '--expect', writeRows('resume.ndjson', rows)]);
    expect(verify.code, verify.stdout).toBe(0);
    const bad = rows.filter((text) => !isValid(text));
    const letters = readFileSync(deadLetter, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { raw: string; position: { source: string; partition: number } });
    expect(letters.map((l) => l.raw).sort()).toEqual(bad.sort());
    expect(letters.every((l) => l.position.source === input && l.position.partition >= 0)).toBe(true);
    expect(readdirSync(tempDir)).toEqual([]);
    await admin.disconnect();
  });

  it('--metrics-port: a real run is scraped: counters match its summary, lag reaches 0, /healthz turns 503 after a SIGSTOP past its window', async () => {
    const input = await createTopic(kafka!, 2, 'visits-metrics');
    const output = await createTopic(kafka!, 2, 'visits-metrics-ordered');
    const instance = startInstance(
      [
        ...jobTopics(input, output, `group-${randomUUID()}`),
        '--trigger-events',
        '250',
        '--trigger-interval',
        '1s',
        '--session-timeout',
        '6s',
        '--metrics-port',
        '0',
        '--dead-letter',
        path.join(dir, 'metrics.dead.ndjson'),
      ],
      mkdtempSync(path.join(dir, 'metrics-tmp-')),
    );
    const port = await metricsPort(instance.stderr);
    const scrape = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return { text, value: (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]) };
    };
    const health = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
    await produce(input, fixtureRows({ events: 500, seed: 8, late: 0, unprocessable: 0.02 }));
    await until(() => instance.read() >= 500, 'the records');
    await until(async () => (await health()) === 200, 'a healthy probe');
    await until(
      async () =>
        /^bin_packer_consumer_lag\{partition="0"\} 0$/m.test((await scrape()).text) &&
        /^bin_packer_consumer_lag\{partition="1"\} 0$/m.test((await scrape()).text),
      'the lag at 0',
    );
    const { text, value } = await scrape();
    expect(value('bin_packer_events_read_total')).toBe(500);
    expect(value('bin_packer_micro_batch_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(value('bin_packer_delivery_batch_ack_seconds_count')).toBeGreaterThan(0);
    expect(value('bin_packer_batches_in_flight')).toBe(0);
    expect(value('bin_packer_last_commit_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).toContain('\nbin_packer_process_resident_memory_bytes');

    // Stopped past the session timeout, it has been dropped from its group: unhealthy on waking.
    const pipeline = Number(
      spawnSync('pgrep', ['-P', String(instance.child.pid)], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')[0],
    );
    process.kill(pipeline, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 8000));
    process.kill(pipeline, 'SIGCONT');
    expect(await health()).toBe(503);
    await until(async () => (await health()) === 200, 'healthy again once it has rejoined', 60_000);

    const counters = await scrape();
    instance.child.kill('SIGTERM');
    expect(await instance.exited, instance.stderr()).toBe(0);
    const { summary } = JSON.parse(instance.stderr().trim().split('\n').at(-1)!) as { summary: Record<string, number> };
    expect(summary.read).toBe(500);
    for (const [counter, field] of [
      ['read', 'read'],
      ['delivered', 'delivered'],
      ['dead_lettered', 'deadLettered'],
      ['deduplicated', 'deduplicated'],
      ['late', 'late'],
      ['handed_over', 'handedOver'],
    ] as const) {
      expect(counters.value(`bin_packer_events_${counter}_total`), counter).toBe(summary[field]);
    }
  });

  it('a missing input or dead-letter topic, or a late-state topic of other partitions, ends the run with one clear line and exit 1', async () => {
    const input = await createTopic(kafka!, 6, 'visits-mistakes');
    const output = await createTopic(kafka!, 6, 'visits-mistakes-ordered');
    const group = `group-${randomUUID()}`;
    const misfit = `${group}.late-state`;
    const admin = kafka!.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: misfit, numPartitions: 8 }], waitForLeaders: true });
    await admin.disconnect();
    const base = ['--source', 'kafka', '--brokers', brokers, '--dead-letter', path.join(dir, 'mistakes.dead.ndjson')];
    const cases: [string[], RegExp][] = [
      [jobTopics(`absent-${randomUUID()}`, output, `group-${randomUUID()}`), /^streaming failed: topic "absent-[^"]+" does not exist on /],
      [
        [...jobTopics(input, output, `group-${randomUUID()}`), '--dead-letter-topic', 'absent-letters'],
        /^streaming failed: topic "absent-letters" does not exist on .*; create it, or pass --create-topic --partitions N$/,
      ],
      [
        jobTopics(input, output, group),
        /^streaming failed: the late-state topic ".*" has 8 partitions and the input 6: it cannot have more .*; give another --late-state-topic$/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runCli('pipe.js', [...base, ...args]);
      expect(run.code, run.stderr).toBe(1);
      const last = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { msg: string; err?: unknown };
      expect(last.msg).toMatch(message);
      // The user's mistake, not the program's: no stack anywhere.
      expect(run.stderr).not.toMatch(/"stack"|\n\s+at /);
    }
  });

  it('a transaction timeout above what the brokers allow ends the run at its first transaction, in one line naming the option', async () => {
    const input = await createTopic(kafka!, 2, 'visits-txn-timeout');
    const output = await createTopic(kafka!, 2, 'visits-txn-timeout-ordered');
    await produce(input, fixtureRows({ events: 50, seed: 14 }));
    const run = await runCli('pipe.js', [
      ...['--source', 'kafka', '--brokers', brokers, ...jobTopics(input, output, `group-${randomUUID()}`)],
      ...['--trigger-interval', '1', '--transaction-timeout', '20m', '--dead-letter', path.join(dir, 'txn-timeout.dead.ndjson')],
    ]);
    expect(run.code, run.stderr.slice(-2000)).toBe(1);
    const last = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { msg: string; err?: unknown; summary: { aborted: number } };
    // It used to abort five micro-batches, then end in an error with a stack that named InitProducerId only.
    expect(last.msg).toBe(
      'streaming failed: the brokers refuse a transaction timeout of 1200 s (INVALID_TRANSACTION_TIMEOUT: above their transaction.max.timeout.ms, 15 min unless set): give a lower --transaction-timeout',
    );
    expect(last.err).toBeUndefined();
    expect(last.summary.aborted).toBe(1);
  });

  it.each(['exactly-once', 'at-least-once'])(
    '%s: an event larger than the output topic takes ends the run at once, in one line that says what to do, with nothing committed',
    async (guarantee) => {
      const input = await createTopic(kafka!, 2, 'visits-huge', { 'max.message.bytes': String(4 << 20) });
      const output = await createTopic(kafka!, 2, 'visits-huge-ordered');
      const huge = JSON.stringify({ visit_id: 'huge', event_time: '2024-01-01T00:00:01Z', blob: 'x'.repeat(1_500_000) });
      await produce(input, [...fixtureRows({ events: 200, seed: 12 }), huge]);
      const run = await runCli('pipe.js', [
        ...['--source', 'kafka', '--brokers', brokers, ...jobTopics(input, output, `group-${randomUUID()}`), '--guarantee', guarantee],
        ...['--trigger-interval', '1', '--max-row-bytes', '4MiB', '--dead-letter', path.join(dir, 'huge.dead.ndjson')],
      ]);
      expect(run.code, run.stderr.slice(-2000)).toBe(1);
      const last = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { msg: string; err?: unknown; summary: { aborted: number; delivered: number } };
      expect(last.msg).toMatch(/^streaming failed: delivery batch \d+ failed \(not retriable\): MESSAGE_TOO_LARGE/);
      expect(last.msg).toMatch(
        /A record, with its key and headers, is larger than the topic's max\.message\.bytes: raise that on the topic, or lower the row limit \(--max-row-bytes\)/,
      );
      // The same records would be refused again: exactly once used to read them 5 times, and end with a stack.
      expect(last.err).toBeUndefined();
      expect(run.stderr).not.toMatch(/"stack"/);
      expect(last.summary).toMatchObject({ aborted: guarantee === 'exactly-once' ? 1 : 0, delivered: 0 });
      // At least once, what other partitions' sends wrote stays (nothing was committed: it is read again).
      if (guarantee === 'exactly-once') expect(await committedRecordCount(output)).toBe(0);
    },
  );

  it.each([
    ['exactly-once', 'output'],
    ['at-least-once', 'output'],
    ['at-least-once', 'dead-letter'],
    ['exactly-once', 'input'],
  ] as const)(
    '%s: the %s topic deleted while the instance runs ends it within seconds, with one line naming the topic, not micro-batch after micro-batch',
    async (guarantee, deleted) => {
      const input = await createTopic(kafka!, 2, 'visits-deleted');
      const output = await createTopic(kafka!, 2, 'visits-deleted-ordered');
      const letters = await createTopic(kafka!, 2, 'visits-deleted-letters');
      const gone = { input, output, 'dead-letter': letters }[deleted];
      const tempDir = mkdtempSync(path.join(dir, 'deleted-topic-tmp-'));
      const instance = startInstance(
        [
          ...jobTopics(input, output, `group-${randomUUID()}`),
          '--guarantee',
          guarantee,
          '--dead-letter-topic',
          letters,
          '--trigger-events',
          '500',
          '--trigger-interval',
          '1',
        ],
        tempDir,
      );
      await produce(input, fixtureRows({ events: 500, seed: 8 }));
      await until(() => instance.read() >= 500, 'the first records');
      const admin = kafka!.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [gone] });
      await admin.disconnect();
      if (deleted !== 'input') await produce(input, fixtureRows({ events: 500, seed: 9, unprocessable: 0.05 }));
      const deletedAt = Date.now();
      // Each micro-batch used to wait out 20 client retries (81 s), and exactly-once tried 5 of them.
      expect(await instance.exited).toBe(1);
      expect(Date.now() - deletedAt).toBeLessThan(45_000);
      const lines = instance
        .stderr()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg: string; err?: { stack?: string } });
      const last = lines.at(-1)!;
      expect(last.msg).toMatch(new RegExp(`^streaming failed: .*topic "${gone}" no longer exists on the brokers`));
      expect(last.err).toBeUndefined();
      // Nor a stack on the way there (the transaction's failed abort was one).
      expect(lines.filter((line) => line.err?.stack).map((line) => line.msg)).toEqual([]);
      expect(readdirSync(tempDir)).toEqual([]);
    },
  );

  it('the dead-letter topic deleted before a SIGTERM: the last micro-batch fails in one line naming it', async () => {
    const input = await createTopic(kafka!, 2, 'visits-deleted-at-stop');
    const output = await createTopic(kafka!, 2, 'visits-deleted-at-stop-ordered');
    const letters = await createTopic(kafka!, 2, 'visits-deleted-at-stop-letters');
    const instance = startInstance(
      [
        ...jobTopics(input, output, `group-${randomUUID()}`),
        ...['--guarantee', 'at-least-once', '--dead-letter-topic', letters],
        ...['--trigger-events', '100000', '--trigger-interval', '60s'],
      ],
      mkdtempSync(path.join(dir, 'deleted-at-stop-tmp-')),
    );
    await until(() => instance.stderr().includes('consuming in micro-batches'), 'the instance started, its topics checked');
    const admin = kafka!.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [letters] });
    await admin.disconnect();
    await produce(input, fixtureRows({ events: 400, seed: 10, unprocessable: 0.05 }));
    // Read into the open micro-batch, whose trigger is a minute away; nothing tells when, so a
    // while is given (if they were not read yet, the instance would exit 0 and the test fail).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    instance.child.kill('SIGTERM');
    expect(await instance.exited).toBe(1);
    const last = JSON.parse(instance.stderr().trim().split('\n').at(-1)!) as { msg: string; err?: unknown };
    expect(last.msg).toMatch(new RegExp(`^streaming failed: topic "${letters}" no longer exists on the brokers`));
    expect(last.err).toBeUndefined();
  });

  it('SIGKILL of the started process ends the streaming process too: no ghost member stays in the group', async () => {
    const input = await createTopic(kafka!, 2, 'visits-ghost');
    const output = await createTopic(kafka!, 2, 'visits-ghost-ordered');
    const tempDir = mkdtempSync(path.join(dir, 'ghost-tmp-'));
    const group = `group-${randomUUID()}`;
    const instance = startInstance(
      [...jobTopics(input, output, group), '--trigger-events', '100', '--trigger-interval', '1', '--dead-letter', path.join(dir, 'ghost.dead.ndjson')],
      tempDir,
    );
    await produce(input, fixtureRows({ events: 500, seed: 5 }));
    await until(() => instance.read() >= 500, 'the records');
    const pipeline = Number(
      spawnSync('pgrep', ['-P', String(instance.child.pid)], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')[0],
    );
    expect(pipeline).toBeGreaterThan(0);
    instance.child.kill('SIGKILL'); // the launcher alone, not its process group
    await instance.exited;
    await new Promise((r) => setTimeout(r, 2000));
    // isAlive counts a zombie as gone: this machine's init may reap the orphan late.
    const ghost = isAlive(pipeline);
    if (ghost) process.kill(pipeline, 'SIGKILL');
    expect(ghost).toBe(false);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('two instances in one group, one SIGKILLed midway: every event delivered at least once, first deliveries in per-visit order', async () => {
    const input = await createTopic(kafka!, 6, 'visits');
    const output = await createTopic(kafka!, 6, 'visits-ordered');
    const group = `group-${randomUUID()}`;
    const tempDir = mkdtempSync(path.join(dir, 'kill-tmp-'));
    const waves = [31, 32, 33].map((seed) => fixtureRows({ events: 25_000, seed, unprocessable: 0.005, late: 0 }));
    const args = (name: string) => [
      '--guarantee',
      'at-least-once',
      ...jobTopics(input, output, group),
      '--trigger-events',
      '2000',
      '--trigger-interval',
      '1',
      '--session-timeout',
      '6',
      '--dead-letter',
      path.join(dir, `${name}.dead.ndjson`),
      '--max-batch-records',
      '500',
    ];
    const admin = kafka!.admin();
    await admin.connect();

    const doomed = startInstance(args('doomed'), tempDir);
    const survivor = startInstance(args('survivor'), tempDir);
    // Both in the group before any input: otherwise, on a loaded machine, the first to join can
    // read the whole first wave before the second gets a partition.
    await until(() => {
      const [a, b] = [lastAssignment(doomed.stderr()), lastAssignment(survivor.stderr())];
      return a.length > 0 && b.length > 0 && new Set([...a, ...b]).size === 6 && a.length + b.length === 6;
    }, 'the two instances sharing the six partitions');
    await produce(input, waves[0]!);
    await until(() => doomed.read() > 0 && survivor.read() > 0, 'both instances delivering');
    await waitForRecords(admin, output, 20_000, 60_000);
    // Events keep arriving (paced over ~5 s) while both work; the kill lands mid-stream,
    // just after one of the doomed instance's micro-batches, while it reads the next.
    const producing = produce(input, waves[1]!, 200);
    const before = doomed.read();
    await until(() => doomed.read() > before, 'a micro-batch of the doomed instance while events arrive');
    await new Promise((r) => setTimeout(r, 300));
    process.kill(-doomed.child.pid!, 'SIGKILL');
    await doomed.exited;
    // The kill left work behind: records of the doomed instance's partitions not yet committed.
    const doomedPartitions = lastAssignment(doomed.stderr());
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [input] });
    const ends = await admin.fetchTopicOffsets(input);
    const pending = doomedPartitions.reduce(
      (n, p) => n + Number(ends.find((e) => e.partition === p)!.high) - Number(committed!.partitions.find((c) => c.partition === p)!.offset),
      0,
    );
    expect(doomedPartitions.length).toBeGreaterThan(0);
    expect(pending).toBeGreaterThan(0);
    await producing;
    await produce(input, waves[2]!);

    const all = waves.flat();
    const validCount = all.filter(isValid).length;
    let report: VerifyReport | undefined;
    await until(
      async () => {
        if ((await topicRecordCount(admin, output)) < validCount) return false;
        report = await checkTopic(output, all);
        return report.missing === 0;
      },
      'every valid event in the output topic',
      120_000,
    );
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited, survivor.stderr().slice(-3000)).toBe(0);

    report = await checkTopic(output, all);
    expect(report.missing).toBe(0);
    expect(report.unexpected).toBe(0);
    // Re-deliveries are counted; order is judged on each event's first delivery.
    const orderBroken = report.examples.filter((v) => v.kind === 'time went back' || v.kind === 'visit on two partitions' || v.kind === 'key is not visit_id');
    expect(orderBroken).toEqual([]);
    expect(report.records).toBe(validCount + report.duplicates);
    console.info(
      `kill test: ${pending} records pending on the killed instance's partitions ${doomedPartitions}; ${report.records} records, ${report.duplicates} duplicates after the SIGKILL, ${report.violations} violations (${[...new Set(report.examples.map((v) => v.kind))].join(', ') || 'none'})`,
    );
    // The survivor took the doomed instance's partitions over.
    expect(lastAssignment(survivor.stderr())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(readdirSync(tempDir).filter((name) => !name.startsWith('bin-packer-run-'))).toEqual([]);
    await admin.disconnect();
  });

  it('partitions added to the input while two instances run are assigned and read, the late-state topic following; a restart adds them to a late-state topic that has fewer', async () => {
    const input = await createTopic(kafka!, 2, 'visits-growing');
    const output = await createTopic(kafka!, 2, 'visits-growing-ordered');
    const group = `group-${randomUUID()}`;
    const rows = fixtureRows({ events: 4000, seed: 31, late: 0 });
    const tempDir = mkdtempSync(path.join(dir, 'growing-tmp-'));
    const deadLetter = ['--dead-letter', path.join(dir, 'growing.dead.ndjson')];
    const args = [...jobTopics(input, output, group), '--trigger-interval', '1', ...deadLetter];
    await produce(input, rows.slice(0, 2000));
    // Either may lead the group; the leader is the one that rejoins for the new partitions.
    const first = startInstance(args, tempDir);
    const beside = startInstance(args, tempDir);
    const read = () => first.read() + beside.read();
    await until(
      () => read() >= 2000 && lastAssignment(first.stderr()).length === 1 && lastAssignment(beside.stderr()).length === 1,
      'the first 2,000 records, a partition each',
    );
    const admin = kafka!.admin();
    await admin.connect();
    await admin.createPartitions({ topicPartitions: [{ topic: input, count: 4 }] });
    await produce(input, rows.slice(2000));
    const offsets = await admin.fetchTopicOffsets(input);
    expect(offsets.filter((p) => p.partition >= 2 && Number(p.high) > 0)).toHaveLength(2);
    // Before, the group never rebalanced for them: their records waited for a restart, which the
    // late-state topic's partition count then refused.
    await until(() => read() >= 4000, 'the records of the added partitions too', 60_000);
    for (const instance of [first, beside]) instance.child.kill('SIGTERM');
    expect(await first.exited, first.stderr().slice(-3000)).toBe(0);
    expect(await beside.exited, beside.stderr().slice(-3000)).toBe(0);
    expect([...lastAssignment(first.stderr()), ...lastAssignment(beside.stderr())].sort()).toEqual([0, 1, 2, 3]);
    const partitionsOf = async (topic: string) => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length;
    expect(await partitionsOf(`${group}.late-state`)).toBe(4);
    const report = await checkTopic(output, rows);
    expect(report).toMatchObject({ missing: 0, unexpected: 0, duplicates: 0 });

    // Another group whose late-state topic predates the new partitions.
    const other = `group-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic: `${other}.late-state`, numPartitions: 2 }], waitForLeaders: true });
    const second = startInstance([...jobTopics(input, output, other), '--trigger-interval', '1', ...deadLetter], tempDir);
    await until(() => second.read() >= 4000, 'every record, for the other group');
    second.child.kill('SIGTERM');
    expect(await second.exited, second.stderr().slice(-3000)).toBe(0);
    expect(second.stderr()).toMatch(/"from":2,.*"msg":"partitions added to the late-state topic"/);
    expect(await partitionsOf(`${other}.late-state`)).toBe(4);
    await admin.disconnect();
  });

  it("a group stopped past the input's retention reads on from where the topic now starts, naming the records it never saw", async () => {
    const input = await createTopic(kafka!, 2, 'visits-retained');
    const output = await createTopic(kafka!, 2, 'visits-retained-ordered');
    const rows = fixtureRows({ events: 2000, seed: 41, late: 0, unprocessable: 0, missingFields: 0 });
    const tempDir = mkdtempSync(path.join(dir, 'retained-tmp-'));
    const args = [...jobTopics(input, output, `group-${randomUUID()}`), '--trigger-interval', '1', '--dead-letter', path.join(dir, 'retained.dead.ndjson')];
    await produce(input, rows.slice(0, 1000));
    const first = startInstance(args, tempDir);
    await until(() => first.read() >= 1000, 'the first 1,000 records');
    first.child.kill('SIGTERM');
    expect(await first.exited, first.stderr().slice(-2000)).toBe(0);

    // While no instance runs, more arrives and retention deletes all but the last 300 of each partition.
    await produce(input, rows.slice(1000));
    const admin = kafka!.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(input);
    await admin.deleteTopicRecords({ topic: input, partitions: ends.map((p) => ({ partition: p.partition, offset: String(Number(p.high) - 300) })) });
    await admin.disconnect();
    // The committed offsets then lay before the log: every fetch was refused (OFFSET_OUT_OF_RANGE) and the job failed, again at each restart.
    const second = startInstance(args, tempDir);
    await until(() => second.read() >= 600 || second.child.exitCode !== null, 'the 600 records left');
    await new Promise((r) => setTimeout(r, 1000)); // anything more would be read by now
    second.child.kill('SIGTERM');
    expect(await second.exited, second.stderr().slice(-2000)).toBe(0);
    expect(second.read()).toBe(600);
    const warnings = second
      .stderr()
      .split('\n')
      .filter((line) => line.includes('are no longer in the topic'))
      .map((line) => JSON.parse(line) as { level: number; skipped: number; msg: string });
    expect(warnings).toHaveLength(2);
    expect(warnings.every((w) => w.level === 40)).toBe(true);
    // 2,000 produced, 1,000 read before the stop, 600 left: 400 never seen.
    expect(warnings.reduce((n, w) => n + w.skipped, 0)).toBe(400);
    expect(await committedRecordCount(output)).toBe(1600);
  });

  it('sends of many large dead letters, or of many long visit ids to the changelog, stay within what one record batch of their topic may be', async () => {
    const input = await createTopic(kafka!, 1, 'visits-large-letters');
    const output = await createTopic(kafka!, 1, 'visits-large-letters-ordered');
    const letters = await createTopic(kafka!, 1, 'visits-large-letters-dead');
    // 600 bad rows of 5 KB went in one send of 500 letters, and 6,000 visits with 300-character ids in
    // one of 5,000 marks: each a record batch of over 1 MiB, which the broker refused.
    const bad = Array.from({ length: 600 }, (_, i) => JSON.stringify({ visit_id: `bad-${i}`, event_time: 'not a time', pad: 'x'.repeat(5000) }));
    const good = Array.from({ length: 6000 }, (_, i) =>
      JSON.stringify({ visit_id: `${'v'.repeat(300)}-${i}`, event_time: '2024-01-01T00:00:00Z', page: 'home' }),
    );
    for (let i = 0; i < bad.length; i += 100) await produce(input, bad.slice(i, i + 100));
    await produce(input, good);
    const run = startInstance(
      [...jobTopics(input, output, `group-${randomUUID()}`), '--dead-letter-topic', letters, '--trigger-interval', '1'],
      mkdtempSync(path.join(dir, 'large-letters-tmp-')),
    );
    await until(() => run.read() >= 6600 || run.child.exitCode !== null, 'the 6,600 records read');
    run.child.kill('SIGTERM');
    expect(await run.exited, run.stderr().slice(-2000)).toBe(0);
    expect(await committedRecordCount(letters)).toBe(600);
    expect(await committedRecordCount(output)).toBe(6000);
  });

  it('--dead-letter-topic: bad rows become records of that topic, written before the offsets are committed', async () => {
    const input = await createTopic(kafka!, 2, 'visits');
    const output = await createTopic(kafka!, 2, 'visits-ordered');
    const deadLetters = await createTopic(kafka!, 1, 'dead-letters');
    const group = `group-${randomUUID()}`;
    const rows = [
      '{"visit_id": "a", "event_time": "2024-01-01T00:00:00Z"}',
      'not json',
      '{"visit_id": "b"}',
      '{"visit_id": "a", "event_time": "2024-01-01T00:01:00Z"}',
    ];
    await produce(input, rows);
    const instance = startInstance(
      [...jobTopics(input, output, group), '--trigger-interval', '0.3', '--dead-letter-topic', deadLetters],
      mkdtempSync(path.join(dir, 'dlt-tmp-')),
    );
    await until(() => instance.read() === 4, 'the micro-batch');
    instance.child.kill('SIGTERM');
    expect(await instance.exited, instance.stderr()).toBe(0);
    const letters: { reason: string; raw: string; position: { source: string; partition: number; offset: number } }[] = [];
    await readTopic(deadLetters, (r) => letters.push(JSON.parse(r.value.toString())));
    expect(letters.map((l) => l.raw).sort()).toEqual(['not json', '{"visit_id": "b"}']);
    expect(letters.find((l) => l.raw === 'not json')!.reason).toMatch(/^malformed JSON/);
    expect(letters.find((l) => l.raw === '{"visit_id": "b"}')!.reason).toBe('missing event_time');
    expect(letters.every((l) => l.position.source === input)).toBe(true);
    const admin = kafka!.admin();
    await admin.connect();
    expect(await committedRecordCount(output)).toBe(2);
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [input] });
    expect(committed!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0)).toBe(4); // -1: never committed
    await admin.disconnect();
  });

  it('late-event state survives a restart and a rebalance: it is read back from the changelog topic', async () => {
    const input = await createTopic(kafka!, 1, 'visits');
    const output = await createTopic(kafka!, 1, 'visits-ordered');
    const group = `group-${randomUUID()}`;
    const tempDir = mkdtempSync(path.join(dir, 'late-state-tmp-'));
    const args = [...jobTopics(input, output, group), '--trigger-interval', '0.3', '--dead-letter', path.join(dir, `late-state-${randomUUID()}.ndjson`)];
    const lateOf = async () => {
      const late = new Map<string, boolean | undefined>();
      await readTopic(output, (r) => late.set(JSON.parse(r.value.toString()).event_time.slice(14, 16), r.late));
      return late;
    };

    await produce(input, [event('a', 10), event('a', 20)]);
    const first = startInstance(args, tempDir);
    await until(() => first.read() === 2, 'the first instance delivering a@10 and a@20');
    first.child.kill('SIGTERM');
    expect(await first.exited, first.stderr()).toBe(0);

    // Restarted: a new instance has never seen visit a; the changelog tells it a@20 went out.
    await produce(input, [event('a', 15)]);
    const second = startInstance(args, tempDir);
    await until(() => second.read() === 1, 'the restarted instance reading a@15');
    expect((await lateOf()).get('15')).toBe(true);

    // Rebalanced: a third instance joins, the second leaves; the partition's new owner reads the state back.
    const third = startInstance(args, tempDir);
    await until(() => /"partitions assigned"/.test(third.stderr()), 'the third instance in the group');
    second.child.kill('SIGTERM');
    expect(await second.exited, second.stderr()).toBe(0);
    await until(() => lastAssignment(third.stderr()).length === 1, 'the third instance owning the partition');
    await produce(input, [event('a', 12), event('a', 30)]);
    await until(async () => (await lateOf()).has('30'), 'a@12 and a@30 delivered by the third instance');
    const late = await lateOf();
    expect([...late].sort()).toEqual([
      ['10', false],
      ['12', true],
      ['15', true],
      ['20', false],
      ['30', false],
    ]);
    expect(third.stderr()).toMatch(/"late-event state restored"/);
    third.child.kill('SIGTERM');
    expect(await third.exited, third.stderr()).toBe(0);
  });

  it.each(['deliver', 'dead-letter'] as const)('late events with --late %s', async (policy) => {
    const input = await createTopic(kafka!, 1, 'visits');
    const output = await createTopic(kafka!, 1, 'visits-ordered');
    const tempDir = mkdtempSync(path.join(dir, 'late-tmp-'));
    const deadLetter = path.join(dir, `late-${policy}.dead.ndjson`);
    await produce(input, [event('a', 10), event('a', 20), event('b', 5)]);
    const instance = startInstance(
      [...jobTopics(input, output, `group-${randomUUID()}`), '--trigger-interval', '0.3', '--late', policy, '--dead-letter', deadLetter],
      tempDir,
    );
    await until(() => instance.read() === 3, 'the first micro-batch');
    // a@15 arrives after a@20 was delivered: late. a@30 is not.
    await produce(input, [event('a', 15), event('a', 30)]);
    await until(() => instance.read() === 5, 'the second micro-batch');
    instance.child.kill('SIGTERM');
    expect(await instance.exited, instance.stderr()).toBe(0);
    const summary = (JSON.parse(instance.stderr().trim().split('\n').at(-1)!) as { summary: Record<string, number> }).summary;
    expect(summary.late).toBe(1);

    const records: { value: string; late: boolean | undefined; batch: string | null }[] = [];
    const order = new OrderChecker();
    await readTopic(output, (r) => {
      records.push({ value: r.value.toString(), late: r.late, batch: r.batch });
      order.add(r);
    });
    const report = order.report();
    const ofA = records.filter((r) => r.value.includes('"a"')).map((r) => [JSON.parse(r.value).event_time.slice(14, 16), r.late]);
    if (policy === 'deliver') {
      expect(ofA).toEqual([
        ['10', false],
        ['20', false],
        ['15', true],
        ['30', false],
      ]);
      expect(report).toMatchObject({ ok: true, late: 1, violations: 0, records: 5 });
      expect(existsSync(deadLetter)).toBe(false);
    } else {
      expect(ofA).toEqual([
        ['10', false],
        ['20', false],
        ['30', false],
      ]);
      expect(report).toMatchObject({ ok: true, late: 0, violations: 0, records: 4 });
      const letters = readFileSync(deadLetter, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { reason: string; raw: string; position: unknown });
      expect(letters).toHaveLength(1);
      expect(letters[0]!.raw).toBe(event('a', 15));
      expect(letters[0]!.reason).toMatch(/^late event: visit a at 2024-01-01T00:15:00.000Z/);
      expect(letters[0]!.position).toEqual({ source: input, partition: 0, offset: 3 });
    }
    // Across micro-batches a visit's delivery batches keep increasing.
    const batchesOfA = records.filter((r) => r.value.includes('"a"')).map((r) => Number(r.batch));
    expect(batchesOfA).toEqual([...batchesOfA].sort((x, y) => x - y));
    expect(new Set(batchesOfA).size).toBe(batchesOfA.length);
  });
});

/** One event of `visit` at 2024-01-01T00:<minute>:00Z, for the late-event tests. */
function event(visit: string, minute: number): string {
  return `{"visit_id": "${visit}", "event_time": "2024-01-01T00:${String(minute).padStart(2, '0')}:00+00:00", "page": "main"}`;
}

function writeRows(name: string, rows: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}
