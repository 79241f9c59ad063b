import { estimatePlan, type PlanEstimate } from '../../lambdas/descriptor';
import type { CliIo } from '../io';
import type { CommandModule } from './index';
import { loadForCli, withDescriptorOptions, type DescriptorCliOptions } from './validate';

/** `edgectl plan FILE`: what create would do, object by object, with provider calls, public IPs and quotas. */
export const planCommand: CommandModule = (program, io) => {
  withDescriptorOptions(
    program.command('plan').description('Show what create would do: objects, provider API calls, public IPs, quotas'),
  ).action(async (file: string, options: DescriptorCliOptions) => {
    const plan = await loadForCli(file, options, io);
    const estimate = estimatePlan(plan);
    if (options.json) io.out(JSON.stringify(estimate, null, 2));
    else printEstimate(plan.name, estimate, io);
    for (const q of estimate.quotas) if (q.exceedsDefault) io.err(`warning: ${q.quota} in ${q.scope}: ${q.note}`);
  });
};

function printEstimate(name: string, estimate: PlanEstimate, io: CliIo): void {
  io.out(`Plan for '${name}' on provider ${estimate.provider}${estimate.region ? ` (${estimate.region})` : ''}:`);
  estimate.steps.forEach((step, i) => {
    io.out(`  ${i + 1}. ${step.object}`);
    if (step.providerCalls.length) io.out(`       provider: ${step.providerCalls.join(', ')}`);
    if (step.opennebulaCalls.length) io.out(`       opennebula: ${step.opennebulaCalls.join(', ')}`);
    if (step.publicIps) io.out(`       public IPs: ${step.publicIps}`);
  });
  io.out(`Public IPs requested: ${estimate.publicIps}`);
  io.out(`Provider API calls: ${estimate.providerCallCount}`);
  if (estimate.quotas.length === 0) {
    io.out('Quotas: none needed');
    return;
  }
  io.out('Quotas:');
  for (const q of estimate.quotas) {
    const limit = q.defaultLimit !== undefined ? ` of default ${q.defaultLimit}` : '';
    io.out(`  ${q.quota} (${q.scope}): ${q.needed}${limit}${q.exceedsDefault ? ' — EXCEEDS the default' : ''}; ${q.note}`);
  }
}
