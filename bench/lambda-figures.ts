import { join } from 'node:path';
import type { BenchContext } from './figures';
import { measureLambdaBundles, measureReferenceBundle } from './lambda-bundles';

/** The deployed functions' bundle sizes and module load time, from freshly synthesized assets. */
export async function lambdaFigures(ctx: BenchContext): Promise<void> {
  const lambdas = measureLambdaBundles();
  ctx.emit({ name: 'lambda.bundle_bytes.median', value: lambdas.medianBytes / 1e6, unit: 'MB', target: '<= 1.3' });
  ctx.emit({ name: 'lambda.bundle_bytes.max', value: lambdas.maxBytes / 1e6, unit: 'MB', target: '<= 2.5' });
  ctx.emit({ name: 'lambda.cold_bytes.median', value: lambdas.medianColdBytes / 1e6, unit: 'MB loaded at a cold start' });
  ctx.emit({ name: 'lambda.init_ms.median', value: lambdas.medianInitMs, unit: 'ms', target: '<= 100' });
  const reference = measureReferenceBundle(join(__dirname, 'fixtures', 'reference-function.ts'));
  ctx.emit({
    name: 'lambda.init_ms.reference',
    value: reference.initMs,
    unit: `ms for the ${(reference.bytes / 1e6).toFixed(2)} MB reference bundle (65-95 ms where the target was set)`,
  });
}
