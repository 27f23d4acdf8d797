// npm run bench: bin-packer's peak RSS and wall time as the input grows from 1M to 10M events
// (the default file run), against its own 1M figures in the same script run. Memory must stay
// flat however large the input. Writes bench/RESULTS.md.
//   BENCH_SCALING_EVENTS=1000000,2000000,5000000,10000000 node bench/rss-scaling.mjs
import { rmSync } from 'node:fs';
import path from 'node:path';
import { measure, out, requireGnuTime } from './measure.mjs';
import { writeResultsSection } from './results-file.mjs';

const sizes = (process.env.BENCH_SCALING_EVENTS ?? '1000000,2000000,5000000,10000000').split(',').map(Number);
requireGnuTime();

const rows = [];
for (const events of sizes) {
  const input = path.join(out, `scaling-${events}.ndjson`);
  measure(`generate ${events}`, process.execPath, ['dist/cli/fixtures.js', '--events', String(events), '--seed', '1', '--out', input]);
  const run = measure(`bin-packer ${events}`, process.execPath, [
    'dist/pipe.js',
    input,
    '--output',
    path.join(out, 'scaling.out'),
    '--dead-letter',
    path.join(out, 'scaling.dead'),
  ]);
  rows.push({ events, wall: run.wall, rss: run.rssMiB });
  rmSync(input);
  rmSync(path.join(out, 'scaling.out'), { force: true });
}

const first = rows[0];
const lines = [
  '## Peak RSS as the input grows',
  '',
  `Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}: the default file run (\`node dist/pipe.js FILE --output OUT\`) on generated events (\`--seed 1\`), one run per size. Reproduce: \`node bench/rss-scaling.mjs\` after \`npm run build\`.`,
  '',
  '| events | wall s | events/s | × 1M events/s | peak RSS MiB | × 1M RSS |',
  '|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.events.toLocaleString('en-US')} | ${r.wall.toFixed(2)} | ${Math.round(r.events / r.wall).toLocaleString('en-US')} | ${(r.events / r.wall / (first.events / first.wall)).toFixed(2)} | ${r.rss.toFixed(0)} | ${(r.rss / first.rss).toFixed(2)} |`,
  ),
];
writeResultsSection('rss-scaling', lines.join('\n'));
rmSync(out, { recursive: true, force: true });
console.log(lines.join('\n'));
