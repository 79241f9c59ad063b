import type { Deps } from '../ports/deps';
import { loadProvision } from '../context';
import { HOST_STATES, type HostState } from '../model';
import { liveHosts, RESTING_HOST_STATES, settleProvision } from './settle';

const NOT_RELEASED: HostState[] = HOST_STATES.filter((s) => s !== 'RELEASED');

/**
 * What a day-2 operation whose execution stopped running leaves: hosts it
 * was moving (new hosts mid-pipeline, a host draining or powering off)
 * become FAILED with step `interrupted` — still recorded, with their
 * machines, so `scale --remove`, `configure` or `delete` can pick them up —
 * and the provision rests again, RUNNING or DEGRADED. Nothing is rolled back
 * blindly: the provider and OpenNebula keep what they have.
 */
export async function settleInterruptedDay2(deps: Deps, provisionId: string, reason: string): Promise<void> {
  const p = await loadProvision(deps, provisionId);
  const at = deps.now().toISOString();
  for (const h of liveHosts(p)) {
    if (RESTING_HOST_STATES.includes(h.state) || h.state === 'FAILED') continue;
    await deps.store.updateHost(p.id, h.index, NOT_RELEASED, 'FAILED', {
      failedStep: 'interrupted',
      error: { step: 'interrupted', errorName: 'ExecutionInterrupted', message: reason, attempt: 1, at },
    });
    await deps.lifecycle.note(p.id, 'Host Interrupted', { host: h.name, index: h.index, state: h.state });
  }
  await settleProvision(deps, p.id);
}
