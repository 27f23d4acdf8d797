import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markOwner, sweepStaleDirs } from '../../src/temp/stale-dirs.js';
import { createTempDir, removeTempDir } from '../../src/temp/temp-dirs.js';

const parent = mkdtempSync(path.join(os.tmpdir(), 'stale-dirs-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('sweepStaleDirs', () => {
  it('removes our directories whose owner is gone, and nothing else', () => {
    const make = (name: string, owner?: number) => {
      const dir = path.join(parent, name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'run-1.bin'), 'x');
      if (owner !== undefined) markOwner(dir, [owner]);
      return dir;
    };
    const dead = make('bin-packer-run-dead', deadPid());
    const live = make('bin-packer-run-live', process.pid);
    const unmarked = make('bin-packer-run-unmarked');
    const other = make('someone-else', deadPid());
    // A broker's directory while its broker is down for a restart: the process managing it runs.
    const restarting = path.join(parent, 'bin-packer-kafka-restarting');
    mkdirSync(restarting);
    markOwner(restarting, [process.pid, deadPid()]);
    expect(sweepStaleDirs(parent)).toEqual([dead]);
    expect([dead, live, unmarked, other, restarting].map(existsSync)).toEqual([false, true, true, true, true]);
  });

  it('runs when a run makes its first temp directory in a parent', () => {
    const sub = mkdtempSync(path.join(parent, 'fresh-'));
    const left = path.join(sub, 'bin-packer-run-left');
    mkdirSync(left);
    markOwner(left, [deadPid()]);
    const dir = createTempDir(sub, 'bin-packer-run-');
    expect(readdirSync(sub)).toEqual([path.basename(dir)]);
    removeTempDir(dir);
  });
});
