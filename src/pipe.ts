#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { enableCompileCache } from './cli/compile-cache.js';
import { exitWithLauncher, heapAlreadySet, heapFlags, relaunchWithHeap } from './cli/heap.js';
import { parsePipeArgs, runFiles } from './cli/pipe-args.js';
import { checkRunFiles } from './cli/run-files.js';

interface Command {
  main(argv: string[]): Promise<number>;
}

/** `bin-packer <command> ...`; anything else is the pipe command, which `bin-packer pipe` names too. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  verify: () => import('./cli/verify.js'),
  fixtures: () => import('./cli/fixtures.js'),
  kafka: () => import('./cli/kafka-local.js'),
};

// Only the option parser and the launcher are loaded up front: a launcher that relaunches
// itself with a sized heap then never loads a Kafka client, pino and the pipeline (~0.15 s).
async function run(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) {
    const [{ main }, { runCommand }] = await Promise.all([COMMANDS[first]!(), import('./cli/run-main.js')]);
    return runCommand(() => main(rest));
  }
  const argv = first === 'pipe' ? rest : args;
  if (!heapAlreadySet()) {
    let options: ReturnType<typeof parsePipeArgs> | undefined;
    try {
      options = parsePipeArgs(argv);
      if (options !== 'help') checkRunFiles(runFiles(options));
    } catch {
      // main() reports the usage error
      options = undefined;
    }
    if (options && options !== 'help') return relaunchWithHeap(heapFlags(options), fileURLToPath(import.meta.url), argv, options.tempDir);
  }
  exitWithLauncher();
  const [{ main }, { runCommand }] = await Promise.all([import('./cli/pipe.js'), import('./cli/run-main.js')]);
  return runCommand(() => main(argv));
}

enableCompileCache();
run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // The result is known: a client's sockets or retry timers left behind (a broker that never
    // answers) must not hold the process open. Cleanup has run; the logs are written synchronously.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  async (error: unknown) => {
    process.exitCode = 1;
    const { logger } = await import('./cli/logger.js');
    logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  },
);
