import { describeError, HostBusyError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { loadProvision } from '../context';
import { parseCause } from './host-register';
import { deleteNetworkInfra, deregisterHost, releaseHost } from './teardown';
import { disarmTeardownTriggers } from '../scheduling/teardown-triggers';

/** Input of the create machine's catch-all: the error that ended the flow. */
export interface CompensateInput {
  provisionId: string;
  /** The machine's phase that failed (prepare, network, hosts, converge, finalize). */
  step?: string;
  error: { Error?: string; Cause?: string };
}

/**
 * The saga's compensation. With the default `rollback` policy it undoes
 * everything the create flow did, in reverse (hosts, addresses, vnets,
 * datastores, cluster, provider infrastructure), then records ERROR with the
 * failed step. With `keep` or `teardown` it leaves resources for `retry` or
 * for the `Provision Failed` rule.
 */
export async function compensate(deps: Deps, input: CompensateInput): Promise<{ provisionId: string; state: 'ERROR' }> {
  const p = await loadProvision(deps, input.provisionId);
  const failedHost = p.hosts.find((h) => h.failedStep);
  // The root cause is the failed host's error, not the policy check that noticed it.
  const errorName = failedHost?.error?.errorName ?? input.error.Error ?? 'Error';
  const message = parseCause(input.error.Cause);
  const failedStep = failedHost?.failedStep ?? input.step ?? 'provision';
  const policy = p.plan.failurePolicy.onError;
  const undo: string[] = [];
  if (policy === 'rollback') {
    for (const host of [...p.hosts].reverse()) {
      try {
        const deregistered = await deregisterHost(deps, { provisionId: p.id, index: host.index, cleanup: true });
        if (!deregistered.done) throw new HostBusyError(`host ${host.name}: its VMs are still terminating`);
        await releaseHost(deps, { provisionId: p.id, index: host.index });
      } catch (err) {
        undo.push(`${host.name}: ${describeError(err).message}`);
      }
    }
    await deleteNetworkInfra(deps, { provisionId: p.id, cleanup: true });
    // Finalize may have armed them just before failing; nothing is left for them to tear down.
    await disarmTeardownTriggers(deps, p);
  }
  const undone =
    policy === 'rollback'
      ? { datastores: [], networks: [], remove: ['cluster', 'infrastructure'] as Array<'cluster' | 'infrastructure'> }
      : {};
  const failure = { step: failedStep, errorName, message, attempt: 1, at: deps.now().toISOString() };
  await deps.store.transition(p.id, ['PENDING', 'PROVISIONING', 'SCALING', 'ERROR'], 'ERROR', { failedStep, error: failure, ...undone });
  await deps.lifecycle.emit(p.id, 'Provision Failed', {
    name: p.name,
    owner: p.owner,
    step: failedStep,
    errorName,
    message,
    onError: policy,
    rolledBack: policy === 'rollback',
    ...(undo.length ? { undoErrors: undo } : {}),
  });
  return { provisionId: p.id, state: 'ERROR' };
}

/**
 * Records that the execution moving a provision ended without reaching its
 * own failure handling (process killed, execution aborted or timed out), so
 * the provision does not stay in a moving state: it goes to ERROR with step
 * `interrupted`, from where `retry` resumes and `delete` cleans up.
 */
export async function recordInterrupted(
  deps: Deps,
  input: { provisionId: string; reason: string },
): Promise<{ provisionId: string; state: string }> {
  const p = await loadProvision(deps, input.provisionId);
  if (!['PENDING', 'PROVISIONING', 'SCALING', 'DELETING'].includes(p.state)) return { provisionId: p.id, state: p.state };
  const failure = {
    step: 'interrupted',
    errorName: 'ExecutionInterrupted',
    message: input.reason,
    attempt: 1,
    at: deps.now().toISOString(),
  };
  await deps.store.transition(p.id, ['PENDING', 'PROVISIONING', 'SCALING', 'DELETING'], 'ERROR', {
    failedStep: 'interrupted',
    error: failure,
  });
  await deps.lifecycle.emit(p.id, 'Provision Failed', {
    name: p.name,
    owner: p.owner,
    step: 'interrupted',
    errorName: 'ExecutionInterrupted',
    message: input.reason,
    onError: p.plan.failurePolicy.onError,
    rolledBack: false,
  });
  return { provisionId: p.id, state: 'ERROR' };
}
