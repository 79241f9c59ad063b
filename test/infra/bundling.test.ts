import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EdgeFunction } from '../../infra/constructs/edge-function';

/** The one real esbuild bundling in the infra tests (`npm run synth` bundles every function). */
describe('EdgeFunction bundling', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'edge-bundle-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Bundle');
  new EdgeFunction(stack, 'Step', { handlerFile: 'record-host-failure' });
  const assembly = app.synth();
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as Array<{
    Properties: { Code: { S3Key: string } };
  }>;
  const bundleDir = path.join(
    assembly.directory,
    `asset.${(fn as { Properties: { Code: { S3Key: string } } }).Properties.Code.S3Key.replace(/\.zip$/, '')}`,
  );

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles locally into one CommonJS file whose handler keeps error class names for Retry/Catch', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require(path.join(bundleDir, 'index.js')) as { handler: (e: unknown, c: unknown) => Promise<unknown> };
    await expect(handler({ provisionId: 'not an id' }, {})).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('ships the host-configuration role scripts beside the bundle, where the runner reads them', () => {
    const roles = readdirSync(path.join(bundleDir, 'roles'));
    expect(roles).toEqual(expect.arrayContaining(['os-check.sh', 'overlay.sh', 'facts.sh']));
  });
});
