import { ImagesPresentError, InvalidStateError, VmsRunningError } from '../../shared/errors';
import { disarmTeardownTriggers } from '../scheduling/teardown-triggers';
import type { Deps } from '../ports/deps';
import { loadProvision } from '../context';
import type { Provision, ProvisionState } from '../model';
import { parseCause } from './host-register';
import { DEFAULT_CLEANUP_TIMEOUT_SECONDS } from './teardown';

/** States a delete may start from (DELETING: resuming an interrupted delete). */
export const DELETABLE_STATES: readonly ProvisionState[] = ['PENDING', 'RUNNING', 'DEGRADED', 'ERROR', 'DELETING'];

/** Input of the delete machine. */
export interface DeleteInput {
  provisionId: string;
  cleanup?: boolean;
  /** `--cleanup-timeout`: seconds to wait for VMs (per host) and images (each) to be gone. */
  cleanupTimeoutSeconds?: number;
}

/**
 * Refuses a delete that would destroy running VMs or images unless cleanup
 * was asked for (as oneprovision does), and a delete while another execution
 * moves the provision. Shared by the API (to answer 409 at once) and the
 * machine's first step.
 */
export async function assertDeletable(deps: Deps, p: Provision, cleanup: boolean): Promise<void> {
  if (p.state === 'DELETED') return;
  if (!DELETABLE_STATES.includes(p.state)) {
    throw new InvalidStateError(`provision ${p.id} is ${p.state}; wait for it to finish, or retry it, before deleting`);
  }
  const hostIds = p.hosts.map((h) => h.oneId).filter((id): id is number => id !== undefined);
  const datastoreIds = p.datastores.map((d) => d.oneId);
  if (cleanup || (hostIds.length === 0 && datastoreIds.length === 0)) return;
  const one = await deps.openNebula(p);
  const vms = hostIds.length > 0 ? await one.vmsOnHosts(hostIds) : [];
  if (vms.length > 0) {
    throw new VmsRunningError(
      `${vms.length} VM(s) run on the hosts of provision ${p.id} (ids ${vms.map((v) => v.id).join(', ')}); delete with cleanup to terminate them`,
    );
  }
  const images = await one.imagesIn(datastoreIds);
  if (images.length > 0) {
    throw new ImagesPresentError(
      `${images.length} image(s) are in the datastores of provision ${p.id} (ids ${images.map((i) => i.id).join(', ')}); delete with cleanup to delete them`,
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
  cleanupTimeoutSeconds: number;
  alreadyDeleted: boolean;
  hosts: Array<{ provisionId: string; index: number; cleanup: boolean; cleanupTimeoutSeconds: number }>;
}> {
  const p = await loadProvision(deps, input.provisionId);
  const cleanup = input.cleanup === true;
  const cleanupTimeoutSeconds = input.cleanupTimeoutSeconds ?? DEFAULT_CLEANUP_TIMEOUT_SECONDS;
  if (p.state === 'DELETED') return { provisionId: p.id, cleanup, cleanupTimeoutSeconds, alreadyDeleted: true, hosts: [] };
  await assertDeletable(deps, p, cleanup);
  if (p.state !== 'DELETING') {
    await deps.store.transition(p.id, DELETABLE_STATES, 'DELETING', { clearError: true });
    await deps.lifecycle.emit(p.id, 'Provision Deleting', { name: p.name, owner: p.owner, cleanup });
  }
  return {
    provisionId: p.id,
    cleanup,
    cleanupTimeoutSeconds,
    alreadyDeleted: false,
    hosts: p.hosts
      .filter((h) => h.state !== 'RELEASED')
      .map((h) => ({ provisionId: p.id, index: h.index, cleanup, cleanupTimeoutSeconds })),
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

/** Last step of delete. */
export async function finalizeDelete(deps: Deps, input: { provisionId: string }): Promise<{ provisionId: string; state: 'DELETED' }> {
  const p = await loadProvision(deps, input.provisionId);
  // Before the transition, so a failed removal is retried with the step.
  await disarmTeardownTriggers(deps, p);
  await deleteOwnSecret(deps, p);
  if (p.state !== 'DELETED') {
    await deps.store.transition(p.id, ['DELETING'], 'DELETED', { clearError: true });
    await deps.lifecycle.emit(p.id, 'Provision Deleted', { name: p.name, owner: p.owner });
  }
  return { provisionId: p.id, state: 'DELETED' };
}

/** Catch of the delete machine: records ERROR with the step, so delete can be run again. */
export async function recordDeleteFailure(
  deps: Deps,
  input: { provisionId: string; error: { Error?: string; Cause?: string } },
): Promise<{ provisionId: string; state: string }> {
  const p = await loadProvision(deps, input.provisionId);
  const errorName = input.error.Error ?? 'Error';
  const message = parseCause(input.error.Cause);
  const refusal = ['VmsRunningError', 'ImagesPresentError', 'InvalidStateError'].includes(errorName);
  if (refusal && p.state !== 'DELETING') {
    // Refused before anything changed: the provision keeps its state.
    await deps.lifecycle.note(p.id, 'Delete Refused', { errorName, message });
    return { provisionId: p.id, state: p.state };
  }
  const failure = { step: 'delete', errorName, message, attempt: 1, at: deps.now().toISOString() };
  await deps.store.transition(p.id, ['DELETING'], 'ERROR', { failedStep: 'delete', error: failure });
  await deps.lifecycle.emit(p.id, 'Provision Failed', { name: p.name, owner: p.owner, step: 'delete', errorName, message });
  return { provisionId: p.id, state: 'ERROR' };
}
