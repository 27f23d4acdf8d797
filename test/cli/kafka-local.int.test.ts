import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

  it('after its broker was killed outright, start removes the old directory; a record copied elsewhere is not used', async () => {
    const first = await runCli('cli/kafka-local.js', ['start', '--state', state]);
    expect(first.code, first.stderr).toBe(0);
    const killed = JSON.parse(readFileSync(state, 'utf8')) as { pid: number; dir: string };
    process.kill(killed.pid, 'SIGKILL');
    while (isKafkaBrokerProcess(killed.pid)) await new Promise((r) => setTimeout(r, 50));
    const second = await runCli('cli/kafka-local.js', ['start', '--state', state]);
    expect(second.code, second.stderr).toBe(0);
    expect(existsSync(killed.dir)).toBe(false);
    const running = JSON.parse(readFileSync(state, 'utf8')) as { pid: number; dir: string };
    expect(isKafkaBrokerProcess(running.pid)).toBe(true);

    // Another checkout holding a copy of the record must neither use nor stop this broker.
    const copy = path.join(work, 'copied-checkout.json');
    copyFileSync(state, copy);
    const status = await runCli('cli/kafka-local.js', ['status', '--state', copy]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('ignoring a broker record copied from elsewhere');
    expect((await runCli('cli/kafka-local.js', ['stop', '--state', copy])).code).toBe(0);
    expect(isKafkaBrokerProcess(running.pid)).toBe(true);

    expect((await runCli('cli/kafka-local.js', ['stop', '--state', state])).code).toBe(0);
    expect(existsSync(running.dir)).toBe(false);
  });

  it('npx bin-packer verify --help and npx bin-packer kafka start|stop work from an npm pack-ed tarball installed in a scratch directory', () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'bin-packer-installed-'));
    try {
      const root = fileURLToPath(new URL('../../', import.meta.url));
      // dist/ is built (npm test builds first); --ignore-scripts keeps pack from rebuilding it under running tests.
      const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch, '--loglevel=error'], { cwd: root, encoding: 'utf8' });
      expect(pack.status, pack.stderr).toBe(0);
      const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'))!;
      const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`], {
        cwd: scratch,
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(install.status, install.stderr).toBe(0);
      const npx = (...args: string[]) => spawnSync('npx', ['--no-install', 'bin-packer', ...args], { cwd: scratch, encoding: 'utf8', timeout: 180_000 });

      const help = npx('verify', '--help');
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/^Usage: bin-packer verify/);
      const state = path.join(scratch, 'broker.json');
      const start = npx('kafka', 'start', '--state', state);
      expect(start.status, start.stderr).toBe(0);
      expect(start.stdout.trimEnd().split('\n').at(-1)).toMatch(/^KAFKA_BROKERS=127\.0\.0\.1:\d+$/);
      const { pid } = JSON.parse(readFileSync(state, 'utf8')) as { pid: number };
      expect(isKafkaBrokerProcess(pid)).toBe(true);
      expect(npx('kafka', 'stop', '--state', state).status).toBe(0);
      expect(isKafkaBrokerProcess(pid)).toBe(false);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 600_000);
});
