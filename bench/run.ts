import './quiet-handlers';
import { join } from 'node:path';
import { DEFAULT_BENCH_SEED, DEFAULT_BENCH_TIME_SCALE } from './settings';
import { figureLine, meetsTarget, type BenchContext, type Benchmark, type Figure } from './figures';
import { pipeliningFigures } from './pipelining';
import { fanoutFigures } from './fanout';
import { scaleFigures } from './scale-curve';
import { costFigures } from './cost-model';
import { sshVsAnsibleFigures } from './ssh-vs-ansible';
import { consoleFigures } from './console-figures';
import { lambdaFigures } from './lambda-figures';
import { measureGroup } from './measure';
import { simPlan } from './plans';

/** The benchmarks `npm run bench` runs, in order; `BENCH_ONLY=name,...` picks some. */
const BENCHMARKS: ReadonlyArray<[string, Benchmark]> = [
  ['pipelining', pipeliningFigures],
  ['fanout', fanoutFigures],
  ['scale', scaleFigures],
  ['cost', costFigures],
  ['ssh', sshVsAnsibleFigures],
  ['console', consoleFigures],
  ['lambda', lambdaFigures],
];

/**
 * `npm run bench`: each benchmark provisions in the full sandbox (simulated
 * oned, SSH hosts running the real roles) on the calibrated latency model and
 * measures from its own events. Prints one JSON line per figure;
 * docs/performance.md records results.
 */
async function main(): Promise<void> {
  const timeScale = Number(process.env['EDGE_TIME_SCALE'] ?? DEFAULT_BENCH_TIME_SCALE);
  const seed = Number(process.env['BENCH_SEED'] ?? DEFAULT_BENCH_SEED);
  const only = process.env['BENCH_ONLY']?.split(',').map((s) => s.trim());
  const memo = new Map<string, Promise<unknown>>();
  const missed: Figure[] = [];
  const ctx: BenchContext = {
    timeScale,
    seed,
    docsDir: join(__dirname, '..', 'docs'),
    emit: (f) => {
      process.stdout.write(`${figureLine(f)}\n`);
      if (!meetsTarget(f)) missed.push(f);
    },
    note: (message) => process.stderr.write(`bench: ${message}\n`),
    memo: <T>(key: string, make: () => Promise<T>) => {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as Promise<T>;
    },
  };
  ctx.note(`time scale ${timeScale}, seed ${seed}`);
  // One quick provision first: the handlers' modules load and the ASL files are validated
  // outside every measurement, whichever benchmark comes first.
  await measureGroup({ ...ctx, timeScale: 0.001 }, [simPlan(1, 'warm-up')]);
  for (const [name, bench] of BENCHMARKS) {
    if (only && !only.includes(name)) continue;
    await bench(ctx);
  }
  for (const f of missed) ctx.note(`target missed: ${f.name} = ${f.value} (target ${f.target})`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
