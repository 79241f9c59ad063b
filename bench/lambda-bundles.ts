import { execFileSync, spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { coldStartFiles } from '../infra/constructs/bundling';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The deployed functions' bundles as `npm run synth` writes them. */
export interface LambdaBundleMeasure {
  functions: number;
  medianBytes: number;
  maxBytes: number;
  /** Median over functions of the bytes a cold start loads (entry and static chunks). */
  medianColdBytes: number;
  /** Median over functions of the median of `runs` fresh imports of the entry file. */
  medianInitMs: number;
  /** Per function (its construct path): bytes of all its code, bytes loaded at a cold start, load time. */
  each: Array<{ path: string; bytes: number; coldBytes: number; initMs: number }>;
}

const ROOT = join(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * What Lambda's runtime sets in a function's environment before it loads
 * the code (so the Powertools Tracer, active in Lambda, loads too), plus
 * the function's own variables; values that are CloudFormation references
 * get a placeholder (they are read at the first invocation, not at load).
 */
function lambdaEnvironment(fn: FunctionBundle): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    AWS_REGION: 'eu-central-1',
    AWS_DEFAULT_REGION: 'eu-central-1',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.path.split('/').join('-'),
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    LAMBDA_TASK_ROOT: fn.dir,
  };
  for (const [name, value] of Object.entries(fn.environment))
    env[name] = typeof value === 'string' ? value : `placeholder-${name.toLowerCase()}`;
  return env;
}

/**
 * Milliseconds one fresh Node.js process takes to load the function's entry
 * file as Lambda's runtime does (an ES module imported, a CommonJS file
 * required): the module-load part of a cold start.
 */
function initMs(fn: FunctionBundle): number {
  const load = fn.entry.endsWith('.mjs')
    ? `import(${JSON.stringify(pathToFileURL(fn.entry).href)})`
    : `Promise.resolve(require(${JSON.stringify(fn.entry)}))`;
  const script = `const t=process.hrtime.bigint();${load}.then(()=>process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6)))`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: lambdaEnvironment(fn) });
  if (run.status !== 0) throw new Error(`loading ${fn.entry} failed: ${run.stderr}`);
  return Number(run.stdout);
}

/** Bytes of every JavaScript file of a bundle directory (entry and chunks; not source maps or role scripts). */
function codeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) total += codeBytes(file);
    else if (/\.m?js$/.test(entry.name)) total += statSync(file).size;
  }
  return total;
}

/** Bytes of the files a cold start loads: the entry and the chunks it imports statically, not those imported on demand. */
function coldBytes(dir: string, entry: string): number {
  let total = 0;
  for (const file of coldStartFiles(dir, entry)) total += statSync(join(dir, file)).size;
  return total;
}

/** One deployed function's bundle, as the template describes it. */
interface FunctionBundle {
  path: string;
  dir: string;
  entry: string;
  runtime: string;
  memorySize: number;
  environment: Record<string, unknown>;
}

/** The edge functions of a cloud assembly: their construct path, bundle directory, entry file and settings. */
function functionBundles(outdir: string): FunctionBundle[] {
  const out: FunctionBundle[] = [];
  for (const name of readdirSync(outdir).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(outdir, name), 'utf8')) as {
      Resources?: Record<
        string,
        {
          Type: string;
          Metadata?: Record<string, string>;
          Properties?: { Handler?: string; Runtime?: string; MemorySize?: number; Environment?: { Variables?: Record<string, unknown> } };
        }
      >;
    };
    for (const res of Object.values(template.Resources ?? {})) {
      const cdkPath = res.Metadata?.['aws:cdk:path'] ?? '';
      const asset = res.Metadata?.['aws:asset:path'];
      // EdgeFunction's function is its child `Function`; CDK's own helper functions are left out.
      if (res.Type !== 'AWS::Lambda::Function' || !asset || !cdkPath.endsWith('/Function/Resource')) continue;
      const dir = join(outdir, asset);
      const base = (res.Properties?.Handler ?? 'index.handler').split('.')[0] as string;
      const entry = ['.mjs', '.js'].map((ext) => join(dir, base + ext)).find((f) => existsSync(f));
      if (!entry) continue;
      out.push({
        path: cdkPath.replace(/\/Function\/Resource$/, ''),
        dir,
        entry,
        runtime: res.Properties?.Runtime ?? 'nodejs',
        memorySize: res.Properties?.MemorySize ?? 128,
        environment: res.Properties?.Environment?.Variables ?? {},
      });
    }
  }
  return out;
}

/**
 * Synthesizes the app (every function bundled as deployed) into a temporary
 * directory, or reads an existing assembly (`LAMBDA_BENCH_CDK_OUT=cdk.out`
 * after `npm run synth`), and measures each function's bundle.
 */
export function measureLambdaBundles(runs = 3): LambdaBundleMeasure {
  const given = process.env['LAMBDA_BENCH_CDK_OUT'];
  const outdir = given ?? mkdtempSync(join(tmpdir(), 'edge-synth-'));
  try {
    if (!given) {
      execFileSync(join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--no-notices', '-q', '-o', outdir], {
        cwd: ROOT,
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    const bundles = functionBundles(outdir);
    if (bundles.length === 0) throw new Error(`no function bundles in ${outdir}`);
    const each = bundles.map((b) => ({
      path: b.path,
      bytes: codeBytes(b.dir),
      coldBytes: coldBytes(b.dir, relative(b.dir, b.entry)),
      initMs: median(Array.from({ length: runs }, () => initMs(b))),
    }));
    return {
      functions: each.length,
      medianBytes: median(each.map((e) => e.bytes)),
      maxBytes: Math.max(...each.map((e) => e.bytes)),
      medianColdBytes: median(each.map((e) => e.coldBytes)),
      medianInitMs: median(each.map((e) => e.initMs)),
      each,
    };
  } finally {
    if (!given) rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Bundles the reference function as one CommonJS file (esbuild's defaults
 * for Node.js, as a plain `NodejsFunction` would) and measures its load the
 * way the functions' entries are measured.
 */
export function measureReferenceBundle(source: string, runs = 5): { bytes: number; initMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'edge-reference-'));
  try {
    const entry = join(dir, 'index.js');
    buildSync({
      entryPoints: [source],
      outfile: entry,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      logLevel: 'error',
    });
    const fn: FunctionBundle = { path: 'Reference', dir, entry, runtime: 'nodejs20.x', memorySize: 512, environment: {} };
    return { bytes: statSync(entry).size, initMs: median(Array.from({ length: runs }, () => initMs(fn))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
