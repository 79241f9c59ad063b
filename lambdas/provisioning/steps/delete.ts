import { ImagesPresentError, InvalidStateError, VmsRunningError } from '../../shared/errors';
import { disarmTeardownTriggers } from '../scheduling/teardown-triggers';
import type { Deps } from '../ports/deps';
import { loadProvision } from '../context';
import { PROVISION_STATES, type Provision, type ProvisionState } from '../model';
import { BestEffort, describeLeftovers, type Leftover } from '../best-effort';
import { parseCause } from './host-register';
import { DEFAULT_CLEANUP_TIMEOUT_SECONDS } from './teardown';
import { endOperation, withRelease } from '../lock/operation-lock';
import { releaseNames } from '../name-reservations';
import { isOwnSecret } from '../credentials';

/** States a delete may start from (DELETING: resuming an interrupted delete). */
export const DELETABLE_STATES: readonly ProvisionState[] = ['PENDING', 'RUNNING', 'DEGRADED', 'ERROR', 'DELETING'];

/** Input of the delete machine. */
export interface DeleteInput {
  provisionId: string;
  cleanup?: boolean;
  /** `--cleanup-timeout`: seconds to wait for VMs (per host) and images (each) to be gone. */
  cleanupTimeoutSeconds?: number;
  /** Forced: from any state, VMs terminated, everything attempted, leftovers reported. */
  force?: boolean;
  /** The execution running the delete, recorded so a stuck delete can be told from a running one. */
  executionId?: string;
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
    throw new InvalidStateError(
      `provision ${p.id} is ${p.state}; wait for it to finish, or retry it, before deleting (delete --force stops it and removes everything)`,
    );
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
  force: boolean;
  alreadyDeleted: boolean;
  hosts: Array<{ provisionId: string; index: number; cleanup: boolean; force: boolean; cleanupTimeoutSeconds: number }>;
}> {
  const p = await loadProvision(deps, input.provisionId);
  const force = input.force === true;
  const cleanup = input.cleanup === true || force;
  const cleanupTimeoutSeconds = input.cleanupTimeoutSeconds ?? DEFAULT_CLEANUP_TIMEOUT_SECONDS;
  if (p.state === 'DELETED' && !force) return { provisionId: p.id, cleanup, cleanupTimeoutSeconds, force, alreadyDeleted: true, hosts: [] };
  if (!force) await assertDeletable(deps, p, cleanup);
  if (p.state !== 'DELETING') {
    await deps.store.transition(p.id, force ? PROVISION_STATES : DELETABLE_STATES, 'DELETING', {
      clearError: true,
      deletion: {
        cleanup,
        force,
        ...(input.cleanupTimeoutSeconds !== undefined ? { cleanupTimeoutSeconds: input.cleanupTimeoutSeconds } : {}),
      },
      ...(input.executionId ? { executionId: input.executionId } : {}),
    });
    await deps.lifecycle.emit(p.id, 'Provision Deleting', { name: p.name, owner: p.owner, cleanup });
  } else {
    await deps.store.patch(p.id, ['DELETING'], {
      deletion: {
        cleanup,
        force,
        ...(input.cleanupTimeoutSeconds !== undefined ? { cleanupTimeoutSeconds: input.cleanupTimeoutSeconds } : {}),
      },
      ...(input.executionId ? { executionId: input.executionId } : {}),
    });
  }
  return {
    provisionId: p.id,
    cleanup,
    cleanupTimeoutSeconds,
    force,
    alreadyDeleted: false,
    hosts: p.hosts
      .filter((h) => h.state !== 'RELEASED')
      .map((h) => ({ provisionId: p.id, index: h.index, cleanup, force, cleanupTimeoutSeconds })),
  };
}

/**
 * Deletes the secret that holds credentials found inline in the provision's
 * descriptor, when it is this provision's own (its name carries the id): a
 * secret is billed monthly, and nothing reads it once the hosts are gone.
 */
async function deleteOwnSecret(deps: Deps, p: Provision): Promise<void> {
  const ref = p.plan.provider.connectionRef;
  if (ref && isOwnSecret(ref, p.id)) await deps.secrets.delete(ref);
}

/** Input of the last delete step: what the host and network steps could not remove. */
export interface FinalizeDeleteInput {
  provisionId: string;
  /** `$$.Execution.Name`: the operation lock it releases. */
  executionName?: string;
  force?: boolean;
  hosts?: Array<{ notRemoved?: Leftover[] } | null> | null;
  network?: { notRemoved?: Leftover[] } | null;
}

