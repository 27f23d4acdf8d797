#!/usr/bin/env node
import { enableCompileCache } from './cli/compile-cache.js';

// Before the command's modules load, so that they come from the compile cache too.
enableCompileCache();
const [{ main }, { runMain }] = await Promise.all([import('./cli/verify.js'), import('./cli/run-main.js')]);
runMain(() => main(process.argv.slice(2)));
