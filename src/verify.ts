#!/usr/bin/env node
import './cli/verify.js';
