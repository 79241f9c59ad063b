#!/usr/bin/env node
'use strict';
// Runs a TypeScript entry point without a build step: node bin/run-ts.cjs FILE.ts [args...]
require('./polyfill.cjs');
require('tsx/cjs/api').register();
const path = require('node:path');
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: run-ts.cjs FILE.ts [args...]\n');
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
