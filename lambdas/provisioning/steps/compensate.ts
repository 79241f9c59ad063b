import type { Deps } from '../ports/deps';
import { loadProvision } from '../context';
import type { Provision, StepFailure } from '../model';
import { BestEffort, describeLeftovers } from '../best-effort';
import { parseCause } from './host-register';
import { deregisterHost, releaseHost } from './teardown';
import { sweepProvision } from './sweep';
import { disarmTeardownTriggers } from '../scheduling/teardown-triggers';
import { endOperation, withRelease } from '../lock/operation-lock';

/** Input of the create machine's catch-all: the error that ended the flow. */
export interface CompensateInput {
  provisionId: string;
  /** The machine's phase that failed (prepare, network, hosts, converge, finalize). */
  step?: string;
  error: { Error?: string; Cause?: string };
  /** The execution's name (`$$.Execution.Name`), which releases the operation lock it holds. */
  executionName?: string;
}

/**
 * The failure to record: the phase's own error, except when the phase is
 * the failure policy noticing failed hosts — then the first failed host's
 * record, name and message together (never one host's error name with
 * another step's message).
 */
export function rootCause(p: Provision, input: CompensateInput): Pick<StepFailure, 'step' | 'errorName' | 'message'> {
  const phase = { step: input.step ?? 'provision', errorName: input.error.Error ?? 'Error', message: parseCause(input.error.Cause) };
  if (phase.errorName !== 'ProvisionFailedError') return phase;
  // A rolled-back host keeps its failure record after it is RELEASED.
  const failed = p.hosts.find((h) => h.failedStep && h.error);
  if (!failed?.error) return phase;
  return {
    step: failed.failedStep ?? failed.error.step,
    errorName: failed.error.errorName,
    message: `host ${failed.name}: ${failed.error.message}`,
  };
}

/** Retries inside compensation of a transient failure, before it is reported as left over. */
const UNDO_ATTEMPTS = { attempts: 3, delayMs: 100 };

/**
 * The saga's compensation. With the default `rollback` policy it undoes
 * everything the create flow did, in reverse (hosts, addresses, vnets,
 * datastores, cluster, provider infrastructure), then records ERROR with the
 * failed step. With `keep` or `teardown` it leaves resources for `retry` or
 * for the `Provision Failed` rule.
 *
 * It never lets an undo failure escape: what cannot be removed is recorded
 * on the provision (`leftovers`) and in the event, and the provision still
 * reaches ERROR, from where `delete` (or `delete --force`) finishes the job.
 * Paid resources go first: a machine is released even when its OpenNebula
 * host could not be removed.
 */
export async function compensate(deps: Deps, input: CompensateInput): Promise<{ provisionId: string; state: 'ERROR' }> {
  const p = await loadProvision(deps, input.provisionId);
  const cause = rootCause(p, input);
  const policy = p.plan.failurePolicy.onError;
  const effort = new BestEffort(UNDO_ATTEMPTS);
  let remaining: Awaited<ReturnType<typeof sweepProvision>> | undefined;
  if (policy === 'rollback') {
    for (const host of [...p.hosts].reverse()) {
      const torn = await effort.run(`host ${host.name}`, async () => {
        const step = { provisionId: p.id, index: host.index, cleanup: true, force: true };
        const deregistered = await deregisterHost(deps, step);
        return releaseHost(deps, { ...step, notRemoved: deregistered.notRemoved });
      });
      effort.leftovers.push(...(torn?.notRemoved ?? []));
    }
    remaining = await sweepProvision(deps, await loadProvision(deps, p.id), effort, { byName: true });
    // Finalize may have armed them just before failing; nothing is left for them to tear down.
    await effort.run('TTL schedule and teardown rule', () => disarmTeardownTriggers(deps, p));
  }
  const failure: StepFailure = { ...cause, attempt: 1, at: deps.now().toISOString() };
  const leftovers = effort.leftovers;
  const remove: Array<'cluster' | 'infrastructure' | 'leftovers'> = leftovers.length ? [] : ['leftovers'];
  if (remaining && !remaining.cluster) remove.push('cluster');
  if (remaining?.infrastructureRemoved) remove.push('infrastructure');
  const patch = {
    failedStep: cause.step,
    error: failure,
    // Only what was really removed leaves the record; what is left stays findable for delete.
    ...(remaining ? { datastores: remaining.datastores, networks: remaining.networks } : {}),
    ...(leftovers.length ? { leftovers } : {}),
    remove,
  };
  // The lock goes with the state change, before the event: a teardown rule it triggers must find it free.
  const ended = { step: cause.step, errorName: cause.errorName, message: cause.message };
  await deps.store.transition(
    p.id,
    ['PENDING', 'PROVISIONING', 'SCALING', 'ERROR'],
    'ERROR',
    withRelease(p, { executionName: input.executionName }, patch, 'FAILED', deps.now(), ended),
  );
  await endOperation(deps, p.id, { executionName: input.executionName }, 'FAILED', ended);
  await deps.lifecycle.emit(p.id, 'Provision Failed', {
    name: p.name,
    owner: p.owner,
    step: cause.step,
    errorName: cause.errorName,
    message: cause.message,
    onError: policy,
    rolledBack: policy === 'rollback' && leftovers.length === 0,
    ...(leftovers.length ? { undoErrors: leftovers.map((l) => describeLeftovers([l])) } : {}),
  });
  return { provisionId: p.id, state: 'ERROR' };
}

