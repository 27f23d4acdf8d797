import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  writeSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEvents } from '../../src/fixtures/generate-events.js';
import { isAlive } from '../../src/temp/stale-dirs.js';
import { DIST, runCli, runSummary } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-cli-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = new URL('../../fixtures/visits-sample.ndjson', import.meta.url).pathname;
const fixtureBytes = readFileSync(fixture);

function freshCase(name: string): string {
  const caseDir = path.join(dir, name);
  mkdirSync(caseDir);
  copyFileSync(fixture, path.join(caseDir, 'in.ndjson'));
  return caseDir;
}

describe('an output that is the same file as an input or the other output', () => {
  // Each spelling names in.ndjson (or, for the last, the dead-letter file) another way.
  const spellings: [string, (caseDir: string) => string][] = [
    ['the same path', (d) => path.join(d, 'in.ndjson')],
    ['a ./ spelling', (d) => path.join(d, '.', 'sub', '..', 'in.ndjson')],
    ['a hard link', (d) => (linkSync(path.join(d, 'in.ndjson'), path.join(d, 'hard.ndjson')), path.join(d, 'hard.ndjson'))],
    ['a symlink', (d) => (symlinkSync(path.join(d, 'in.ndjson'), path.join(d, 'soft.ndjson')), path.join(d, 'soft.ndjson'))],
    ['a symlinked directory', (d) => (symlinkSync(d, path.join(d, 'again')), path.join(d, 'again', 'in.ndjson'))],
  ];
  for (const option of ['--output', '--dead-letter']) {
    for (const [spelling, name] of spellings) {
      it(`refuses ${option} naming the input through ${spelling}: exit 2, the input untouched`, async () => {
        const caseDir = freshCase(`${option.slice(2)}-${spelling.replace(/\W+/g, '-')}`);
        mkdirSync(path.join(caseDir, 'sub'));
        const input = path.join(caseDir, 'in.ndjson');
        const result = await runCli('pipe.js', [
          input,
          option,
          name(caseDir),
          ...(option === '--output' ? ['--dead-letter', path.join(caseDir, 'dead.ndjson')] : []),
        ]);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(new RegExp(`^${option} .* is the same file as the input .*name another file\\n$`));
        expect(readFileSync(input).equals(fixtureBytes)).toBe(true);
      });
    }
  }

  it('refuses --dead-letter naming the --output file, existing or not yet, and stdin redirected from the output', async () => {
    const caseDir = freshCase('both-outputs');
    const input = path.join(caseDir, 'in.ndjson');
    const out = path.join(caseDir, 'out.ndjson');
    const notYet = await runCli('pipe.js', [input, '--output', out, '--dead-letter', path.join(caseDir, '.', 'out.ndjson')]);
    expect(notYet.code, notYet.stderr).toBe(2);
    expect(notYet.stderr).toContain('is the same file as the --output file');
    writeFileSync(out, 'precious\n');
    const existing = await runCli('pipe.js', [input, '--output', out, '--dead-letter', out]);
    expect(existing.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('precious\n');

    const { spawnSync } = await import('node:child_process');
    const redirected = spawnSync('sh', ['-c', `"${process.execPath}" "${path.resolve('dist/pipe.js')}" --output "${input}" < "${input}"`], {
      encoding: 'utf8',
    });
    expect(redirected.status, redirected.stderr).toBe(2);
    expect(redirected.stderr).toContain('is the same file as the input stdin');
    expect(readFileSync(input).equals(fixtureBytes)).toBe(true);
  });

  it('writes --output under a temporary name and renames it into place only on success', async () => {
    const caseDir = freshCase('atomic');
    const out = path.join(caseDir, 'out.ndjson');
    writeFileSync(out, 'the previous result\n');
    // A row larger than --max-row-bytes with --max-invalid 0 fails the run after output began.
    const input = path.join(caseDir, 'in.ndjson');
    writeFileSync(input, fixtureBytes.toString() + `{"visit_id":"v","event_time":"${'x'.repeat(2000)}"}\n`);
    const failed = await runCli('pipe.js', [
      input,
      '--output',
      out,
      '--max-invalid',
      '0',
      '--workers',
      '1',
      '--dead-letter',
      path.join(dir, 'atomic.dead.ndjson'),
    ]);
    expect(failed.code, failed.stderr).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('the previous result\n');
    expect(readdirSync(caseDir).sort()).toEqual(['in.ndjson', 'out.ndjson']);

    const ok = await runCli('pipe.js', [fixture, '--output', out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').length).toBeGreaterThan(30);
    expect(readdirSync(caseDir).sort()).toEqual(['in.ndjson', 'out.ndjson']);
    expect(statSync(out).isFile()).toBe(true);
  });
});

describe('worker counts beyond the machine', () => {
  it('caps --workers at the cores it has, and says so', async () => {
    const result = await runCli('pipe.js', [fixture, '--workers', '999', '--dead-letter', path.join(dir, 'workers.dead.ndjson')]);
    expect(result.code, result.stderr).toBe(0);
    const cores = os.availableParallelism();
    expect(result.stderr).toContain(`--workers 999 is more than this machine's ${cores} cores: using ${cores}`);
    const summary = runSummary(result.stderr);
    expect(summary.sortWorkers).toBeLessThanOrEqual(cores);
    expect(summary.delivered).toBe(fixtureBytes.toString().trimEnd().split('\n').length);
  });
});

describe('user mistakes: one clear line naming the option or file, exit 2, no stack trace', () => {
  const bad = path.join(dir, 'one-bad-row.ndjson');
  writeFileSync(bad, '{"visit_id":"a","event_time":"2024-01-01T00:00:00Z"}\n{"visit_id":"a","event_time":"not a time"}\n');
  const cases: [string, string[], RegExp][] = [
    [
      'a --dead-letter in a missing directory',
      [bad, '--dead-letter', '/nonexistent-dir/dead.ndjson'],
      /^--dead-letter \/nonexistent-dir\/dead\.ndjson: the directory \/nonexistent-dir does not exist$/,
    ],
    ['a --dead-letter that is a directory', [bad, '--dead-letter', os.tmpdir()], /^--dead-letter .* is a directory: name a file in it$/],
    ['an --output that is a directory', [bad, '--output', os.tmpdir()], /^--output .* is a directory: name a file in it$/],
    ['an input that is a directory', [os.tmpdir()], /^input .* is a directory: name the files in it$/],
    ['a missing input', [path.join(dir, 'missing.ndjson')], /^cannot read input file .*missing\.ndjson: it does not exist$/],
    [
      'a --temp-dir that does not exist',
      [bad, '--temp-dir', '/nonexistent-dir'],
      /^--temp-dir \/nonexistent-dir does not exist: create it or name another directory$/,
    ],
    ['a --temp-dir that is a file', [bad, '--temp-dir', bad], /^--temp-dir .* is not a directory$/],
    ['a negative --sort-memory', [bad, '--sort-memory', '-5'], /^--sort-memory must be a size like 64MiB or 1048576, got "-5"$/],
    ['--partitions 0', [bad, '--topic', 't', '--brokers', '127.0.0.1:1', '--create-topic', '--partitions', '0'], /^--partitions must be at least 1, got "0"$/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const result = await runCli('pipe.js', args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.split('\n')[0]).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at |Unhandled|"stack"/);
    });
  }

  it('a dead-letter file that fails while written (a full disk) fails the run with one line naming it', async () => {
    // /dev/full accepts the open and refuses every write with ENOSPC.
    const result = await runCli('pipe.js', [bad, '--dead-letter', '/dev/full', '--output', path.join(dir, 'full.out')]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('cannot write the dead-letter file /dev/full: ENOSPC');
    expect(result.stderr).not.toMatch(/Unhandled 'error' event|\n\s+at |"stack"/);
  });
});

describe('SIGKILL of the process the user started', () => {
  it('ends the pipeline process too, which removes the run directory', async () => {
    const tempDir = mkdtempSync(path.join(dir, 'orphan-'));
    // stdin is a FIFO this test holds open (read-write, so opening it does not block) and never
    // ends: without its launcher, the pipeline would wait for more input forever.
    const fifo = path.join(dir, 'orphan.fifo');
    spawnSync('mkfifo', [fifo]);
    const stdin = openSync(fifo, 'r+');
    writeSync(stdin, '{"visit_id":"a","event_time":"2024-01-01T00:00:00Z"}\n');
    const launcher = spawn(process.execPath, [DIST + 'pipe.js', '--temp-dir', tempDir, '--output', path.join(dir, 'orphan.out')], {
      stdio: [stdin, 'ignore', 'ignore'],
    });
    const child = await waitFor(
      () =>
        Number(
          spawnSync('pgrep', ['-P', String(launcher.pid)], { encoding: 'utf8' })
            .stdout.trim()
            .split('\n')[0],
        ) || undefined,
    );
    await waitFor(() => readdirSync(tempDir).length > 0 || undefined);
    launcher.kill('SIGKILL');
    await new Promise((resolve) => launcher.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const orphaned = isAlive(child);
    if (orphaned) process.kill(child, 'SIGKILL');
    closeSync(stdin);
    expect(orphaned).toBe(false);
    expect(readdirSync(tempDir)).toEqual([]);
  });
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('what runs killed outright leave', () => {
  it('are removed by the next run in the same temp dir, and so is the temporary --output beside FILE', async () => {
    const tempDir = mkdtempSync(path.join(dir, 'killed-both-'));
    const input = path.join(dir, 'killed-both.ndjson');
    writeFileSync(input, [...generateEvents({ events: 200_000, seed: 3 })].map((r) => r.text).join('\n'));
    // Its own process group, so one SIGKILL ends the launcher and the pipeline process at once.
    const doomed = spawn(
      process.execPath,
      [DIST + 'pipe.js', input, '--sort-memory', '2MiB', '--workers', '1', '--temp-dir', tempDir, '--output', path.join(dir, 'killed.out')],
      { stdio: 'ignore', detached: true },
    );
    await waitFor(() => (readdirSync(tempDir, { recursive: true }).filter((f) => String(f).endsWith('.bin')).length > 2 ? true : undefined));
    process.kill(-doomed.pid!, 'SIGKILL');
    await new Promise((resolve) => doomed.on('close', resolve));
    expect(readdirSync(tempDir)).toHaveLength(1);
    const temporaries = () => readdirSync(dir).filter((name) => name.startsWith('killed.out.'));
    expect(temporaries()).toHaveLength(1);

    const next = await runCli('pipe.js', [fixture, '--temp-dir', tempDir, '--output', path.join(dir, 'killed.out')]);
    expect(next.code, next.stderr).toBe(0);
    expect(readdirSync(tempDir)).toEqual([]);
    expect(temporaries()).toEqual([]);
  });
});

describe('rows with bare CRs and escaped visit_ids (property: every path agrees, verify reads what the pipeline wrote)', () => {
  // visit_id tokens as they appear in a row: plain, escaped, and lone surrogates (no UTF-8 form).
  const visitTokens = ['"a"', '"b"', '"é"', '"\\u00e9"', '"😀"', '"\\ud83d\\ude00"', '"\\ud800"', '"x\\udc00"', '"\\ud83dy"'];
  // JSON whitespace inside a row; a bare CR included (only LF ends an NDJSON line).
  const space = fc.constantFrom('', ' ', '\t', '\r', ' \r ');
  const row = fc.record({
    visit: fc.constantFrom(...visitTokens),
    time: fc.integer({ min: 1.6e12, max: 1.7e12 }),
    offset: fc.constantFrom('Z', '+02:00', '-05:30'),
    ws: fc.array(space, { minLength: 8, maxLength: 8 }),
  });
  const iso = (ms: number, offset: string) => {
    if (offset === 'Z') return new Date(ms).toISOString();
    const minutes = (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)));
    return new Date(ms + minutes * 60_000).toISOString().slice(0, -1) + offset;
  };
  const isLone = (token: string) => !(JSON.parse(token) as string).isWellFormed();

  it('dead-letters lone-surrogate visit_ids on both paths alike; keys are the visit_ids; verify passes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 60 }), async (rows) => {
        const caseDir = path.join(dir, `property-${run++}`);
        mkdirSync(caseDir);
        const texts = rows.map((r, n) => {
          const w = r.ws;
          return `{${w[0]}"visit_id"${w[1]}:${w[2]}${r.visit}${w[3]},${w[4]}"event_time"${w[5]}:${JSON.stringify(iso(r.time, r.offset))}${w[6]},"n":${n}${w[7]}}`;
        });
        const input = path.join(caseDir, 'in.ndjson');
        writeFileSync(input, texts.join('\n') + '\n');
        const outputs: { lines: string; letters: string[] }[] = [];
        for (const workers of ['1', '2']) {
          const out = path.join(caseDir, `out-${workers}.ndjson`);
          const dead = path.join(caseDir, `dead-${workers}.ndjson`);
          const result = await runCli('pipe.js', [input, '--workers', workers, '--output', out, '--dead-letter', dead]);
          expect(result.code, result.stderr).toBe(0);
          const letters = existsSync(dead)
            ? readFileSync(dead, 'utf8')
                .trimEnd()
                .split('\n')
                .map((l) => JSON.parse(l) as { reason: string; raw: string })
            : [];
          outputs.push({ lines: readFileSync(out, 'utf8'), letters: letters.map((l) => `${l.reason}|${l.raw}`).sort() });
        }
        expect(outputs[1]).toEqual(outputs[0]);
        const lone = rows.filter((r) => isLone(r.visit)).length;
        expect(outputs[0]!.letters.filter((l) => l.includes('lone surrogate'))).toHaveLength(lone);
        const lines = outputs[0]!.lines.split('\n').filter((l) => l !== '');
        expect(lines).toHaveLength(rows.length - lone);
        for (const line of lines) {
          const { key, value } = JSON.parse(line) as { key: string; value: { visit_id: string } };
          expect(key).toBe(value.visit_id);
          expect(key.isWellFormed()).toBe(true);
          // The value is the row exactly as read.
          expect(texts).toContain(line.slice(line.indexOf('"value":') + 8, -1));
        }
        const verify = await runCli('verify.js', ['--file', path.join(caseDir, 'out-1.ndjson'), '--expect', input]);
        expect(verify.code, verify.stdout).toBe(0);
        rmSync(caseDir, { recursive: true });
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe('a failed write to the output', () => {
  it('reports as delivered only what was written: nothing on a full device; one line names the output', async () => {
    const result = await runCli('pipe.js', [fixture, '--output', '/dev/full', '--dead-letter', path.join(dir, 'full-out.dead.ndjson')]);
    expect(result.code, result.stderr).toBe(1);
    const failed = JSON.parse(
      result.stderr
        .trim()
        .split('\n')
        .find((l) => l.includes('run failed'))!,
    ) as { msg: string; summary: { delivered: number; read: number } };
    expect(failed.summary.read).toBeGreaterThan(30);
    expect(failed.summary.delivered).toBe(0);
    expect(failed.msg).toMatch(/^run failed: cannot write the --output file \/dev\/full: ENOSPC/);
    expect(result.stderr).not.toMatch(/\n\s+at |"stack"/);
  });

  it('names stdout when it is the output that fails', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [path.join(DIST, 'pipe.js'), fixture, '--dead-letter', path.join(dir, 'full-stdout.dead.ndjson')], {
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/"msg":"run failed: cannot write stdout: ENOSPC/);
      expect(result.stderr).not.toMatch(/\n\s+at |"stack"/);
    } finally {
      closeSync(full);
    }
  });
});

describe('a Kafka broker that cannot be reached', () => {
  it('a refused connection ends the run with exit 1 within --connect-timeout, saying why', async () => {
    const started = Date.now();
    const result = await runCli('pipe.js', [fixture, '--brokers', '127.0.0.1:1', '--topic', 't', '--connect-timeout', '5']);
    expect(result.code, result.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toMatch(/cannot (use|reach) Kafka at 127\.0\.0\.1:1.*(ECONNREFUSED|within 5 s)/);
  });
});
