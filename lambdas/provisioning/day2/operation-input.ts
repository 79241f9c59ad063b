import { InvalidStateError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { loadProvision } from '../context';
import type { Provision, ProvisionOperation } from '../model';

/** What every step of a day-2 machine receives. */
export interface OperationStepInput {
  provisionId: string;
  operationId: string;
  /** `$$.Execution.Name`, by which the ending steps release the lock. */
  executionName?: string;
}

/** One host of an operation, as its Map iterates them. */
export interface OperationHost {
  provisionId: string;
  index: number;
}

/** What the first step hands the rest of a day-2 machine (`$.begin`). */
export interface BeginResult {
  provisionId: string;
  operationId: string;
  kind: ProvisionOperation['kind'];
  /** Wait between polls (AWS-scale seconds; the sandbox scales Wait states). */
  pollSeconds: number;
  maxConcurrency: number;
  hosts: OperationHost[];
  /** When the operation's machine began (timeouts count from it). */
  startedAt: string;
}

/**
 * The provision and the operation `input` names, which must hold its lock:
 * a step of an operation whose lock was taken over (it was found abandoned)
 * must not move the provision any more.
 */
export async function lockedProvision(
  deps: Deps,
  input: OperationStepInput,
): Promise<{ provision: Provision; operation: ProvisionOperation }> {
  const provision = await loadProvision(deps, input.provisionId);
  const operation = provision.operation;
  if (!operation || operation.id !== input.operationId) {
    throw new InvalidStateError(
      `operation ${input.operationId} no longer holds the lock of provision ${provision.id}${operation ? ` (${operation.id} does)` : ''}`,
    );
  }
  return { provision, operation };
}
