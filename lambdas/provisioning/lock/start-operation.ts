import { OperationInProgressError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import type { MachineName } from '../ports/workflow';
import type { OperationKind, Provision, ProvisionOperation, ProvisionState } from '../model';
import { recordHolderInterrupted } from './interrupted';
import { holderRuns, newOperationId, operationRecord } from './operation-lock';

/** What {@link startOperation} runs. */
export interface OperationRequest {
  kind: OperationKind;
  /** For people: `add 2 hosts`, `poweroff edge-host1`. */
  summary: string;
  machine: MachineName;
  /** States the provision must be in when the lock is taken. */
  inStates: readonly ProvisionState[];
  /** Execution names are `<prefix>-<provision>-<operation>`; default prefix: the kind. */
  executionPrefix?: string;
}

/**
 * Takes the provision's operation lock for `request`. A holder whose
 * execution no longer runs is settled first (what it left is recorded, the
 * provision leaves its moving state) and its lock released as INTERRUPTED.
 * Fails with OperationInProgressError (a running holder), InvalidStateError
 * (the provision is not in `inStates`) or NotFoundError.
 */
export async function acquireOperation(
  deps: Deps,
  provisionId: string,
  request: OperationRequest,
): Promise<{ provision: Provision; operation: ProvisionOperation }> {
  const id = newOperationId();
  const operation: ProvisionOperation = {
    id,
    kind: request.kind,
    summary: request.summary,
    machine: request.machine,
    executionName: `${request.executionPrefix ?? request.kind}-${provisionId}-${id.slice(3)}`,
    startedAt: deps.now().toISOString(),
  };
  const take = () => deps.store.acquireOperation(provisionId, operation, { inStates: request.inStates });
  try {
    return { provision: await take(), operation };
  } catch (err) {
    if (!(err instanceof OperationInProgressError)) throw err;
    const holder = (await deps.store.get(provisionId))?.operation;
    if (holder && (await holderRuns(deps, holder))) throw err;
    if (holder) await settleAbandoned(deps, provisionId, holder);
    // Once: if another request took the lock meanwhile, its execution runs and this one is refused.
    return { provision: await take(), operation };
  }
}

/**
 * Runs an operation: takes the lock, lets `prepare` check the locked
 * provision and build the machine input (a refusal there releases the lock),
 * starts the machine with `{provisionId, operationId, ...input}`, and
 * records the execution on the lock.
 */
export async function startOperation(
  deps: Deps,
  provisionId: string,
  request: OperationRequest,
  prepare: (provision: Provision, operation: ProvisionOperation) => Promise<Record<string, unknown>> = async () => ({}),
): Promise<{ provision: Provision; operation: ProvisionOperation; executionId: string }> {
  const { provision, operation } = await acquireOperation(deps, provisionId, request);
  let executionId: string;
  try {
    const input = await prepare(provision, operation);
    ({ executionId } = await deps.workflows.start(request.machine, operation.executionName, {
      ...input,
      provisionId,
      operationId: operation.id,
    }));
  } catch (err) {
    await deps.store.releaseOperation(provisionId, { operationId: operation.id });
    throw err;
  }
  // False when the execution already ended and released the lock: nothing to record then.
  await deps.store.setOperationExecution(provisionId, operation.id, executionId);
  const started = { ...operation, executionId };
  return { provision: { ...provision, operation: started, executionId }, operation: started, executionId };
}

/**
 * What an abandoned operation leaves is settled (`recordExecutionInterrupted`:
 * a creation or deletion's provision goes to ERROR, from where `retry`
 * resumes and `delete` cleans up; a day-2 operation's moving hosts become
 * FAILED); then its lock is released as INTERRUPTED.
 */
async function settleAbandoned(deps: Deps, provisionId: string, holder: ProvisionOperation): Promise<void> {
  const reason = `execution ${holder.executionName} of operation ${holder.id} (${holder.summary}) no longer runs`;
  await recordHolderInterrupted(deps, provisionId, holder, reason);
  const error = { step: 'interrupted', errorName: 'ExecutionInterrupted', message: reason };
  await deps.store.releaseOperation(provisionId, { operationId: holder.id }, operationRecord(holder, 'INTERRUPTED', deps.now(), error));
  await deps.lifecycle.note(provisionId, 'Operation Interrupted', { operationId: holder.id, kind: holder.kind, message: reason });
}
