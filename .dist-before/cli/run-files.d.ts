/** A file the run reads or writes, named as the user named it. */
export interface NamedFile {
    option: string;
    path: string;
    /** Written under a temporary name beside it and renamed onto it (OutputFile): its directory must take new files. */
    replaced?: boolean;
}
/** The files and directories a file run uses, as its command line names them. */
export interface RunFiles {
    inputs: string[];
    /** --output and --dead-letter, when the run writes them. */
    outputs: NamedFile[];
    tempDir?: string | undefined;
}
/**
 * Checks, before anything is opened, that the run can read its inputs, write its outputs and
 * make its temp files, so that a user's mistake is one line naming the option and the file
 * (a UsageError), not an error from deep inside the run.
 */
export declare function checkRunFiles(files: RunFiles): void;
/**
 * Where `--output FILE` is written: a temporary name beside FILE, renamed onto it only when the
 * run succeeds (as `sort -o` users expect), so a failed or interrupted run never leaves a
 * truncated file posing as a result. Devices, FIFOs and the like are written in place. What a
 * run killed outright left beside FILE goes when the next run writes FILE.
 */
export declare class OutputFile {
    readonly path: string;
    readonly writePath: string;
    private readonly replaced;
    constructor(path: string);
    /** Puts the finished file in place. */
    commit(): void;
    /** Removes what a failed run wrote; the file it would have replaced is untouched. */
    discard(): void;
}
