/**
 * Opt-in test against a real AWS account (`npm run test:aws`): allocates one
 * small nested-virtualisation instance and releases it. It creates billed
 * resources, needs credentials, and is never part of `npm test` or CI.
 */
if (process.env.EDGE_AWS_LIVE !== '1') {
  process.stderr.write(
    'test:aws creates billed AWS resources and refuses to run without EDGE_AWS_LIVE=1\n' +
      '(also set EDGE_AWS_REGION and credentials; see docs/providers.md)\n',
  );
  process.exit(1);
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/aws-live'],
  testMatch: ['**/*.live.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  maxWorkers: 1,
  testTimeout: 30 * 60 * 1000,
};
