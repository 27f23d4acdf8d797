import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { logger, logProcessWarnings } from './logger.js';
import { isUsageError } from './args.js';
/**
 * Runs a command's main to its exit code: its own result, 2 with one line for a bad command
 * line (the option and what it takes; --help has the rest), 1 with a logged error for anything else.
 */
export async function runCommand(main) {
    logProcessWarnings();
    try {
        return await main();
    }
    catch (error) {
        if (isUsageError(error)) {
            process.stderr.write(`${error.message}\n`);
            return 2;
        }
        logger.error({ err: error }, error instanceof Error ? error.message : String(error));
        return 1;
    }
}
/** runCommand, setting the process's exit code. */
export function runMain(main) {
    void runCommand(main).then((code) => (process.exitCode = code));
}
/** True when the module at `moduleUrl` is the script Node was started with (links resolved). */
export function isEntryPoint(moduleUrl) {
    try {
        return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=run-main.js.map