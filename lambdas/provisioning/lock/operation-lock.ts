import { randomBytes } from 'node:crypto';
import type { Deps } from '../ports/deps';
import type { MachineName } from '../ports/workflow';
import type { OperationOutcome, OperationRecord, Provision, ProvisionOperation } from '../model';
import type { ProvisionPatch } from '../ports/store';

/**
 * One operation at a time per provision (docs/architecture.md, "Operation
 * lock").
 *
 * The lock is the `operation` attribute of the provision's META item, taken
 * with a conditional write (`startOperation`, start-operation.ts) before the
 * execution that runs the operation starts, and released by that
 * execution's last step ({@link endOperation}: finalize, compensate, failure
 * records). A second request meets `OperationInProgressError` naming the
 * holder (HTTP 409). A holder whose execution no longer runs (a killed
 * daemon, an aborted or timed-out execution, a start that never happened)
 * does not block: the next request settles what it left and takes the lock.
 */

/** How many finished operations a provision keeps (its log keeps them all). */
export const OPERATION_HISTORY = 10;

/**
 * How long a lock may exist without its execution: the time between taking
 * the lock and StartExecution, which happen in one API call (29 s at most).
 */
export const UNSTARTED_GRACE_MS = 120_000;

/** A new operation id: `op-` and 12 hex digits. */
export function newOperationId(): string {
  return `op-${randomBytes(6).toString('hex')}`;
}

/** How the execution that ends an operation names it: by its execution name (`$$.Execution.Name`) or the operation id. */
export interface OperationHolder {
  executionName?: string;
  operationId?: string;
}

/**
 * Releases the lock when `holder` holds it and keeps the outcome in the
 * provision's recent history. A no-op for an execution that never held it
 * (started directly) or already released it, so the ending steps can run
 * again on retry.
 */
export async function endOperation(
  deps: Deps,
  provisionId: string,
  holder: OperationHolder,
  outcome: OperationOutcome,
  error?: OperationRecord['error'],
): Promise<boolean> {
  if (holder.executionName === undefined && holder.operationId === undefined) return false;
  const held = (await deps.store.get(provisionId))?.operation;
  if (!held) return false;
  if (held.id !== holder.operationId && held.executionName !== holder.executionName) return false;
  return deps.store.releaseOperation(provisionId, { operationId: held.id }, operationRecord(held, outcome, deps.now(), error));
}

/**
 * Merges into `patch` the release of the lock `holder` holds on `p`, so the
 * final state change and the release are one conditional write: nobody sees
 * the provision at rest while its lock is still held. No release when the
 * holder does not hold it (the change then applies alone).
 */
export function withRelease(
  p: Provision,
  holder: OperationHolder,
  patch: ProvisionPatch,
  outcome: OperationOutcome,
  at: Date,
  error?: OperationRecord['error'],
): ProvisionPatch {
  const held = p.operation;
  if (!held || (held.id !== holder.operationId && held.executionName !== holder.executionName)) return patch;
  const record = operationRecord(held, outcome, at, error);
  return {
    ...patch,
    operations: [record, ...(p.operations ?? []).filter((r) => r.id !== record.id)].slice(0, OPERATION_HISTORY),
    remove: [...(patch.remove ?? []), 'operation'],
    whileHolding: held.id,
  };
}

/** The history entry of a finished operation. */
export function operationRecord(
  operation: ProvisionOperation,
  outcome: OperationOutcome,
  at: Date,
  error?: OperationRecord['error'],
): OperationRecord {
  return {
    id: operation.id,
    kind: operation.kind,
    summary: operation.summary,
    startedAt: operation.startedAt,
    endedAt: at.toISOString(),
    outcome,
    ...(operation.executionId ? { executionId: operation.executionId } : {}),
    ...(error ? { error } : {}),
  };
}

/** Whether the holder's execution runs, or may still be about to start. */
export async function holderRuns(deps: Deps, holder: ProvisionOperation): Promise<boolean> {
  const status = await deps.workflows.status(holder.machine as MachineName, holder.executionName);
  if (status === undefined) return deps.now().getTime() - Date.parse(holder.startedAt) < UNSTARTED_GRACE_MS;
  return status === 'RUNNING' || status === 'PENDING_REDRIVE';
}
