// node bench/scan-fields.mjs: the sort workers' row scan, in JS (scanFields) and in WebAssembly
// (WasmFieldScanner), over the same generated rows in the same process, read in 1 MiB blocks
// into the module's memory as the workers do. Prints ms per 100 MB (median of 7) and the ratio.
//   BENCH_EVENTS=220000 node bench/scan-fields.mjs
import { readFileSync } from 'node:fs';
import { scanFields } from '../dist/stages/parse/scan-event-fields.js';
import { WASM_BLOCK_BYTES, WasmFieldScanner } from '../dist/stages/parse/wasm-field-scanner.js';
import { generate, requireGnuTime } from './measure.mjs';

requireGnuTime();
const data = readFileSync(generate(Number(process.env.BENCH_EVENTS ?? 220_000)));
const scanner = new WasmFieldScanner();
// Blocks cut at line ends, each with its lines' [start, end) pairs.
const blocks = [];
for (let at = 0; at < data.length;) {
  const end = data.lastIndexOf(10, Math.min(at + WASM_BLOCK_BYTES, data.length) - 1) + 1;
  if (end <= at) break;
  const bytes = data.subarray(at, end);
  const lines = [];
  for (let start = 0, i = bytes.indexOf(10); i !== -1; start = i + 1, i = bytes.indexOf(10, i + 1)) lines.push(start, i);
  blocks.push({ bytes, lines });
  at = end;
}
const view = scanner.block;
function pass(scan) {
  let accepted = 0;
  for (const { bytes, lines } of blocks) {
    bytes.copy(view);
    for (let k = 0; k < lines.length; k += 2) if (scan(view, lines[k], lines[k + 1])) accepted++;
  }
  return accepted;
}
const contenders = { 'copy into the block only': () => true, 'JS scanFields': scanFields, 'WebAssembly scanner': scanner.scan };
const results = {};
for (const scan of Object.values(contenders)) pass(scan);
for (let round = 0; round < 7; round++) {
  for (const [name, scan] of Object.entries(contenders)) {
    const start = performance.now();
    const accepted = pass(scan);
    (results[name] ??= []).push(performance.now() - start);
    if (name !== 'copy into the block only' && accepted !== blocks.reduce((n, b) => n + b.lines.length / 2, 0))
      throw new Error(`${name} declined generated rows`);
  }
}
const per100MB = (ms) => (ms * 100 * 2 ** 20) / data.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [name, times] of Object.entries(results)) console.log(`${name.padEnd(26)} ${per100MB(median(times)).toFixed(1).padStart(7)} ms / 100 MB`);
console.log(`WebAssembly ÷ JS: ${(median(results['WebAssembly scanner']) / median(results['JS scanFields'])).toFixed(2)}`);
