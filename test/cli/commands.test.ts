import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
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

  it('verify reads - as stdin, and names a file it cannot read in one line (exit 2)', async () => {
    const out = path.join(dir, 'stdin-out.ndjson');
    const piped = await runCli('pipe.js', [fixture, '--output', out, '--dead-letter', path.join(dir, 'stdin-dead.ndjson')]);
    expect(piped.code, piped.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8');
    const fromStdin = await runCli('pipe.js', ['verify', '--file', '-', '--expect', fixture], { input: lines });
    expect(fromStdin.code, fromStdin.stdout + fromStdin.stderr).toBe(0);
    expect(fromStdin.stdout).toMatch(/^OK: stdin\n/);
    const expectFromStdin = await runCli('pipe.js', ['verify', '--file', out, '--expect', '-'], { input: readFileSync(fixture, 'utf8') });
    expect(expectFromStdin.code, expectFromStdin.stdout + expectFromStdin.stderr).toBe(0);

    for (const [args, message] of [
      [['--file', path.join(dir, 'absent.ndjson')], `cannot read input file ${path.join(dir, 'absent.ndjson')}: it does not exist\n`],
      [['--file', out, '--expect', dir], `input ${dir} is a directory: name the files in it\n`],
      [['--file', '-', '--expect', '-'], '--file - and --expect - cannot both read stdin\n'],
    ] as const) {
      const run = await runCli('pipe.js', ['verify', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toBe(message);
    }
  });

  it('kafka start refuses a --state it could not write before starting a broker, and a malformed KAFKA_VERSION, in one line', async () => {
    // Refused as a usage error, before a broker starts: one started first could not be recorded, nor stopped.
    const unwritable = path.join(dir, 'absent', 'state.json');
    const run = await runCli('pipe.js', ['kafka', 'start', '--state', unwritable]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toBe(`--state ${unwritable}: the directory ${path.dirname(unwritable)} does not exist\n`);
    const version = await runCli('pipe.js', ['kafka', 'start', '--state', path.join(dir, 'state.json')], { env: { KAFKA_VERSION: 'abc' } });
    expect(version.code).toBe(1);
    expect((JSON.parse(version.stderr.trim()) as { msg: string }).msg).toBe('KAFKA_VERSION must look like 3.9.2, got "abc"');
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
