// npm run bench: the file pipeline against GNU sort and DuckDB on the same generated events,
// in one script run, so the ratios hold on a noisy shared machine. Writes bench/RESULTS.md.
//   BENCH_EVENTS=1000000 BENCH_LARGE_EVENTS=5000000 BENCH_ROUNDS=3 npm run bench
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate, measure, out, requireGnuTime, root } from './measure.mjs';
import { writeResultsSection } from './results-file.mjs';

const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const largeEvents = Number(process.env.BENCH_LARGE_EVENTS ?? 5_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
requireGnuTime();

// DuckDB is installed here on first use, not as a devDependency: the registry this project's
// machines reach serves only some of its per-platform binding packages, so a lock file naming
// it cannot pass `npm ci` everywhere.
const DUCKDB_VERSION = '1.5.6-r.1';
const duckdbPrefix = path.join(root, 'bench', '.duckdb');
function duckdbModule() {
  const resolve = () => createRequire(path.join(duckdbPrefix, 'noop.js')).resolve('@duckdb/node-api');
  try {
    return pathToFileURL(resolve()).href;
  } catch {
    console.error(`installing @duckdb/node-api@${DUCKDB_VERSION} into bench/.duckdb for the baseline`);
    mkdirSync(duckdbPrefix, { recursive: true });
    execFileSync('npm', ['install', '--prefix', duckdbPrefix, '--no-save', '--no-package-lock', '--loglevel=warn', `@duckdb/node-api@${DUCKDB_VERSION}`], {
      stdio: 'inherit',
    });
    return pathToFileURL(resolve()).href;
  }
}
const DUCKDB_NODE_API = duckdbModule();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = path.join(out, 'tmp');
mkdirSync(tmp, { recursive: true });

const contenders = {
  'bin-packer (node dist/pipe.js)': (input) => [
    process.execPath,
    ['dist/pipe.js', input, '--output', path.join(out, 'bin-packer.out'), '--dead-letter', path.join(out, 'dead.ndjson'), '--temp-dir', tmp],
  ],
  'GNU sort -S 64M --parallel=1 (LC_ALL=C)': (input) => [
    'sort',
    ['-S', '64M', '--parallel=1', '-T', tmp, input, '-o', path.join(out, 'gnu-sort.out')],
    { LC_ALL: 'C' },
  ],
  'DuckDB read_json ORDER BY COPY': (input) => [process.execPath, ['bench/duckdb-sort.mjs', input, path.join(out, 'duckdb.out'), tmp], { DUCKDB_NODE_API }],
};

const input = generate(events);
const results = {};
for (let round = 0; round < rounds; round++) {
  // Interleaved rounds: a noisy neighbour slows every contender alike.
  for (const [name, make] of Object.entries(contenders)) {
    const [command, args, env] = make(input);
    (results[name] ??= []).push(measure(`${name} round ${round + 1}`, command, args, env));
  }
}
let large;
if (largeEvents > 0) {
  const largeInput = generate(largeEvents);
  const [command, args] = contenders['bin-packer (node dist/pipe.js)'](largeInput);
  large = measure(`bin-packer ${largeEvents}`, command, args);
  rmSync(largeInput, { force: true });
}

const summary = Object.fromEntries(
  Object.entries(results).map(([name, runs]) => [
    name,
    {
      wall: median(runs.map((r) => r.wall)),
      min: Math.min(...runs.map((r) => r.wall)),
      max: Math.max(...runs.map((r) => r.wall)),
      rssMiB: Math.max(...runs.map((r) => r.rssMiB)),
    },
  ]),
);
const ours = summary['bin-packer (node dist/pipe.js)'];
const gnu = summary['GNU sort -S 64M --parallel=1 (LC_ALL=C)'];
const duck = summary['DuckDB read_json ORDER BY COPY'];
const mb = (statSync(input).size / 2 ** 20).toFixed(0);
const cpu = (os.cpus()[0]?.model ?? 'unknown CPU').trim();
const lines = [
  '## File pipeline against GNU sort and DuckDB',
  '',
  `Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, a shared and noisy machine: compare ratios from one run, not absolute seconds across runs.`,
  `Input: ${events.toLocaleString('en-US')} generated events (\`npm run fixtures -- --events ${events} --seed 1\`), ${mb} MiB of NDJSON. Median wall time of ${rounds} interleaved rounds (min–max), peak RSS the largest seen. Reproduce: \`npm run bench\`.`,
  '',
  '| contender | wall s (median) | min–max | × GNU sort | × DuckDB | peak RSS MiB |',
  '|---|---:|---:|---:|---:|---:|',
  ...Object.entries(summary).map(
    ([name, s]) =>
      `| ${name} | ${s.wall.toFixed(2)} | ${s.min.toFixed(2)}–${s.max.toFixed(2)} | ${(s.wall / gnu.wall).toFixed(2)} | ${(s.wall / duck.wall).toFixed(2)} | ${s.rssMiB.toFixed(0)} |`,
  ),
  '',
  'GNU sort orders whole lines as bytes (no JSON); DuckDB parses JSON into columns and writes them back (values not byte-identical). bin-packer parses and validates every row, sorts by the event-time instant, packs delivery batches and writes the original bytes.',
  '',
  '### Against the targets',
  '',
  `| target | measured | met |`,
  `|---|---|---|`,
  `| wall time ≤ DuckDB's | ${ours.wall.toFixed(2)} s vs ${duck.wall.toFixed(2)} s (${(ours.wall / duck.wall).toFixed(2)}×) | ${ours.wall <= duck.wall ? 'yes' : 'no'} |`,
  `| wall time ≤ 2× GNU sort's | ${(ours.wall / gnu.wall).toFixed(2)}× | ${ours.wall <= 2 * gnu.wall ? 'yes' : 'no'} |`,
  `| peak RSS ≤ 200 MB at ${events.toLocaleString('en-US')} events | ${ours.rssMiB.toFixed(0)} MiB | ${ours.rssMiB * 1.048576 <= 200 ? 'yes' : 'no'} |`,
  ...(large
    ? [
        `| peak RSS flat from ${events.toLocaleString('en-US')} to ${largeEvents.toLocaleString('en-US')} events | ${ours.rssMiB.toFixed(0)} → ${large.rssMiB.toFixed(0)} MiB (${large.wall.toFixed(1)} s for ${largeEvents.toLocaleString('en-US')}) | ${large.rssMiB <= ours.rssMiB * 1.15 ? 'yes' : 'no'} |`,
      ]
    : []),
  '',
];
writeResultsSection('file-pipeline', lines.join('\n'));
rmSync(out, { recursive: true, force: true });
console.log(lines.join('\n'));
