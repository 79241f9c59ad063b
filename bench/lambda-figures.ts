import type { BenchContext } from './figures';
import { measureLambdaBundles } from './lambda-bundles';

/** The deployed functions' bundle sizes and module load time, from freshly synthesized assets. */
export async function lambdaFigures(ctx: BenchContext): Promise<void> {
  const lambdas = measureLambdaBundles();
  ctx.emit({ name: 'lambda.bundle_bytes.median', value: lambdas.medianBytes / 1e6, unit: 'MB', target: '<= 1.3' });
  ctx.emit({ name: 'lambda.bundle_bytes.max', value: lambdas.maxBytes / 1e6, unit: 'MB', target: '<= 2.5' });
  ctx.emit({ name: 'lambda.init_ms.median', value: lambdas.medianInitMs, unit: 'ms', target: '<= 100' });
}