/**
 * Last step of delete: DELETED — or, when a forced delete could not remove
 * everything, ERROR naming each leftover (the paid and registered objects
 * still there), so nothing that still exists looks deleted. Releases the
 * operation lock either way.
 */
export async function finalizeDelete(deps: Deps, input: FinalizeDeleteInput): Promise<{ provisionId: string; state: 'DELETED' | 'ERROR' }> {
  const p = await loadProvision(deps, input.provisionId);
  const effort = new BestEffort(input.force ? { attempts: 3, delayMs: 100 } : {});
  // Before the transition, so a failed removal is retried with the step.
  await effort.run('TTL schedule and teardown rule', () => disarmTeardownTriggers(deps, p));
  await effort.run('provider credentials secret', () => deleteOwnSecret(deps, p));
  if (!input.force) effort.throwFirst();
  const holder = { executionName: input.executionName };
  const leftovers = [...(input.hosts ?? []).flatMap((h) => h?.notRemoved ?? []), ...(input.network?.notRemoved ?? []), ...effort.leftovers];
  if (leftovers.length > 0) {
    const message = `the forced delete could not remove ${leftovers.length} object(s): ${describeLeftovers(leftovers)}`;
    const failure = { step: 'delete', errorName: 'TeardownIncomplete', message, attempt: 1, at: deps.now().toISOString() };
    const ended = { step: 'delete', errorName: 'TeardownIncomplete', message };
    await deps.store.transition(
      p.id,
      ['DELETING'],
      'ERROR',
      withRelease(p, holder, { failedStep: 'delete', error: failure, leftovers }, 'FAILED', deps.now(), ended),
    );
    await endOperation(deps, p.id, holder, 'FAILED', ended);
    await deps.lifecycle.emit(p.id, 'Provision Failed', {
      name: p.name,
      owner: p.owner,
      step: 'delete',
      errorName: 'TeardownIncomplete',
      message,
      undoErrors: leftovers.map((l) => describeLeftovers([l])),
    });
    return { provisionId: p.id, state: 'ERROR' };
  }
  const deleting = p.state !== 'DELETED';
  // Everything is torn down: the names are free before anyone sees DELETED (a
  // create that follows it must get them), and freeing them again is harmless.
  await releaseNames(deps, p);
  // The lock goes with the state change: nobody sees DELETED while it is still held.
  if (deleting) {
    await deps.store.transition(
      p.id,
      ['DELETING'],
      'DELETED',
      withRelease(p, holder, { clearError: true, remove: ['leftovers'] }, 'SUCCEEDED', deps.now()),
    );
  }
  await endOperation(deps, p.id, holder, 'SUCCEEDED');
  if (deleting) await deps.lifecycle.emit(p.id, 'Provision Deleted', { name: p.name, owner: p.owner });
  return { provisionId: p.id, state: 'DELETED' };
}

/**
 * Catch of the delete machine: records ERROR with the step, so delete (or
 * retry) can be run again; releases the operation lock.
 */
export async function recordDeleteFailure(
  deps: Deps,
  input: { provisionId: string; error: { Error?: string; Cause?: string }; executionName?: string },
): Promise<{ provisionId: string; state: string }> {
  const p = await loadProvision(deps, input.provisionId);
  const errorName = input.error.Error ?? 'Error';
  const message = parseCause(input.error.Cause);
  const holder = { executionName: input.executionName };
  const refusal = ['VmsRunningError', 'ImagesPresentError', 'InvalidStateError'].includes(errorName);
  if (p.state !== 'DELETING' && refusal) {
    // Refused before anything changed: the provision keeps its state.
    await deps.lifecycle.note(p.id, 'Delete Refused', { errorName, message });
    await endOperation(deps, p.id, holder, 'REFUSED', { step: 'delete', errorName, message });
    return { provisionId: p.id, state: p.state };
  }
  if (p.state !== 'DELETING') {
    // Failed before it moved the provision (it was never DELETING): nothing to record but the lock.
    await endOperation(deps, p.id, holder, 'FAILED', { step: 'delete', errorName, message });
    return { provisionId: p.id, state: p.state };
  }
  const failure = { step: 'delete', errorName, message, attempt: 1, at: deps.now().toISOString() };
  const failed = { step: 'delete', errorName, message };
  await deps.store.transition(
    p.id,
    ['DELETING'],
    'ERROR',
    withRelease(p, holder, { failedStep: 'delete', error: failure }, 'FAILED', deps.now(), failed),
  );
  await endOperation(deps, p.id, holder, 'FAILED', failed);
  await deps.lifecycle.emit(p.id, 'Provision Failed', { name: p.name, owner: p.owner, step: 'delete', errorName, message });
  return { provisionId: p.id, state: 'ERROR' };
}
