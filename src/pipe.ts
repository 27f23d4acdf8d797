#!/usr/bin/env node
import { logger } from './logger.js';
import { main } from './cli/pipe.js';

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
