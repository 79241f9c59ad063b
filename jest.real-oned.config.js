/**
 * The real-oned tier (`npm run test:real-oned`): OpenNebula's own oned, from
 * `../shared/tools/real-oned` (or EDGE_REAL_ONED_TOOL), started on a free
 * loopback port per test file and stopped after it. Kept out of `npm test`
 * for its time; CI runs it when the tool is there. Without the tool every
 * test says it is skipped and why.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/real-oned'],
  testMatch: ['**/*.real-oned.ts'],
  setupFiles: ['<rootDir>/test/setup/env.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  maxWorkers: 1,
  testTimeout: 10 * 60 * 1000,
};
