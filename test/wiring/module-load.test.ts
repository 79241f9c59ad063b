import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { tracingActive } from '../../lambdas/wiring/observability';

const ROOT = path.join(__dirname, '..', '..');

/** The modules a fresh Node.js process has loaded after requiring one handler file, with the environment given. */
function modulesLoadedBy(file: string, env: Record<string, string>): string[] {
  const script = [
    `require(${JSON.stringify(path.join(ROOT, 'bin', 'polyfill.cjs'))});`,
    `require('tsx/cjs/api').register();`,
    `require(${JSON.stringify(path.join(ROOT, 'lambdas', 'handlers', file))});`,
    `process.stdout.write(JSON.stringify(Object.keys(require.cache)));`,
  ].join('');
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', AWS_REGION: 'eu-central-1', ...env },
  });
  if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

const loads = (modules: string[], fragment: string) => modules.some((m) => m.includes(fragment));

describe('tracingActive', () => {
  it('is on in a Lambda execution environment unless POWERTOOLS_TRACE_ENABLED is false', () => {
    expect(tracingActive({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' })).toBe(true);
    expect(tracingActive({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', POWERTOOLS_TRACE_ENABLED: 'false' })).toBe(false);
    expect(tracingActive({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingActive({})).toBe(false);
  });
});

/**
 * What a cold start loads before the first request: the API function checks
 * provider names and connection schemas only, so the EC2 client (loaded with
 * the first AWS driver) and ssh2 stay out of its module init, and the X-Ray
 * SDK is loaded only where tracing is active.
 */
describe('the API handler module', () => {
  it('loads neither the EC2 client, ssh2 nor the X-Ray SDK when tracing is off', () => {
    const modules = modulesLoadedBy('api.ts', {});
    expect(loads(modules, 'lambdas/handlers/api.ts')).toBe(true);
    expect(loads(modules, 'node_modules/@aws-sdk/client-ec2/')).toBe(false);
    expect(loads(modules, 'node_modules/ssh2/')).toBe(false);
    expect(loads(modules, 'node_modules/aws-xray-sdk-core/')).toBe(false);
  }, 120_000);

  it('loads the X-Ray SDK in a Lambda with tracing active, still without the EC2 client', () => {
    const modules = modulesLoadedBy('api.ts', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' });
    expect(loads(modules, 'node_modules/aws-xray-sdk-core/')).toBe(true);
    expect(loads(modules, 'node_modules/@aws-sdk/client-ec2/')).toBe(false);
  }, 120_000);
});
