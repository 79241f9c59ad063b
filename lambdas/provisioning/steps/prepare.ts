import type { Deps } from '../ports/deps';
import { loadProvision, type ProvisionStepInput } from '../context';
import type { HostState, Provision } from '../model';

/** What the create machine iterates over and how it waits. */
export interface PreparedProvision {
  provisionId: string;
  hosts: Array<{ provisionId: string; index: number }>;
  maxConcurrency: number;
  pollSeconds: number;
}

/** The host state from which each step runs again. */
const RESUME_STATE: Record<string, HostState> = {
  allocate: 'ALLOCATING',
  waitReady: 'BOOTING',
  assignIps: 'BOOTING',
  configure: 'CONFIGURING',
  register: 'REGISTERING',
};

/**
 * Before a retry: a FAILED host goes back to the state of the step it failed
 * in (finished steps are not redone; configuration resumes at its next role),
 * and a host released by a rollback starts over from PENDING.
 */
export async function resetHostsForRetry(deps: Deps, p: Provision): Promise<void> {
  for (const h of p.hosts) {
    if (h.state === 'RELEASED') {
      await deps.store.updateHost(p.id, h.index, ['RELEASED'], 'PENDING', {
        clearError: true,
        publicIps: [],
        generation: (h.generation ?? 0) + 1,
        remove: ['providerId', 'sshHost', 'sshPort', 'privateIp', 'oneId', 'facts', 'nextRole', 'timings'],
      });
    } else if (h.state === 'FAILED') {
      const resume = h.providerId ? (RESUME_STATE[h.failedStep ?? ''] ?? 'BOOTING') : 'PENDING';
      // A new attempt at registering waits for monitoring afresh (and enables a host left in ERROR).
      const { monitor: _monitor, ...timings } = h.timings ?? {};
      await deps.store.updateHost(p.id, h.index, ['FAILED'], resume, {
        clearError: true,
        ...(resume === 'REGISTERING' && h.timings ? { timings } : {}),
      });
    }
  }
}

/**
 * First step of create: moves PENDING → PROVISIONING and hands the machine the
 * host list. Re-entrant: a provision already PROVISIONING (a resumed
 * execution) is picked up as it is.
 */
export async function prepareProvision(deps: Deps, input: ProvisionStepInput & { executionId?: string }): Promise<PreparedProvision> {
  const current = await loadProvision(deps, input.provisionId);
  if (current.state === 'ERROR') await resetHostsForRetry(deps, current);
  const p =
    current.state === 'PROVISIONING'
      ? await loadProvision(deps, input.provisionId)
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
