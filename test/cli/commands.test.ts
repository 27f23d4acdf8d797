import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIST, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'commands-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = new URL('../../fixtures/visits-sample.ndjson', import.meta.url).pathname;

describe('bin-packer <command>', () => {
  it('runs verify, fixtures and kafka as commands of the one bin, each with its own --help', async () => {
    const generated = await runCli('pipe.js', ['fixtures', '--events', '50', '--seed', '3']);
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout.trimEnd().split('\n')).toHaveLength(50);

    const out = path.join(dir, 'out.ndjson');
    const piped = await runCli('pipe.js', ['pipe', fixture, '--output', out, '--dead-letter', path.join(dir, 'dead.ndjson')]);
    expect(piped.code, piped.stderr).toBe(0);
    const verified = await runCli('pipe.js', ['verify', '--file', out, '--expect', fixture]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/^OK: /);

    const status = await runCli('pipe.js', ['kafka', 'status', '--state', path.join(dir, 'no-broker.json')]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('no local Kafka broker is running');

    for (const [args, usage] of [
      [['--help'], 'Usage: bin-packer [pipe] [options]'],
      [['pipe', '--help'], 'Usage: bin-packer [pipe] [options]'],
      [['verify', '--help'], 'Usage: bin-packer verify'],
      [['fixtures', '--help'], 'Usage: bin-packer fixtures'],
      [['kafka', '--help'], 'Usage: bin-packer kafka'],
    ] as const) {
      const help = await runCli('pipe.js', [...args]);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout.startsWith(usage), args.join(' ')).toBe(true);
    }
    const wrong = await runCli('pipe.js', ['verify', '--no-such-flag']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe("Unknown option '--no-such-flag'\n");
  });

  it("works through the link npm makes for an installed package's bin", () => {
    const bin = path.join(dir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    const link = path.join(bin, 'bin-packer');
    symlinkSync(path.join(DIST, 'pipe.js'), link);
    const result = spawnSync(process.execPath, [link, 'fixtures', '--events', '3'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(3);
    const piped = spawnSync(process.execPath, [link, fixture, '--dead-letter', path.join(dir, 'linked.dead.ndjson')], { encoding: 'utf8' });
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stdout.trimEnd().split('\n').length).toBeGreaterThan(30);
  });
});
