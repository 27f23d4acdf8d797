/**
 * A private (0700) directory for one run's temp files. It is removed by removeTempDir(), and,
 * as a last resort, when the process exits: whatever path the run took to its end. Should the
 * process be killed outright, the next run to make a temp directory in `parent` removes it.
 */
export declare function createTempDir(parent?: string, prefix?: string): string;
export declare function removeTempDir(dir: string): void;
/** Removes every directory still live; signal handlers call it before exiting. */
export declare function removeAllTempDirs(): void;
