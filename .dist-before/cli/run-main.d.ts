/**
 * Runs a command's main to its exit code: its own result, 2 with one line for a bad command
 * line (the option and what it takes; --help has the rest), 1 with a logged error for anything else.
 */
export declare function runCommand(main: () => Promise<number>): Promise<number>;
/** runCommand, setting the process's exit code. */
export declare function runMain(main: () => Promise<number>): void;
/** True when the module at `moduleUrl` is the script Node was started with (links resolved). */
export declare function isEntryPoint(moduleUrl: string): boolean;
