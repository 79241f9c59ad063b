import type { Deps } from '../deps';
import { loadProvision, type ProvisionStepInput } from '../context';

/** What the create machine iterates over and how it waits. */
export interface PreparedProvision {
  provisionId: string;
  hosts: Array<{ provisionId: string; index: number }>;
  maxConcurrency: number;
  pollSeconds: number;
}

/**
 * First step of create: moves PENDING → PROVISIONING and hands the machine the
 * host list. Re-entrant: a provision already PROVISIONING (a resumed
 * execution) is picked up as it is.
 */
export async function prepareProvision(deps: Deps, input: ProvisionStepInput & { executionId?: string }): Promise<PreparedProvision> {
  const current = await loadProvision(deps, input.provisionId);
  const p =
    current.state === 'PROVISIONING'
      ? current
      : await deps.store.transition(input.provisionId, ['PENDING', 'ERROR'], 'PROVISIONING', {
          executionId: input.executionId,
          clearError: true,
        });
  return {
    provisionId: p.id,
    hosts: p.hosts.filter((h) => h.state !== 'RUNNING').map((h) => ({ provisionId: p.id, index: h.index })),
    maxConcurrency: p.plan.maxConcurrency,
    pollSeconds: deps.settings.pollSeconds,
  };
}
