#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { heapAlreadySet, heapFlags, relaunchWithHeap } from './cli/heap.js';
import { main, parsePipeArgs } from './cli/pipe.js';
import { logger } from './logger.js';

async function run(argv: string[]): Promise<number> {
  if (!heapAlreadySet()) {
    let options: ReturnType<typeof parsePipeArgs> | undefined;
    try {
      options = parsePipeArgs(argv);
    } catch {
      // main() reports the usage error
    }
    if (options && options !== 'help') return relaunchWithHeap(heapFlags(options), fileURLToPath(import.meta.url), argv, options.tempDir);
  }
  return main(argv);
}

run(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
