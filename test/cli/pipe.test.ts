import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEvents } from '../../src/fixtures/generate-events.js';
import { parsePipeArgs, runFiles, type PipeOptions } from '../../src/cli/pipe-args.js';
import { DIST, runCli, runSummary } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pipe-cli-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = new URL('../../fixtures/visits-sample.ndjson', import.meta.url).pathname;

interface Line {
  delivery_batch: number;
  key: string;
  value: { visit_id: string; event_time: string };
}

function isValidEvent(text: string): boolean {
  try {
    const e = JSON.parse(text);
    return (
      typeof e === 'object' &&
      e !== null &&
      !Array.isArray(e) &&
      typeof e.visit_id === 'string' &&
      e.visit_id !== '' &&
      typeof e.event_time === 'string' &&
      /([+-]\d\d:\d\d|Z)$/.test(e.event_time) &&
      !Number.isNaN(Date.parse(e.event_time))
    );
  } catch {
    return false;
  }
}

describe('node dist/pipe.js', () => {
  it("orders the bundled fixture: one event per visit per batch, a visit's events in increasing batches and time", async () => {
    const result = await runCli('pipe.js', [fixture, '--dead-letter', path.join(dir, 'dl-fixture.ndjson')]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines).toHaveLength(36);
    const byBatch = new Map<number, string[]>();
    for (const l of lines) byBatch.set(l.delivery_batch, [...(byBatch.get(l.delivery_batch) ?? []), l.key]);
    for (const keys of byBatch.values()) expect(new Set(keys).size).toBe(keys.length);
    const visits = new Map<string, Line[]>();
    for (const l of lines) visits.set(l.key, [...(visits.get(l.key) ?? []), l]);
    const withThree = [...visits.values()].filter((v) => v.length >= 3);
    expect(withThree.length).toBeGreaterThan(0);
    for (const events of visits.values()) {
      for (let i = 1; i < events.length; i++) {
        expect(events[i]!.delivery_batch).toBeGreaterThan(events[i - 1]!.delivery_batch);
        expect(Date.parse(events[i]!.value.event_time)).toBeGreaterThan(Date.parse(events[i - 1]!.value.event_time));
      }
    }
    // The value is the input line, byte for byte.
    const input = new Set(readFileSync(fixture, 'utf8').trimEnd().split('\n'));
    for (const line of result.stdout.trimEnd().split('\n')) expect(input.has(line.slice(line.indexOf('"value":') + 8, -1))).toBe(true);
    const summary = runSummary(result.stderr);
    expect(summary).toMatchObject({ read: 36, delivered: 36, deadLettered: 0, batches: 5, batchLowerBound: 5 });
  });

  it.each([1, 2])(
    '200k events with mixed offsets, one percent malformed and one percent missing fields, --workers %i: each valid event once, in order; exactly the bad rows dead-lettered',
    async (workers) => {
      const rows = [...generateEvents({ events: 200_000, seed: 13, timeOffsets: 'mixed', unprocessable: 0.01, missingFields: 0.01 })].map((r) => r.text);
      const input = path.join(dir, 'mixed.ndjson');
      const output = path.join(dir, `mixed-${workers}.out.ndjson`);
      const deadLetter = path.join(dir, `mixed-${workers}.dead.ndjson`);
      writeFileSync(input, rows.join('\n') + '\n');
      const result = await runCli('pipe.js', [
        input,
        '--output',
        output,
        '--dead-letter',
        deadLetter,
        '--sort-memory',
        '8MiB',
        '--max-batch-records',
        '5000',
        '--workers',
        String(workers),
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('');

      const valid = rows.filter(isValidEvent);
      const bad = rows.map((text, i) => ({ text, line: i + 1 })).filter((r) => !isValidEvent(r.text));
      expect(bad.length).toBeGreaterThan(3000);
      const delivered = readFileSync(output, 'utf8').trimEnd().split('\n');
      expect(delivered.map((l) => l.slice(l.indexOf('"value":') + 8, -1)).sort()).toEqual(valid.sort());
      const letters = readFileSync(deadLetter, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      // Parse rejects rows at once, validation a little later: the file holds them all, not in input order.
      expect(letters.map((l) => ({ text: l.raw, line: l.position.line })).sort((a, b) => a.line - b.line)).toEqual(bad);

      const last = new Map<string, { batch: number; time: number }>();
      for (const l of delivered.map((x) => JSON.parse(x) as Line)) {
        const time = Date.parse(l.value.event_time);
        const previous = last.get(l.key);
        if (previous) {
          expect(l.delivery_batch).toBeGreaterThan(previous.batch);
          expect(time).toBeGreaterThanOrEqual(previous.time);
        }
        last.set(l.key, { batch: l.delivery_batch, time });
      }
      const summary = runSummary(result.stderr);
      expect(summary.read).toBe(200_000);
      expect(summary.delivered + summary.deadLettered).toBe(200_000);
      expect(summary.spillRuns).toBeGreaterThan(1);
      expect(summary.sortWorkers).toBe(workers);
      expect(summary.deadLetterFile).toBe(deadLetter);
    },
  );

  it('fails with --max-invalid, and explains usage errors with exit 2', async () => {
    const bad = path.join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"visit_id":"a","event_time":1}\nnope\n{"visit_id":"a"}\n');
    const limited = await runCli('pipe.js', [bad, '--max-invalid', '1', '--dead-letter', path.join(dir, 'dl-limit.ndjson')]);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toContain('more than 1 invalid rows');
    expect((await runCli('pipe.js', [bad, '--max-invalid', '50%', '--dead-letter', path.join(dir, 'dl-pct.ndjson')])).code).toBe(1);
    expect((await runCli('pipe.js', [bad, '--max-invalid', '70%', '--dead-letter', path.join(dir, 'dl-pct2.ndjson')])).code).toBe(0);
    for (const args of [
      ['--sort-memory', 'lots'],
      ['--workers', '0'],
      ['--workers', 'many'],
      ['--bogus'],
      [path.join(dir, 'missing.ndjson')],
      ['--format', 'csv'],
      ['--topic', 't', '--brokers', 'b:1', '--connect-timeout', 'soon'],
      ['--topic', 't', '--brokers', 'b:1', '--delivery-timeout', '5 min'],
    ]) {
      const result = await runCli('pipe.js', args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      // One line that names the option (or file); --help has the rest.
      expect(result.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const help = await runCli('pipe.js', ['--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--dead-letter',
      '--max-invalid',
      '--dedupe',
      '--sort-memory',
      '--temp-dir',
      '--max-batch-records',
      '--max-batch-bytes',
      '--output',
      '--format',
      '--max-row-bytes',
      '--progress',
      '--workers',
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('checks the streaming flags: each needs --source kafka, which needs its topics and group', () => {
    const streaming = ['--source', 'kafka', '--brokers', 'b:1', '--input-topic', 'visits', '--group', 'g', '--topic', 'out'];
    expect(parsePipeArgs(streaming)).toMatchObject({
      streaming: { inputTopic: 'visits', groupId: 'g', triggerIntervalMs: 20_000, triggerEvents: undefined, late: 'deliver', startFrom: 'earliest' },
      kafka: { topic: 'out' },
    });
    expect(parsePipeArgs([...streaming, '--trigger-interval', '0.5', '--trigger-events', '100', '--late', 'dead-letter'])).toMatchObject({
      streaming: { triggerIntervalMs: 500, triggerEvents: 100, late: 'dead-letter' },
    });
    // Durations take units; a bare number is seconds.
    expect(
      parsePipeArgs([
        ...streaming,
        '--trigger-interval',
        '2s',
        '--late-state-ttl',
        '2h',
        '--session-timeout',
        '1m',
        '--shutdown-timeout',
        '1.5m',
        '--connect-timeout',
        '500ms',
        '--delivery-timeout',
        '3m',
      ]),
    ).toMatchObject({
      streaming: { triggerIntervalMs: 2000, lateStateAgeMs: 7_200_000, sessionTimeoutMs: 60_000, shutdownTimeoutMs: 90_000 },
      kafka: { deliveryTimeoutMs: 180_000, connectTimeoutMs: 500 },
    });
    expect(parsePipeArgs([...streaming, '--trigger-interval', '0.5'])).toMatchObject({ streaming: { triggerIntervalMs: 500 } });
    // Exactly once by default; the late state in a topic named after the group.
    expect(parsePipeArgs(streaming)).toMatchObject({
      streaming: { guarantee: 'exactly-once', transactionTimeoutMs: undefined, lateStateTopic: 'g.late-state' },
    });
    expect(parsePipeArgs([...streaming, '--group', 'a/b c'])).toMatchObject({ streaming: { lateStateTopic: 'a_b_c.late-state' } });
    expect(parsePipeArgs([...streaming, '--guarantee', 'exactly-once', '--transaction-timeout', '2m', '--late-state-topic', 'state'])).toMatchObject({
      streaming: { guarantee: 'exactly-once', transactionTimeoutMs: 120_000, lateStateTopic: 'state' },
    });
    expect(parsePipeArgs([...streaming, '--guarantee', 'at-least-once'])).toMatchObject({ streaming: { guarantee: 'at-least-once' } });
    // What the run checks before it starts: no stdin, and no dead-letter file when letters go to a topic.
    expect(runFiles(parsePipeArgs(streaming) as PipeOptions)).toEqual({
      inputs: [],
      outputs: [{ option: '--dead-letter', path: 'dead-letter.ndjson' }],
      tempDir: undefined,
    });
    expect(runFiles(parsePipeArgs([...streaming, '--dead-letter-topic', 'bad']) as PipeOptions).outputs).toEqual([]);
    const refused: [string[], RegExp][] = [
      [['in.ndjson', '--trigger-events', '5'], /--trigger-events needs --source kafka/],
      [streaming.filter((a) => a !== '--group' && a !== 'g'), /needs --group/],
      [streaming.filter((a) => a !== '--input-topic' && a !== 'visits'), /needs --input-topic/],
      [['--source', 'kafka', '--brokers', 'b:1', '--input-topic', 'visits', '--group', 'g'], /needs --topic, the output topic/],
      [[...streaming, 'file.ndjson'], /reads --input-topic, not files/],
      [[...streaming, '--trigger-interval', '0'], /positive duration such as 500ms, 20s, 2m or 1h/],
      [[...streaming, '--trigger-interval', '2 weeks'], /positive duration/],
      [[...streaming, '--session-timeout', '-3s'], /positive duration/],
      [[...streaming, '--late', 'drop'], /--late must be one of deliver, dead-letter/],
      [[...streaming, '--max-invalid', '5'], /file runs only/],
      [[...streaming, '--guarantee', 'twice'], /--guarantee must be one of exactly-once, at-least-once/],
      [[...streaming, '--guarantee', 'at-least-once', '--transaction-timeout', '1m'], /--transaction-timeout needs --guarantee exactly-once/],
      [[...streaming, '--client', 'kafkajs'], /runs on the default client/],
      [['in.ndjson', '--guarantee', 'exactly-once'], /--guarantee needs --source kafka/],
      // Letters or marks written into the input were read back as rows; into the output, mixed with its records.
      [[...streaming.slice(0, -1), 'visits'], /^--input-topic and --topic must differ: both name topic "visits"$/],
      [[...streaming, '--dead-letter-topic', 'visits'], /^--input-topic and --dead-letter-topic must differ/],
      [[...streaming, '--dead-letter-topic', 'out'], /^--topic and --dead-letter-topic must differ/],
      [[...streaming, '--late-state-topic', 'visits'], /^--input-topic and --late-state-topic must differ/],
      [[...streaming, '--dead-letter-topic', 'letters', '--late-state-topic', 'letters'], /^--dead-letter-topic and --late-state-topic must differ/],
      [
        [...streaming.slice(0, -1), 'g.late-state'],
        /^--topic and the late-state topic \(--late-state-topic, default <group>.late-state\) must differ: both name topic "g.late-state"$/,
      ],
    ];
    for (const [args, message] of refused) expect(() => parsePipeArgs(args), args.join(' ')).toThrow(message);
  });

  it('sorts stdin on worker threads: the same bytes and dead letters as the file, from a pipe or a redirected file, and a JSON array', async () => {
    const rows = [...generateEvents({ events: 60_000, seed: 21, timeOffsets: 'mixed', unprocessable: 0.01, missingFields: 0.01 })].map((r) => r.text);
    const input = path.join(dir, 'stdin-input.ndjson');
    writeFileSync(input, rows.join('\n') + '\n');
    const args = (name: string) => [
      '--output',
      path.join(dir, `${name}.out`),
      '--dead-letter',
      path.join(dir, `${name}.dead`),
      '--sort-memory',
      '40MiB',
      '--workers',
      '2',
    ];
    const run = async (name: string, stdin: 'pipe' | 'ignore' | number, feed?: Buffer) => {
      const child = spawn(process.execPath, [DIST + 'pipe.js', ...(name === 'file' ? [input] : []), ...args(name)], { stdio: [stdin, 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c));
      if (feed) child.stdin!.end(feed);
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code, stderr).toBe(0);
      const summary = runSummary(stderr);
      const letters = readFileSync(path.join(dir, `${name}.dead`), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { position: { source: string; offset: number } });
      return { output: readFileSync(path.join(dir, `${name}.out`), 'utf8'), summary, letters: letters.sort((a, b) => a.position.offset - b.position.offset) };
    };
    const file = await run('file', 'ignore');
    const piped = await run('piped', 'pipe', readFileSync(input));
    const fd = openSync(input, 'r');
    const redirected = await run('redirected', fd).finally(() => closeSync(fd));
    for (const fromStdin of [piped, redirected]) {
      expect(fromStdin.output).toBe(file.output);
      expect(fromStdin.summary).toMatchObject({ read: 60_000, delivered: file.summary.delivered, deadLettered: file.summary.deadLettered, sortWorkers: 2 });
      expect(fromStdin.letters).toEqual(file.letters.map((l) => ({ ...l, position: { ...l.position, source: 'stdin' } })));
    }
    expect(file.letters.length).toBeGreaterThan(1000);

    const array = await runCli('pipe.js', ['--workers', '2'], { input: '[{"visit_id":"v","event_time":2}, {"visit_id":"v","event_time":1}]' });
    expect(array.code, array.stderr).toBe(0);
    expect(
      array.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).value.event_time),
    ).toEqual([1, 2]);
  });

  it('stops at SIGINT while stdin is still open and silent: exit 130, spooled input removed', async () => {
    const tempDir = mkdtempSync(path.join(dir, 'spool-'));
    const child = spawn(process.execPath, [DIST + 'pipe.js', '--workers', '2', '--temp-dir', tempDir], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.stdin.write('{"visit_id":"a","event_time":1}\n');
    // Wait until the pipeline is copying stdin into its run directory.
    await new Promise<void>((resolve) => {
      const timer = setInterval(
        () => readdirSync(tempDir, { recursive: true }).some((f) => String(f).endsWith('stdin')) && (clearInterval(timer), resolve()),
        20,
      );
    });
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    expect(readdirSync(tempDir)).toEqual([]);
    child.stdin.destroy();
  });

  it('reads stdin and writes the dead-letter file named in the summary by default', async () => {
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    const child = spawn(process.execPath, [DIST + 'pipe.js'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.stdin.end('{"visit_id":"a","event_time":"2024-01-01T00:00:00Z"}\n{oops\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(readFileSync(path.join(cwd, 'dead-letter.ndjson'), 'utf8')).toContain('"raw":"{oops"');
    expect(stderr).toContain('dead-letter.ndjson');
  });

  const bigInput = () => {
    const input = path.join(dir, 'big.ndjson');
    writeFileSync(input, [...generateEvents({ events: 300_000, seed: 2 })].map((r) => r.text).join('\n'));
    return input;
  };
  /** Resolves once the run has spilled a few sorted runs under tempDir. */
  const spilled = (tempDir: string) =>
    new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (readdirSync(tempDir, { recursive: true }).filter((f) => String(f).endsWith('.bin')).length > 2) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });

  it('SIGINT: stops, removes its temp files and exits 130', async () => {
    const tempDir = mkdtempSync(path.join(dir, 'sigint-'));
    const child = spawn(
      process.execPath,
      [DIST + 'pipe.js', bigInput(), '--sort-memory', '2MiB', '--temp-dir', tempDir, '--output', path.join(dir, 'big.out')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    await spilled(tempDir);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(readdirSync(tempDir)).toEqual([]);
    expect(stderr).toContain('interrupted');
  });

  it('removes the run directory even when the pipeline process is killed outright', async () => {
    const tempDir = mkdtempSync(path.join(dir, 'sigkill-'));
    const launcher = spawn(
      process.execPath,
      [DIST + 'pipe.js', bigInput(), '--sort-memory', '2MiB', '--temp-dir', tempDir, '--output', path.join(dir, 'big2.out')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    launcher.stderr.on('data', (c: Buffer) => (stderr += c));
    await spilled(tempDir);
    // The launcher runs the pipeline in a child with a sized heap; kill that child as an OOM abort would end it.
    const worker = Number(
      spawnSync('pgrep', ['-P', String(launcher.pid)], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')[0],
    );
    expect(worker).toBeGreaterThan(0);
    process.kill(worker, 'SIGKILL');
    const code = await new Promise((resolve) => launcher.on('close', resolve));
    expect(code).toBe(1);
    expect(readdirSync(tempDir)).toEqual([]);
    expect(stderr).toContain('the pipeline process died (SIGKILL)');
  });

  it('runs the pipeline with two malloc arenas unless the user chose a number', async () => {
    /** MALLOC_ARENA_MAX as the pipeline process (the launcher's child) sees it. */
    const childArenas = async (env: NodeJS.ProcessEnv) => {
      const launcher = spawn(process.execPath, [DIST + 'pipe.js', '--dead-letter', path.join(dir, 'dl-arenas.ndjson')], {
        env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      let child = 0;
      while (!child && launcher.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        child = Number(
          spawnSync('pgrep', ['-P', String(launcher.pid)], { encoding: 'utf8' })
            .stdout.trim()
            .split('\n')[0],
        );
      }
      expect(child, 'the launcher started no pipeline process').toBeGreaterThan(0);
      const environ = readFileSync(`/proc/${child}/environ`, 'latin1').split('\0');
      launcher.stdin.end();
      await new Promise((resolve) => launcher.on('close', resolve));
      return environ.find((entry) => entry.startsWith('MALLOC_ARENA_MAX='));
    };
    const { MALLOC_ARENA_MAX: _unset, ...env } = process.env;
    expect(await childArenas(env)).toBe('MALLOC_ARENA_MAX=2');
    expect(await childArenas({ ...env, MALLOC_ARENA_MAX: '8' })).toBe('MALLOC_ARENA_MAX=8');
  });

  it('ends quietly with exit 0 when its reader closes stdout early', async () => {
    const child = spawn(process.execPath, [DIST + 'pipe.js', path.join(dir, 'mixed.ndjson'), '--dead-letter', path.join(dir, 'dl-head.ndjson')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/"level":(50|60)/);
  });
});
