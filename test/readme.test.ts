import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST } from './helpers/cli.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  const section = readme.slice(readme.indexOf('## Embedding a stage'), readme.indexOf('## Benchmarks'));
  const examples = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

  /** Runs an example as written, with the package's entry points resolved to dist/. */
  function run(code: string): { status: number | null; stdout: string; stderr: string; dir: string } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'readme-'));
    const file = path.join(dir, 'example.mjs');
    const resolved = code
      .replace(/from 'bin-packer\/(\w+)'/g, (_, entry: string) => `from '${DIST}api/${entry}.js'`)
      .replace("from 'bin-packer'", `from '${DIST}index.js'`)
      .replace("'fixtures/", `'${path.join(DIST, '..', 'fixtures')}/`);
    writeFileSync(file, resolved);
    const result = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: dir });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, dir };
  }

  it('the binPack example runs as written, with workers, and writes what the CLI writes', () => {
    const result = run(examples[0]!);
    try {
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('36 delivered, 0 dead-lettered');
      const cli = spawnSync(process.execPath, [DIST + 'pipe.js', path.join(DIST, '..', 'fixtures', 'visits-sample.ndjson')], { encoding: 'utf8' });
      expect(readFileSync(path.join(result.dir, 'delivery.ndjson'), 'utf8')).toBe(cli.stdout);
    } finally {
      rmSync(result.dir, { recursive: true, force: true });
    }
  });

  it('the single-stage example runs as written and prints what its comment says', () => {
    const result = run(examples[1]!);
    try {
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('1 [ \'{"visit_id":"a","event_time":"2024-01-01T05:00:00+02:00"}\' ]');
      expect(result.stdout).toContain('2 [ \'{"visit_id":"a","event_time":"2024-01-01T04:00:00+00:00"}\' ]');
    } finally {
      rmSync(result.dir, { recursive: true, force: true });
    }
  });

  it('quick start runs the bundled fixture', () => {
    expect(readme).toContain('npm ci && node dist/pipe.js fixtures/visits-sample.ndjson\nnpm test\n');
  });
});
