import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST } from './helpers/cli.js';
import { readmeExample, runExample } from './helpers/readme-examples.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('the binPack example runs as written, with workers, and writes what the CLI writes', () => {
    const result = runExample(readmeExample('createWriteStream'));
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
    const result = runExample(readmeExample('sortEvents('));
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
