// npm run bench (last): SVG charts of the tables the benchmarks wrote into bench/RESULTS.md,
// rendered with vega-lite and vega's SVG renderer (no browser), into bench/charts/, and a
// section of RESULTS.md that shows them. Run alone after any benchmark: node bench/charts.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { writeResultsSection } from './results-file.mjs';

const RESULTS = fileURLToPath(new URL('RESULTS.md', import.meta.url));
const CHARTS = fileURLToPath(new URL('charts/', import.meta.url));

/** The first markdown table of a section of RESULTS.md, as objects keyed by its header cells. */
function table(section) {
  const text = readFileSync(RESULTS, 'utf8');
  const start = text.indexOf(`<!-- ${section}:start -->`);
  const end = text.indexOf(`<!-- ${section}:end -->`);
  if (start === -1 || end === -1) return undefined;
  const all = text.slice(start, end).split('\n');
  const first = all.findIndex((line) => line.startsWith('|'));
  if (first === -1) return undefined;
  const after = all.slice(first).findIndex((line) => !line.startsWith('|'));
  const lines = all.slice(first, after === -1 ? undefined : first + after);
  const cells = (line) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
  const header = cells(lines[0]);
  return lines.slice(2).map((line) => Object.fromEntries(cells(line).map((cell, i) => [header[i], cell])));
}

const number = (cell) => Number(String(cell).replace(/[,\s]/g, ''));

async function render(name, spec) {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  writeFileSync(`${CHARTS}${name}.svg`, await view.toSVG());
  view.finalize();
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 560, config: { font: 'sans-serif', axis: { labelLimit: 0 } } };
mkdirSync(CHARTS, { recursive: true });
const shown = [];

/** Horizontal bars of `value` per `label`, bin-packer's own bars highlighted. */
function barChart(title, values, axisTitle) {
  return {
    ...base,
    title,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: '-x', title: null },
      x: { field: 'value', type: 'quantitative', title: axisTitle },
      color: { condition: { test: "indexof(datum.label, 'bin-packer') === 0", value: '#d95f02' }, value: '#7570b3' },
    },
  };
}

const file = table('file-pipeline');
if (file) {
  const values = file.map((row) => ({ label: row.contender, value: number(row['wall s (median)']) }));
  await render('file-pipeline', barChart('File pipeline, 1M events: median wall time (s), lower is better', values, 'wall seconds'));
  shown.push(['file-pipeline', 'File pipeline against GNU sort and DuckDB']);
}

const kafka = table('kafka');
if (kafka) {
  const values = kafka.filter((row) => number(row['records/s']) > 0).map((row) => ({ label: row.producer, value: number(row['records/s']) }));
  await render('kafka-delivery', barChart('File → Kafka, 1M events, acks=all: records/s, higher is better', values, 'records per second'));
  shown.push(['kafka-delivery', 'Kafka delivery against the raw clients, Java and kcat']);
}

const scaling = table('rss-scaling');
if (scaling) {
  await render('rss-scaling', {
    ...base,
    title: 'Peak RSS of the default file run as the input grows',
    data: { values: scaling.map((row) => ({ events: number(row.events), rss: number(row['peak RSS MiB']) })) },
    layer: [
      {
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'events', type: 'quantitative', title: 'events' },
          y: { field: 'rss', type: 'quantitative', title: 'peak RSS (MiB)', scale: { zero: true } },
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 4], color: '#999' }, encoding: { y: { datum: 200 / 1.048576 } } },
    ],
  });
  shown.push(['rss-scaling', 'Peak RSS from 1M to 10M events (dashed: 200 MB)']);
}

writeResultsSection('charts', ['## Charts', '', ...shown.map(([name, caption]) => `![${caption}](charts/${name}.svg)\n\n*${caption}.*\n`)].join('\n'));
console.log(`charts: ${shown.map(([name]) => `bench/charts/${name}.svg`).join(', ')}`);
