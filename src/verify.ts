#!/usr/bin/env node
import { main, USAGE } from './cli/verify.js';
import { runMain } from './cli/run-main.js';

runMain(() => main(process.argv.slice(2)), USAGE);
