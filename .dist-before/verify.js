#!/usr/bin/env node
import { main } from './cli/verify.js';
import { runMain } from './cli/run-main.js';
runMain(() => main(process.argv.slice(2)));
//# sourceMappingURL=verify.js.map