#!/usr/bin/env node
'use strict';
require('./polyfill.cjs');
// The demo runs every handler in this process and keeps the terminal for its
// progress: the handlers' JSON log lines and metrics are left out unless asked
// for (POWERTOOLS_LOG_LEVEL=INFO). Read before any handler module is loaded.
if (process.argv[2] === 'demo') {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
}
require('tsx/cjs/api').register();
require('../cli/main.ts')
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`edgectl: ${err && err.message ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
