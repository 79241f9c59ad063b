#!/usr/bin/env node
'use strict';
require('./polyfill.cjs');
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
