import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafkaBroker } from '../dist/kafka-local/broker.js';
import { missingPrerequisite } from '../dist/kafka-local/prerequisites.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const out = path.join(root, 'bench', 'out');
const TIME = '/usr/bin/time';

export function requireGnuTime() {
  if (!existsSync(TIME)) {
    console.error('the benchmarks need GNU time for peak RSS: apt-get install time');
    process.exit(1);
  }
  mkdirSync(out, { recursive: true });
}

/** GNU time's format for timeReport(): wall seconds, peak RSS in KiB, user and system CPU seconds (children waited for included). */
export const TIME_FORMAT = '%e %M %U %S';

/** A GNU time report written with TIME_FORMAT. */
export function timeReport(file) {
  const [wall, rssKb, user, system] = readFileSync(file, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, rssMiB: rssKb / 1024, cpu: user + system };
}

/** CPU seconds a process has used so far (Linux /proc; undefined elsewhere). */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, the 14th and 15th fields of the line, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Runs a command under GNU time; returns wall seconds, peak RSS in MiB, CPU seconds and its output. */
export function measure(label, command, args, env = {}) {
  const report = path.join(out, 'time.txt');
  const result = spawnSync(TIME, ['-f', TIME_FORMAT, '-o', report, command, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${label} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const run = { ...timeReport(report), stdout: result.stdout, stderr: result.stderr };
  console.error(`${label}: ${run.wall.toFixed(2)} s, ${run.rssMiB.toFixed(0)} MiB`);
  return run;
}

/** bin-packer's file run of `input` into the Kafka `topic` (with `args` besides), under GNU time as measure() runs it; its dead letters go to bench/out. */
export function measureToKafka(label, input, brokers, topic, args = []) {
  return measure(label, process.execPath, [
    'dist/pipe.js',
    input,
    ...args,
    '--brokers',
    brokers,
    '--topic',
    topic,
    '--dead-letter',
    path.join(out, 'dead.ndjson'),
  ]);
}

/** The generated input for a size, made once per bench run. */
export function generate(events) {
  const file = path.join(out, `events-${events}.ndjson`);
  if (!existsSync(file)) measure(`generate ${events}`, process.execPath, ['dist/cli/fixtures.js', '--events', String(events), '--seed', '1', '--out', file]);
  return file;
}

/** The Kafka benchmarks need GNU time, Java and Maven; without the latter they are skipped, saying why. */
export function requireKafkaBench(name) {
  requireGnuTime();
  const missing = missingPrerequisite();
  if (missing) {
    console.error(`${name} skipped: ${missing}`);
    process.exit(0);
  }
}

/** A local broker for one benchmark script, stopped on Ctrl-C (callers stop it in a finally). */
export async function startBenchBroker() {
  const broker = await startKafkaBroker();
  process.once('SIGINT', () => broker.stop().then(() => process.exit(130)));
  return broker;
}

/** The summary a bin-packer run logs with its "run complete" line on stderr. */
export function summaryOf(run) {
  return JSON.parse(
    run.stderr
      .trim()
      .split('\n')
      .find((line) => line.includes('"run complete"')),
  ).summary;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
