// npm run bench: peak RSS and wall time of the default file run (no --workers) on hostile data,
// against a run of well-formed events of the same count in the same script run. Issue 14's
// targets: a file of 90% invalid rows and a file holding one visit of 250k events each stay
// at or under 256 MB of peak RSS, with every row accounted for. Writes bench/RESULTS.md.
//   BENCH_HOSTILE_EVENTS=1000000 BENCH_LONG_VISIT=250000 BENCH_ROUNDS=3 node bench/hostile-memory.mjs
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { measure, out, requireGnuTime, summaryOf } from './measure.mjs';
import { writeResultsSection } from './results-file.mjs';

const events = Number(process.env.BENCH_HOSTILE_EVENTS ?? 1_000_000);
const longVisit = Number(process.env.BENCH_LONG_VISIT ?? 250_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_MIB = 256 / 1.048576; // 256 MB
requireGnuTime();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fixture = (name, args) => {
  const file = path.join(out, `${name}.ndjson`);
  measure(`generate ${name}`, process.execPath, ['dist/cli/fixtures.js', ...args, '--seed', '7', '--out', file]);
  return file;
};

const baselineFile = fixture('baseline', ['--events', String(events)]);
const badTimeFile = path.join(out, 'bad-time.ndjson');
const fd = openSync(badTimeFile, 'w');
spawnSync('sed', ['s/"event_time": "/"event_time": "x/', baselineFile], { stdio: ['ignore', fd, 'inherit'] });
closeSync(fd);
const inputs = {
  'well-formed events (baseline)': baselineFile,
  '90% unprocessable rows': fixture('unprocessable', ['--events', String(events), '--unprocessable', '0.9']),
  'every event_time invalid': badTimeFile,
  [`one visit of ${longVisit} events`]: fixture('long-visit', ['--events', String(longVisit), '--visits', '1']),
};

const results = Object.fromEntries(Object.keys(inputs).map((name) => [name, { wall: [], rss: [], summary: undefined }]));
for (let round = 0; round < rounds; round++) {
  for (const [name, input] of Object.entries(inputs)) {
    const run = measure(`${name} (round ${round + 1})`, process.execPath, [
      'dist/pipe.js',
      input,
      '--output',
      path.join(out, 'out.ndjson'),
      '--dead-letter',
      path.join(out, 'dead.ndjson'),
    ]);
    const summary = summaryOf(run);
    if (summary.read !== summary.delivered + summary.deadLettered + summary.deduplicated) throw new Error(`${name}: counts do not add up`);
    results[name].wall.push(run.wall);
    results[name].rss.push(run.rssMiB);
    results[name].summary = summary;
  }
}

const baseline = results['well-formed events (baseline)'];
const lines = [
  `## Hostile data, default file run (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, medians of ${rounds} rounds)`,
  '',
  `Peak RSS is GNU time's maximum resident set of the run's largest process; the target is ≤ 256 MB (${TARGET_MIB.toFixed(0)} MiB).`,
  '',
  '| input | rows | delivered | dead-lettered | wall s | × baseline wall | peak RSS MiB | × baseline RSS | ≤ 256 MB |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---|',
];
for (const [name, result] of Object.entries(results)) {
  const wall = median(result.wall);
  const rss = Math.max(...result.rss);
  const s = result.summary;
  lines.push(
    `| ${name} | ${s.read} | ${s.delivered} | ${s.deadLettered} | ${wall.toFixed(2)} | ${(wall / median(baseline.wall)).toFixed(2)} | ${rss.toFixed(0)} | ${(rss / Math.max(...baseline.rss)).toFixed(2)} | ${rss <= TARGET_MIB ? 'yes' : 'NO'} |`,
  );
}
writeResultsSection('hostile-memory', lines.join('\n'));
rmSync(out, { recursive: true, force: true });
console.log(lines.join('\n'));