/**
 * Records that the execution moving a provision ended without reaching its
 * own failure handling (process killed, execution aborted or timed out), so
 * the provision does not stay in a moving state: it goes to ERROR with step
 * `interrupted` — or `delete` when a delete was interrupted, so that `retry`
 * continues the delete instead of creating again. Releases the operation
 * lock the execution held, if any.
 */
export async function recordInterrupted(
  deps: Deps,
  input: { provisionId: string; reason: string; executionName?: string },
): Promise<{ provisionId: string; state: string }> {
  const p = await loadProvision(deps, input.provisionId);
  const error = { step: 'interrupted', errorName: 'ExecutionInterrupted', message: input.reason };
  await endOperation(deps, p.id, { executionName: input.executionName }, 'INTERRUPTED', error);
  if (!['PENDING', 'PROVISIONING', 'SCALING', 'DELETING'].includes(p.state)) return { provisionId: p.id, state: p.state };
  const step = p.state === 'DELETING' ? 'delete' : 'interrupted';
  const failure = { step, errorName: 'ExecutionInterrupted', message: input.reason, attempt: 1, at: deps.now().toISOString() };
  await deps.store.transition(p.id, ['PENDING', 'PROVISIONING', 'SCALING', 'DELETING'], 'ERROR', { failedStep: step, error: failure });
  await deps.lifecycle.emit(p.id, 'Provision Failed', {
    name: p.name,
    owner: p.owner,
    step,
    errorName: 'ExecutionInterrupted',
    message: input.reason,
    ...(step === 'interrupted' ? { onError: p.plan.failurePolicy.onError, rolledBack: false } : {}),
  });
  return { provisionId: p.id, state: 'ERROR' };
}

/**
 * The last resort of the create machine, when compensation itself failed
 * after its retries: the provision still leaves its moving state for ERROR,
 * with the original failure and a leftover saying the rollback did not
 * finish, so `delete` or `delete --force` can take over. Never stuck.
 */
export async function recordCompensationFailure(
  deps: Deps,
  input: CompensateInput & { compensationError: { Error?: string; Cause?: string } },
): Promise<{ provisionId: string; state: string }> {
  const p = await loadProvision(deps, input.provisionId);
  const cause = rootCause(p, input);
  const holder = { executionName: input.executionName };
  if (!['PENDING', 'PROVISIONING', 'SCALING'].includes(p.state)) {
    await endOperation(deps, p.id, holder, 'FAILED', cause);
    return { provisionId: p.id, state: p.state };
  }
  const leftover = {
    object: 'rollback',
    errorName: input.compensationError.Error ?? 'Error',
    message: `compensation did not finish (${parseCause(input.compensationError.Cause)}); delete --force removes what is left`,
  };
  // The lock goes with the state change: whoever sees ERROR may retry or delete at once.
  const patch = {
    failedStep: cause.step,
    error: { ...cause, attempt: 1, at: deps.now().toISOString() },
    leftovers: [...(p.leftovers ?? []), leftover],
  };
  await deps.store.transition(
    p.id,
    ['PENDING', 'PROVISIONING', 'SCALING'],
    'ERROR',
    withRelease(p, holder, patch, 'FAILED', deps.now(), cause),
  );
  await endOperation(deps, p.id, holder, 'FAILED', cause);
  await deps.lifecycle.emit(p.id, 'Provision Failed', {
    name: p.name,
    owner: p.owner,
    step: cause.step,
    errorName: cause.errorName,
    message: cause.message,
    onError: p.plan.failurePolicy.onError,
    rolledBack: false,
    undoErrors: [describeLeftovers([leftover])],
  });
  return { provisionId: p.id, state: 'ERROR' };
}
