import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DIST } from './helpers/cli.js';

const ENTRY_POINTS = ['index.js', 'api/stages.js', 'api/kafka.js', 'api/streaming.js'];

describe('the public API', () => {
  it('is four entry points of about 25 values, without internals, dev tooling or module state, and importing them has no side effects', () => {
    const script = `
      const names = new Set();
      for (const entry of ${JSON.stringify(ENTRY_POINTS)}) for (const name of Object.keys(await import(${JSON.stringify(DIST)} + entry))) names.add(name);
      console.log(JSON.stringify({ names: [...names].sort(), resources: process.getActiveResourcesInfo() }));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const { names, resources } = JSON.parse(result.stdout) as { names: string[]; resources: string[] };
    expect(names.length).toBeLessThanOrEqual(25);
    for (const internal of [
      'RunCursor',
      'RunMerge',
      'LinePacker',
      'planPieces',
      'WasmFieldScanner',
      'foundFields',
      'sortKeyFound',
      'startKafkaBroker',
      'generateEvents',
      'logger',
    ]) {
      expect(names).not.toContain(internal);
    }
    // Nothing opened on import: no logger's stream, no timer, no socket.
    expect(resources.filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap')).toEqual([]);
  });
});
