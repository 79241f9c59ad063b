import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The deployed functions' bundles as `npm run synth` writes them. */
export interface LambdaBundleMeasure {
  functions: number;
  medianBytes: number;
  maxBytes: number;
  /** Median over functions of the median of `runs` fresh `require`s of the bundle. */
  medianInitMs: number;
  /** Per function (its construct path), bytes and load time. */
  each: Array<{ path: string; bytes: number; initMs: number }>;
}

const ROOT = join(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Milliseconds one fresh Node.js process takes to load (require) the bundle: the module-load part of a cold start. */
function initMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'eu-central-1' } });
  if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
}

/** The edge functions of a cloud assembly: their construct path and bundle file. */
function functionBundles(outdir: string): Array<{ path: string; file: string }> {
  const out: Array<{ path: string; file: string }> = [];
  for (const name of readdirSync(outdir).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(outdir, name), 'utf8')) as {
      Resources?: Record<string, { Type: string; Metadata?: Record<string, string> }>;
    };
    for (const res of Object.values(template.Resources ?? {})) {
      const cdkPath = res.Metadata?.['aws:cdk:path'] ?? '';
      const asset = res.Metadata?.['aws:asset:path'];
      // EdgeFunction's function is its child `Function`; CDK's own helper functions are left out.
      if (res.Type !== 'AWS::Lambda::Function' || !asset || !cdkPath.endsWith('/Function/Resource')) continue;
      const file = join(outdir, asset, 'index.js');
      if (existsSync(file)) out.push({ path: cdkPath.replace(/\/Function\/Resource$/, ''), file });
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
      bytes: statSync(b.file).size,
      initMs: median(Array.from({ length: runs }, () => initMs(b.file))),
    }));
    return {
      functions: each.length,
      medianBytes: median(each.map((e) => e.bytes)),
      maxBytes: Math.max(...each.map((e) => e.bytes)),
      medianInitMs: median(each.map((e) => e.initMs)),
      each,
    };
  } finally {
    if (!given) rmSync(outdir, { recursive: true, force: true });
  }
}
