import { logger } from '../logger.js';
import { isUsageError } from './args.js';

/**
 * Runs a CLI's main and sets the exit code: its own result, 2 with the usage for a bad
 * command line, 1 with a logged error for anything else.
 */
export function runMain(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      if (isUsageError(error)) {
        process.stderr.write(`${error.message}\n\n${usage}`);
        process.exitCode = 2;
        return;
      }
      logger.error({ err: error }, error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
