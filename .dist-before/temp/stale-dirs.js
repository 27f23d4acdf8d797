import { readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
/** Written into each of our temp directories: which process must be alive for it to be in use. */
const OWNER_FILE = '.owner';
const PREFIX = 'bin-packer-';
/** Records `pids` (default this process) as the owners of the temp directory `dir`: it is stale once none of them runs. */
export function markOwner(dir, pids = [process.pid]) {
    const owner = { pids, host: os.hostname(), pidNamespace: pidNamespace() };
    writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify(owner) + '\n', { mode: 0o600 });
}
/**
 * Removes the `bin-packer-*` directories in `parent` that processes of this user on this host
 * owned and that are all gone: what runs killed outright (SIGKILL, an OOM kill, a power cut) left.
 * A directory without a readable owner record is left alone. Returns the directories removed.
 */
export function sweepStaleDirs(parent = os.tmpdir()) {
    let names;
    try {
        names = readdirSync(parent).filter((name) => name.startsWith(PREFIX));
    }
    catch {
        return [];
    }
    const removed = [];
    const uid = process.getuid?.();
    for (const name of names) {
        const dir = path.join(parent, name);
        try {
            if (uid !== undefined && statSync(dir).uid !== uid)
                continue;
            const owner = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
            if (owner.host !== os.hostname() || owner.pidNamespace !== pidNamespace() || !Array.isArray(owner.pids) || owner.pids.some(isAlive))
                continue;
            rmSync(dir, { recursive: true, force: true });
            removed.push(dir);
        }
        catch {
            // not ours, not a directory, no owner record, or removed meanwhile
        }
    }
    return removed;
}
/** True while `pid` runs (a zombie counts as gone). */
export function isAlive(pid) {
    try {
        process.kill(pid, 0);
    }
    catch (error) {
        if (error.code !== 'EPERM')
            return false;
    }
    try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    }
    catch {
        return true;
    }
}
function pidNamespace() {
    try {
        return readlinkSync('/proc/self/ns/pid');
    }
    catch {
        return null;
    }
}
//# sourceMappingURL=stale-dirs.js.map