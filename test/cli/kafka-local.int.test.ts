import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isKafkaBrokerProcess } from '../../src/kafka-local/broker.js';
import { missingPrerequisite } from '../../src/kafka-local/prerequisites.js';
import { runCli } from '../helpers/cli.js';

const hasKcat = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;

describe.skipIf(missingPrerequisite() !== null)('kafka:start / kafka:stop', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'kafka-local-cli-'));
  const state = path.join(work, 'state.json');
  afterAll(async () => {
    await runCli('cli/kafka-local.js', ['stop', '--state', state]);
    rmSync(work, { recursive: true, force: true });
  });

  it('starts a broker that prints KAFKA_BROKERS last, answers metadata, and stops without leftovers', async () => {
    const start = await runCli('cli/kafka-local.js', ['start', '--state', state]);
    expect(start.code, start.stderr).toBe(0);
    const lines = start.stdout.trimEnd().split('\n');
    const brokers = /^KAFKA_BROKERS=(127\.0\.0\.1:\d+)$/.exec(lines.at(-1)!)?.[1];
    expect(brokers).toBeDefined();
    const { pid, dir } = JSON.parse(readFileSync(state, 'utf8')) as { pid: number; dir: string };
    expect(existsSync(dir)).toBe(true);
    expect(isKafkaBrokerProcess(pid)).toBe(true);
    expect((await runCli('cli/kafka-local.js', ['status', '--state', state])).stdout).toBe(`KAFKA_BROKERS=${brokers}\n`);
    // A second start finds the running broker instead of starting another.
    expect((await runCli('cli/kafka-local.js', ['start', '--state', state])).stdout.trimEnd().split('\n').at(-1)).toBe(`KAFKA_BROKERS=${brokers}`);

    if (hasKcat) {
      const listing = spawnSync('kcat', ['-b', brokers!, '-L', '-m', '10'], { encoding: 'utf8' });
      expect(listing.status, listing.stderr).toBe(0);
      expect(listing.stdout).toContain(`broker 1 at ${brokers}`);
    }

    const stop = await runCli('cli/kafka-local.js', ['stop', '--state', state]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(state)).toBe(false);
    expect(isKafkaBrokerProcess(pid)).toBe(false);
    expect((await runCli('cli/kafka-local.js', ['status', '--state', state])).code).toBe(1);
  });
});
