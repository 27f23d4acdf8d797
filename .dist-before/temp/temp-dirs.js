import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markOwner, sweepStaleDirs } from './stale-dirs.js';
const live = new Set();
const swept = new Set();
let hooked = false;
/**
 * A private (0700) directory for one run's temp files. It is removed by removeTempDir(), and,
 * as a last resort, when the process exits: whatever path the run took to its end. Should the
 * process be killed outright, the next run to make a temp directory in `parent` removes it.
 */
export function createTempDir(parent = os.tmpdir(), prefix = 'bin-packer-') {
    // Once per parent: what killed runs left there goes before this run adds its own.
    if (!swept.has(parent)) {
        swept.add(parent);
        sweepStaleDirs(parent);
    }
    const dir = mkdtempSync(path.join(parent, prefix));
    markOwner(dir);
    live.add(dir);
    if (!hooked) {
        hooked = true;
        process.once('exit', removeAllTempDirs);
    }
    return dir;
}
export function removeTempDir(dir) {
    rmSync(dir, { recursive: true, force: true });
    live.delete(dir);
}
/** Removes every directory still live; signal handlers call it before exiting. */
export function removeAllTempDirs() {
    for (const dir of live)
        removeTempDir(dir);
}
//# sourceMappingURL=temp-dirs.js.map