import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST } from './helpers/cli.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('the "Embedding a stage" example runs as written and prints what its comment says', () => {
    const section = readme.slice(readme.indexOf('## Embedding a stage'));
    const code = /```js\n([\s\S]*?)```/.exec(section)![1]!;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'readme-'));
    try {
      const file = path.join(dir, 'example.mjs');
      writeFileSync(file, code.replace("from 'bin-packer'", `from '${DIST}index.js'`));
      const result = spawnSync(process.execPath, [file], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain("1 [ '{\"visit_id\":\"a\",\"event_time\":\"2024-01-01T05:00:00+02:00\"}' ]");
      expect(result.stdout).toContain("2 [ '{\"visit_id\":\"a\",\"event_time\":\"2024-01-01T04:00:00+00:00\"}' ]");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quick start runs the bundled fixture', () => {
    expect(readme).toContain('npm ci && node dist/pipe.js fixtures/visits-sample.ndjson\nnpm test\n');
  });
});
