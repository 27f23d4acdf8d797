import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const live = new Set<string>();
let hooked = false;

/**
 * A private (0700) directory for one run's temp files. It is removed by removeTempDir(), and,
 * as a last resort, when the process exits: whatever path the run took to its end.
 */
export function createTempDir(parent: string = os.tmpdir(), prefix = 'bin-packer-'): string {
  const dir = mkdtempSync(path.join(parent, prefix));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeAllTempDirs);
  }
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** Removes every directory still live; signal handlers call it before exiting. */
export function removeAllTempDirs(): void {
  for (const dir of live) removeTempDir(dir);
}
