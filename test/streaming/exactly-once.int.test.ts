// Streaming mode with --guarantee exactly-once on the real broker: an instance killed or frozen
// at each moment of a micro-batch's delivery, and what read_committed readers see afterwards
// (verify's reader, the verify CLI and kcat).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { brokers, createTopic, testKafka, topicRecordCount } from '../helpers/kafka.js';
import {
  checkTopic,
  fixtureRows,
  isValid,
  jobTopics,
  killStarted,
  lastAssignment,
  produce,
  startInstance,
  until,
  type Instance,
} from '../helpers/streaming.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'exactly-once-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(killStarted);
const kafka = brokers ? testKafka() : undefined;
const hasKcat = spawnSync('kcat', ['-V']).status === 0;

const paused = (instance: Instance) => instance.stderr().includes('"pausedAt"');

/** Values of the topic as kcat reads them read_committed, one per record. */
function kcatValues(topic: string): string[] {
  const read = spawnSync('kcat', ['-C', '-b', brokers, '-t', topic, '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%s\\n'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(read.status, read.stderr).toBe(0);
  return read.stdout.split('\n').filter(Boolean);
}

describe.skipIf(!brokers)('streaming mode, exactly once', () => {
  async function twoInstances(env: NodeJS.ProcessEnv) {
    const input = await createTopic(kafka!, 6, 'visits');
    const output = await createTopic(kafka!, 6, 'visits-once');
    const group = `group-${randomUUID()}`;
    const tempDir = mkdtempSync(path.join(dir, 'tmp-'));
    const args = (name: string) => [
      '--guarantee',
      'exactly-once',
      '--transaction-timeout',
      '10s',
      ...jobTopics(input, output, group),
      '--trigger-events',
      '1500',
      '--trigger-interval',
      '1',
      '--session-timeout',
      '6',
      '--dead-letter',
      path.join(dir, `${name}-${randomUUID()}.dead.ndjson`),
      '--max-batch-records',
      '400',
    ];
    const doomed = startInstance(args('doomed'), tempDir, { ...process.env, ...env });
    const survivor = startInstance(args('survivor'), tempDir);
    await until(() => {
      const [a, b] = [lastAssignment(doomed.stderr()), lastAssignment(survivor.stderr())];
      return a.length > 0 && b.length > 0 && new Set([...a, ...b]).size === 6 && a.length + b.length === 6;
    }, 'the two instances sharing the six partitions');
    return { input, output, doomed, survivor, tempDir };
  }

  /** Waits until read_committed readers see every valid event, then checks the output as verify does. */
  async function expectExactlyOnce(output: string, rows: string[], survivor: Instance, abortedWrites: boolean): Promise<void> {
    const valid = rows.filter(isValid);
    const admin = kafka!.admin();
    await admin.connect();
    try {
      await until(
        async () => (await topicRecordCount(admin, output)) >= valid.length && (await checkTopic(output, rows)).missing === 0,
        'every valid event visible to read_committed readers',
        120_000,
      );
    } finally {
      await admin.disconnect();
    }
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited, survivor.stderr().slice(-3000)).toBe(0);

    const report = await checkTopic(output, rows);
    expect(report).toMatchObject({ missing: 0, unexpected: 0, duplicates: 0, violations: 0, ok: true, records: valid.length });
    // The doomed instance's writes are in the log, aborted: a read_uncommitted reader sees them.
    const uncommitted = await checkTopic(output, rows, 'read_uncommitted');
    if (abortedWrites) expect(uncommitted.duplicates).toBeGreaterThan(0);
    else expect(uncommitted.records).toBe(report.records);

    const expectFile = path.join(dir, `expect-${randomUUID()}.ndjson`);
    writeFileSync(expectFile, rows.join('\n') + '\n');
    const verify = await runCli('verify.js', ['--brokers', brokers, '--topic', output, '--expect', expectFile, '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      ok: true,
      duplicates: 0,
      missing: 0,
      isolation: 'read_committed',
      abortedRecords: abortedWrites ? expect.any(Number) : 0,
    });

    if (hasKcat) {
      const values = kcatValues(output);
      expect(values).toHaveLength(valid.length);
      expect(new Set(values).size).toBe(new Set(valid).size);
    }
  }

  it.each(['sort', 'delivery', 'commit'] as const)(
    'an instance SIGKILLed %s-time while events arrive: the survivor takes over, and read_committed readers see every event once, in order',
    async (moment) => {
      // The doomed instance stops itself at its second micro-batch's moment; the kill follows.
      const { input, output, doomed, survivor, tempDir } = await twoInstances({ BIN_PACKER_TEST_PAUSE: `${moment}:2` });
      const waves = [41, 42].map((seed) => fixtureRows({ events: 8_000, seed, unprocessable: 0.005, late: 0 }));
      const producing = produce(input, waves[0]!, 100);
      await until(() => paused(doomed), `the doomed instance paused at ${moment}`, 90_000);
      process.kill(-doomed.child.pid!, 'SIGKILL');
      await doomed.exited;
      await producing;
      await produce(input, waves[1]!);
      await expectExactlyOnce(output, waves.flat(), survivor, moment !== 'sort');
      expect(lastAssignment(survivor.stderr())).toEqual([0, 1, 2, 3, 4, 5]);
      expect(readdirSync(tempDir).filter((name) => !name.startsWith('bin-packer-run-'))).toEqual([]);
    },
  );

  it('a zombie (SIGSTOPped past the session timeout between delivery and commit) is fenced: its commit is refused and nothing it sent becomes visible', async () => {
    const { input, output, doomed: zombie, survivor } = await twoInstances({ BIN_PACKER_TEST_PAUSE: 'commit:2' });
    const rows = fixtureRows({ events: 8_000, seed: 43, unprocessable: 0.005, late: 0 });
    await produce(input, rows, 100);
    await until(() => paused(zombie), 'the zombie paused between delivery and commit', 90_000);
    // Its partitions move to the survivor, which delivers them (the zombie's transaction, open
    // on them, is aborted by the broker at its 10 s timeout).
    await until(() => lastAssignment(survivor.stderr()).length === 6, 'the survivor owning every partition', 60_000);
    const valid = rows.filter(isValid);
    await until(async () => (await checkTopic(output, rows)).missing === 0, 'the survivor delivering everything', 120_000);
    process.kill(-zombie.child.pid!, 'SIGCONT');
    await until(() => /"micro-batch 2 aborted/.test(zombie.stderr()), 'the zombie’s micro-batch aborted', 60_000);
    zombie.child.kill('SIGTERM');
    expect(await zombie.exited, zombie.stderr().slice(-3000)).toBe(0);
    await expectExactlyOnce(output, rows, survivor, true);
    expect(valid.length).toBeGreaterThan(0);
  });
});
