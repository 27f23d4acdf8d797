import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { logFailure, logProcessWarnings } from './logger.js';
import { isUsageError } from './args.js';

/**
 * Runs a command's main to its exit code: its own result, 2 with one line for a bad command
 * line (the option and what it takes; --help has the rest), 1 with one logged line for what the
 * user has to fix (UserFacingError), 1 with a logged error (and its stack) for anything else.
 */
export async function runCommand(main: () => Promise<number>): Promise<number> {
  logProcessWarnings();
  try {
    return await main();
  } catch (error) {
    if (isUsageError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    logFailure(error, error instanceof Error ? error.message : String(error));
    return 1;
  }
}

/** runCommand, setting the process's exit code. */
export function runMain(main: () => Promise<number>): void {
  void runCommand(main).then((code) => (process.exitCode = code));
}

/** True when the module at `moduleUrl` is the script Node was started with (links resolved). */
export function isEntryPoint(moduleUrl: string): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
