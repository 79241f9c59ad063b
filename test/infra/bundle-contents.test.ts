import * as path from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS } from '../../infra/constructs/bundling';
import { HANDLERS_DIR } from '../../infra/constructs/edge-function';
import { API_FUNCTIONS, STEP_FUNCTIONS, TRIGGERED_FUNCTIONS } from '../../infra/handlers';
import type { StepWiring } from '../../lambdas/handlers/step-handler';

const SPECS: Readonly<Record<string, { driverNamesOnly?: boolean }>> = { ...STEP_FUNCTIONS, ...API_FUNCTIONS, ...TRIGGERED_FUNCTIONS };
const FILES = [...Object.keys(STEP_FUNCTIONS), ...Object.keys(API_FUNCTIONS), ...Object.keys(TRIGGERED_FUNCTIONS)];

/** The files esbuild puts into each handler's bundle, resolved as `EdgeFunction` bundles them (one build for all). */
async function bundleInputs(): Promise<Map<string, string[]>> {
  const result = await build({
    entryPoints: Object.fromEntries(FILES.map((f) => [f, path.join(HANDLERS_DIR, `${f}.ts`)])),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    outdir: 'out',
    external: [...BUNDLE_EXTERNALS],
    mainFields: [...BUNDLE_MAIN_FIELDS],
    logLevel: 'silent',
  });
  const byFile = new Map<string, string[]>();
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (out.endsWith('.js')) byFile.set(path.basename(out, '.js'), Object.keys(meta.inputs));
  }
  return byFile;
}

let bundles: Promise<Map<string, string[]>> | undefined;

function declaredGroups(file: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(path.join(HANDLERS_DIR, file)) as { handler: { wiring: StepWiring } };
  return handler.wiring.ports.map((p) => p.name);
}

const has = (inputs: string[], fragment: string) => inputs.some((i) => i.includes(fragment));

/**
 * What a function's bundle holds follows from the port groups its handler
 * declares: the static property that keeps bundles lean and cannot regress
 * unseen (a stray import of an adapter would pull its libraries back in).
 */
describe.each(FILES)('the bundle of %s', (file) => {
  let inputs: string[];
  let groups: string[];
  beforeAll(async () => {
    bundles ??= bundleInputs();
    inputs = (await bundles).get(file) ?? [];
    expect(inputs.length).toBeGreaterThan(0);
    groups = declaredGroups(file);
    // The first hook waits for the one esbuild run over all 21 entry points.
  }, 300_000);

  it('holds ssh2 only when the function declares host configuration', () => {
    expect(has(inputs, 'node_modules/ssh2/')).toBe(groups.includes('hostConfig'));
  });

  it('holds the EC2 client only when the function declares the drivers to build them (not for their names only)', () => {
    const namesOnly = SPECS[file]?.driverNamesOnly === true;
    expect(has(inputs, 'node_modules/@aws-sdk/client-ec2/')).toBe(groups.includes('drivers') && !namesOnly);
    expect(has(inputs, 'lambdas/drivers/')).toBe(groups.includes('drivers') && !namesOnly);
  });

  it('holds the Step Functions and Scheduler clients only when it declares workflows and scheduling', () => {
    expect(has(inputs, 'node_modules/@aws-sdk/client-sfn/')).toBe(groups.includes('workflows'));
    expect(has(inputs, 'node_modules/@aws-sdk/client-scheduler/')).toBe(groups.includes('scheduling'));
  });

  it('holds the full zod build only when it parses plans (the API and scheduled creation)', () => {
    expect(has(inputs, 'node_modules/zod/v4/classic/')).toBe(['api', 'scheduled-create'].includes(file));
  });

  it('holds no general XML-RPC or XML builder library', () => {
    expect(has(inputs, '@foxglove/xmlrpc') || has(inputs, 'xmlbuilder2')).toBe(false);
  });
});
