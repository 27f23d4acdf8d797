/** Records `pids` (default this process) as the owners of the temp directory `dir`: it is stale once none of them runs. */
export declare function markOwner(dir: string, pids?: number[]): void;
/**
 * Removes the `bin-packer-*` directories in `parent` that processes of this user on this host
 * owned and that are all gone: what runs killed outright (SIGKILL, an OOM kill, a power cut) left.
 * A directory without a readable owner record is left alone. Returns the directories removed.
 */
export declare function sweepStaleDirs(parent?: string): string[];
/** True while `pid` runs (a zombie counts as gone). */
export declare function isAlive(pid: number): boolean;
