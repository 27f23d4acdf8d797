// npm run bench: the CLI against an embedder's pipeline of the exported stage (binPack, with
// workers), on the same 1M events, in interleaved rounds: same bytes out, wall time and peak RSS.
//   BENCH_EMBED_EVENTS=1000000 BENCH_ROUNDS=3 node bench/embedded.mjs
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { generate, measure, out, requireGnuTime } from './measure.mjs';
import { writeResultsSection } from './results-file.mjs';

const events = Number(process.env.BENCH_EMBED_EVENTS ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
requireGnuTime();
const input = generate(events);
const outputs = { cli: path.join(out, 'embed-cli.ndjson'), embedded: path.join(out, 'embed-pipeline.ndjson') };
const runs = { cli: [], embedded: [] };
for (let round = 0; round < rounds; round++) {
  runs.cli.push(measure('CLI', process.execPath, ['dist/pipe.js', input, '--output', outputs.cli, '--dead-letter', path.join(out, 'embed-cli.dead')]));
  runs.embedded.push(
    measure('embedded pipeline', process.execPath, ['bench/embedded-pipeline.mjs', input, outputs.embedded, path.join(out, 'embed-pipeline.dead')]),
  );
}
const identical = readFileSync(outputs.cli).equals(readFileSync(outputs.embedded));
if (!identical) throw new Error('the CLI and the embedded pipeline wrote different bytes');
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const row = (name, label) => {
  const wall = median(runs[name].map((r) => r.wall));
  const rss = median(runs[name].map((r) => r.rssMiB));
  return { label, wall, rss, all: runs[name].map((r) => r.wall.toFixed(2)).join(', ') };
};
const cli = row('cli', '`node dist/pipe.js FILE --output OUT`');
const embedded = row('embedded', "`pipeline(binPack({ input: createReadStream(FILE), workers: 'auto' }), createWriteStream(OUT))`");
const lines = [
  "## The CLI and an embedder's pipeline",
  '',
  `Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}: ${events.toLocaleString('en-US')} generated events (\`--seed 1\`), medians of ${rounds} interleaved rounds; the embedder's script is \`bench/embedded-pipeline.mjs\` (the README's example, importing \`bin-packer\`). Outputs byte-identical: ${identical ? 'yes' : 'no'}. Reproduce: \`node bench/embedded.mjs\` after \`npm run build\`.`,
  '',
  '| run | wall s (median) | rounds | × CLI | peak RSS MiB |',
  '|---|---:|---|---:|---:|',
  ...[cli, embedded].map((r) => `| ${r.label} | ${r.wall.toFixed(2)} | ${r.all} | ${(r.wall / cli.wall).toFixed(2)} | ${r.rss.toFixed(0)} |`),
  '',
  "The CLI relaunches itself with a heap sized from its budgets; the embedder's process runs with Node's defaults.",
];
writeResultsSection('embedded', lines.join('\n'));
for (const file of Object.values(outputs)) rmSync(file, { force: true });
console.log(lines.join('\n'));
