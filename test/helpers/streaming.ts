// Streaming-mode test helpers: instances of `pipe.js --source kafka` in their own process
// groups, events produced as users would, and the output checked as verify checks it.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateEvents, type FixtureOptions } from '../../src/fixtures/generate-events.js';
import { toVisitEvent } from '../../src/stages/validate/validate-row.js';
import { digest, OrderChecker, type VerifyReport } from '../../src/verify/order-checker.js';
import type { Isolation } from '../../src/kafka/port.js';
import { DIST } from './cli.js';
import { brokers, readTopic, testKafka } from './kafka.js';

/** Every instance started, so that a test failing midway leaves none running: kill them in afterEach. */
/** A streaming instance's topics and group, as its arguments. */
export function jobTopics(input: string, output: string, group: string): string[] {
  return ['--input-topic', input, '--topic', output, '--group', group];
}

export const started = new Set<ChildProcess>();

export function killStarted(): void {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  started.clear();
}

const kafka = brokers ? testKafka() : undefined;

/** A running `pipe.js --source kafka` in its own process group, so SIGKILL takes the whole of it. */
export interface Instance {
  child: ChildProcess;
  stderr: () => string;
  /** Sum of `read` over the micro-batch lines logged so far. */
  read: () => number;
  exited: Promise<number | null>;
}

export function startInstance(args: string[], tempDir: string, env: NodeJS.ProcessEnv = process.env): Instance {
  const child = spawn(process.execPath, [DIST + 'pipe.js', '--source', 'kafka', '--brokers', brokers, '--temp-dir', tempDir, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    env,
  });
  started.add(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const read = () =>
    stderr
      .split('\n')
      .filter((line) => line.includes('"microBatch"'))
      .reduce((n, line) => n + (JSON.parse(line) as { microBatch: { read: number } }).microBatch.read, 0);
  return { child, stderr: () => stderr, read, exited };
}

export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Produces rows as the generator's users would: key visit_id (none for rows without one). */
export async function produce(topic: string, rows: string[], pauseMs = 0): Promise<void> {
  const producer = kafka!.producer();
  await producer.connect();
  try {
    for (let i = 0; i < rows.length; i += 1000) {
      const messages = rows.slice(i, i + 1000).map((text) => ({ key: /"visit_id": "([^"]+)"/.exec(text)?.[1] ?? null, value: text }));
      await producer.send({ topic, acks: -1, messages });
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  } finally {
    await producer.disconnect();
  }
}

export function fixtureRows(options: FixtureOptions): string[] {
  return [...generateEvents(options)].map((row) => row.text);
}

export function isValid(text: string): boolean {
  try {
    return typeof toVisitEvent({ text, value: JSON.parse(text), position: { source: 't', offset: 0 } }, 0) !== 'string';
  } catch {
    return false;
  }
}

/** verify's checks over the whole output topic, against the valid rows expected in it. */
export async function checkTopic(topic: string, expectedRows: string[], isolation: Isolation = 'read_committed'): Promise<VerifyReport> {
  const expected = new Map<string, number>();
  for (const text of expectedRows.filter(isValid)) expected.set(digest(text), (expected.get(digest(text)) ?? 0) + 1);
  const checker = new OrderChecker(expected);
  await readTopic(topic, (record) => checker.add(record), 'platformatic', isolation);
  return checker.report();
}

/** The partitions of an instance's latest assignment, from its log. */
export function lastAssignment(stderr: string): number[] {
  const line = stderr
    .split('\n')
    .filter((l) => l.includes('"partitions assigned"'))
    .at(-1);
  return line ? (JSON.parse(line) as { partitions: number[] }).partitions : [];
}
