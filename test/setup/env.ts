// Node 20 lacks Promise.withResolvers; aws-local-stepfunctions 3 calls it in every Task state.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../bin/polyfill.cjs');
process.env.AWS_REGION ??= 'eu-central-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// Metrics are log lines too (EMF); tests that check them turn them on.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// Safety net: an AWS client a test forgot to mock talks to a closed loopback port, never to AWS.
process.env.AWS_ENDPOINT_URL ??= 'http://127.0.0.1:9';
