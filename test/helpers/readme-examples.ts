import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST } from './cli.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Embedding a stage'), readme.indexOf('## Benchmarks'));
const examples = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The "Embedding a stage" example that contains `text`. */
export function readmeExample(text: string): string {
  const found = examples.filter((code) => code.includes(text));
  if (found.length !== 1) throw new Error(`${found.length} README examples contain ${text}`);
  return found[0]!;
}

/** Runs an example as written, in a directory of its own, with the package's entry points resolved to dist/. */
export function runExample(code: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  const file = path.join(dir, 'example.mjs');
  const resolved = code
    .replace(/from 'bin-packer\/(\w+)'/g, (_, entry: string) => `from '${DIST}api/${entry}.js'`)
    .replace("from 'bin-packer'", `from '${DIST}index.js'`)
    .replace("'fixtures/", `'${path.join(DIST, '..', 'fixtures')}/`);
  writeFileSync(file, resolved);
  const result = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: dir, env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, dir };
}
