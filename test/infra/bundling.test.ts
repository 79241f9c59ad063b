import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildSync } from 'esbuild';
import { BUNDLE_CHUNK_DIR, BUNDLE_ENTRY_FILE, bundleOptions, coldStartFiles } from '../../infra/constructs/bundling';
import { EdgeFunction } from '../../infra/constructs/edge-function';

/** Runs the bundle's handler in a fresh Node.js process, as Lambda's runtime imports it, and returns what it threw or answered. */
function invokeBundled(entry: string, event: unknown): { name?: string; message?: string; answer?: unknown } {
  const script = `import(${JSON.stringify(entry)}).then((m) => m.handler(${JSON.stringify(event)}, {})).then(
    (answer) => process.stdout.write(JSON.stringify({ answer })),
    (e) => process.stdout.write(JSON.stringify({ name: e.name, message: e.message })))`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'eu-central-1' } }),
  ) as {
    name?: string;
  };
}

/** The one real bundling in the infra tests (`npm run synth` bundles every function). */
describe('EdgeFunction bundling', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'edge-bundle-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Bundle');
  // A step that may call EC2: its provider drivers are imported on demand.
  new EdgeFunction(stack, 'Step', { handlerFile: 'allocate-host' });
  const assembly = app.synth();
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as Array<{
    Properties: { Code: { S3Key: string }; Handler: string };
  }>;
  const props = (fn as { Properties: { Code: { S3Key: string }; Handler: string } }).Properties;
  const bundleDir = path.join(assembly.directory, `asset.${props.Code.S3Key.replace(/\.zip$/, '')}`);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles an ES module whose handler keeps error class names for Retry/Catch', () => {
    expect(props.Handler).toBe('index.handler');
    expect(invokeBundled(path.join(bundleDir, BUNDLE_ENTRY_FILE), { provisionId: 'not an id' })).toMatchObject({ name: 'ValidationError' });
  });

  it('keeps the EC2 client out of what a cold start loads, in a chunk imported on demand', () => {
    const chunks = readdirSync(path.join(bundleDir, BUNDLE_CHUNK_DIR)).map((f) => path.join(BUNDLE_CHUNK_DIR, f));
    const loaded = coldStartFiles(bundleDir);
    const holdsEc2 = (file: string) => readFileSync(path.join(bundleDir, file), 'utf8').includes('RunInstancesCommand');
    expect([...loaded].filter(holdsEc2)).toEqual([]);
    expect(chunks.filter((f) => f.endsWith('.mjs') && !loaded.has(f)).some(holdsEc2)).toBe(true);
  });

  it('ships the host-configuration role scripts beside the entry file, where the runner reads them', () => {
    const roles = readdirSync(path.join(bundleDir, 'roles'));
    expect(roles).toEqual(expect.arrayContaining(['os-check.sh', 'overlay.sh', 'facts.sh']));
  });
});

describe('bundleOptions', () => {
  it("gives code in an on-demand chunk the entry file's folder as __dirname and a working require", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edge-chunk-'));
    try {
      writeFileSync(path.join(dir, 'lazy.ts'), "export const where = __dirname; export const sep = require('node:path').sep;");
      writeFileSync(
        path.join(dir, 'entry.ts'),
        "export const handler = async () => { const m = await import('./lazy'); return [m.where, m.sep]; };",
      );
      buildSync(bundleOptions(path.join(dir, 'entry.ts'), path.join(dir, 'out')));
      expect(readdirSync(path.join(dir, 'out', BUNDLE_CHUNK_DIR)).length).toBeGreaterThan(0);
      expect(invokeBundled(path.join(dir, 'out', BUNDLE_ENTRY_FILE), {})).toEqual({ answer: [path.join(dir, 'out'), '/'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
