import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DIST, runCli } from '../helpers/cli.js';

describe('fixtures CLI', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('prints exactly --events lines, the same bytes on every run', async () => {
    const first = await runCli('cli/fixtures.js', ['--events', '20000', '--seed', '5']);
    const second = await runCli('cli/fixtures.js', ['--events', '20000', '--seed', '5']);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')).toHaveLength(20001);
    expect(first.stdout.endsWith('\n')).toBe(true);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stderr).toBe('');
  });

  it('writes --out FILE with the same bytes as stdout', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fixtures-test-'));
    const file = path.join(dir, 'events.json');
    const args = ['--events', '300', '--seed', '9', '--format', 'array', '--time-offsets', 'mixed'];
    expect((await runCli('cli/fixtures.js', [...args, '--out', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe((await runCli('cli/fixtures.js', args)).stdout);
  });

  it('rejects bad options with exit 2 and one line naming the option', async () => {
    for (const args of [[], ['--events', 'many'], ['--events', '5', '--duplicates', '2'], ['--events', '5', '--format', 'csv'], ['--events', '5', '--bogus']]) {
      const result = await runCli('cli/fixtures.js', args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/^[^\n]*--?(events|duplicates|format|bogus)[^\n]*\n$/);
      expect(result.stdout).toBe('');
    }
  });

  it('ends quietly when its reader closes stdout early', async () => {
    const child = spawn(process.execPath, [DIST + 'cli/fixtures.js', '--events', '1000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});
