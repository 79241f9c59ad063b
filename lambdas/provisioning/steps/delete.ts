import { InvalidStateError, VmsRunningError } from '../../shared/errors';
import { disarmTeardownTriggers } from '../scheduling/teardown-triggers';
import type { Deps } from '../ports/deps';
import { loadProvision } from '../context';
import type { Provision, ProvisionState } from '../model';
import { parseCause } from './host-register';
import { endOperation } from '../lock/operation-lock';

/** States a delete may start from (DELETING: resuming an interrupted delete). */
export const DELETABLE_STATES: readonly ProvisionState[] = ['PENDING', 'RUNNING', 'DEGRADED', 'ERROR', 'DELETING'];

/** Input of the delete machine. */
export interface DeleteInput {
  provisionId: string;
  cleanup?: boolean;
}

/**
 * Refuses a delete that would destroy running VMs unless cleanup was asked
 * for, and a delete while another execution moves the provision. Shared by
 * the API (to answer 409 at once) and the machine's first step.
 */
export async function assertDeletable(deps: Deps, p: Provision, cleanup: boolean): Promise<void> {
  if (p.state === 'DELETED') return;
  if (!DELETABLE_STATES.includes(p.state)) {
    throw new InvalidStateError(`provision ${p.id} is ${p.state}; wait for it to finish, or retry it, before deleting`);
  }
  const hostIds = p.hosts.map((h) => h.oneId).filter((id): id is number => id !== undefined);
  if (cleanup || hostIds.length === 0) return;
  const one = await deps.openNebula(p);
  const vms = await one.vmsOnHosts(hostIds);
  if (vms.length > 0) {
    throw new VmsRunningError(
      `${vms.length} VM(s) run on the hosts of provision ${p.id} (ids ${vms.map((v) => v.id).join(', ')}); delete with cleanup to terminate them`,
    );
  }
}

/** First step of delete: checks, moves to DELETING and lists the hosts to tear down. */
export async function checkDeletable(
  deps: Deps,
  input: DeleteInput,
): Promise<{
  provisionId: string;
  cleanup: boolean;
  alreadyDeleted: boolean;
  hosts: Array<{ provisionId: string; index: number; cleanup: boolean }>;
}> {
  const p = await loadProvision(deps, input.provisionId);
  const cleanup = input.cleanup === true;
  if (p.state === 'DELETED') return { provisionId: p.id, cleanup, alreadyDeleted: true, hosts: [] };
  await assertDeletable(deps, p, cleanup);
  if (p.state !== 'DELETING') {
    await deps.store.transition(p.id, DELETABLE_STATES, 'DELETING', { clearError: true });
    await deps.lifecycle.emit(p.id, 'Provision Deleting', { name: p.name, owner: p.owner, cleanup });
  }
  return {
    provisionId: p.id,
    cleanup,
    alreadyDeleted: false,
    hosts: p.hosts.filter((h) => h.state !== 'RELEASED').map((h) => ({ provisionId: p.id, index: h.index, cleanup })),
  };
}

/**
 * Deletes the secret that holds credentials found inline in the provision's
 * descriptor, when it is this provision's own (its name carries the id): a
 * secret is billed monthly, and nothing reads it once the hosts are gone.
 */
async function deleteOwnSecret(deps: Deps, p: Provision): Promise<void> {
  const ref = p.plan.provider.connectionRef;
  if (ref && ref.includes(`/${p.id}/`)) await deps.secrets.delete(ref);
}

/** Last step of delete; releases the operation lock. */
export async function finalizeDelete(
  deps: Deps,
  input: { provisionId: string; executionName?: string },
): Promise<{ provisionId: string; state: 'DELETED' }> {
  const p = await loadProvision(deps, input.provisionId);
  // Before the transition, so a failed removal is retried with the step.
  await disarmTeardownTriggers(deps, p);
  await deleteOwnSecret(deps, p);
  const deleting = p.state !== 'DELETED';
  if (deleting) await deps.store.transition(p.id, ['DELETING'], 'DELETED', { clearError: true });
  await endOperation(deps, p.id, { executionName: input.executionName }, 'SUCCEEDED');
  if (deleting) await deps.lifecycle.emit(p.id, 'Provision Deleted', { name: p.name, owner: p.owner });
  return { provisionId: p.id, state: 'DELETED' };
}

/**
 * Catch of the delete machine: records ERROR with the step, so delete can be
 * run again; releases the operation lock.
 */
export async function recordDeleteFailure(
  deps: Deps,
  input: { provisionId: string; error: { Error?: string; Cause?: string }; executionName?: string },
): Promise<{ provisionId: string; state: string }> {
  const p = await loadProvision(deps, input.provisionId);
  const errorName = input.error.Error ?? 'Error';
  const message = parseCause(input.error.Cause);
  const holder = { executionName: input.executionName };
  if (errorName === 'VmsRunningError' || errorName === 'InvalidStateError') {
    // Refused before anything changed: the provision keeps its state.
    await deps.lifecycle.note(p.id, 'Delete Refused', { errorName, message });
    await endOperation(deps, p.id, holder, 'REFUSED', { step: 'delete', errorName, message });
    return { provisionId: p.id, state: p.state };
  }
  const failure = { step: 'delete', errorName, message, attempt: 1, at: deps.now().toISOString() };
  if (p.state !== 'ERROR') await deps.store.transition(p.id, ['DELETING'], 'ERROR', { failedStep: 'delete', error: failure });
  await endOperation(deps, p.id, holder, 'FAILED', { step: 'delete', errorName, message });
  await deps.lifecycle.emit(p.id, 'Provision Failed', { name: p.name, owner: p.owner, step: 'delete', errorName, message });
  return { provisionId: p.id, state: 'ERROR' };
}
