import type { Deps } from '../ports/deps';
import type { MachineName } from '../ports/workflow';
import type { ProvisionOperation } from '../model';
import { settleInterruptedDay2 } from '../day2/interrupted';
import { recordInterrupted } from '../steps/compensate';
import { endOperation } from './operation-lock';

/** Machines that run day-2 operations on a live provision. */
export const DAY2_MACHINES: readonly MachineName[] = ['scale-provision', 'host-action', 'ip-action', 'configure-provision'];

/**
 * Records that an execution ended without reaching its own failure handling
 * (a killed process, an aborted or timed-out execution): a creation or
 * deletion leaves its provision in ERROR (step `interrupted`); a day-2
 * operation leaves the hosts it was moving FAILED and the provision RUNNING
 * or DEGRADED. The operation lock the execution held is released as
 * INTERRUPTED.
 */
export async function recordExecutionInterrupted(
  deps: Deps,
  input: { provisionId: string; machine: MachineName | string; executionName?: string; reason: string },
): Promise<void> {
  if (DAY2_MACHINES.includes(input.machine as MachineName)) {
    await settleInterruptedDay2(deps, input.provisionId, input.reason);
    const error = { step: 'interrupted', errorName: 'ExecutionInterrupted', message: input.reason };
    await endOperation(deps, input.provisionId, { executionName: input.executionName }, 'INTERRUPTED', error);
    return;
  }
  await recordInterrupted(deps, { provisionId: input.provisionId, reason: input.reason, executionName: input.executionName });
}

/** {@link recordExecutionInterrupted} for an abandoned lock holder. */
export function recordHolderInterrupted(deps: Deps, provisionId: string, holder: ProvisionOperation, reason: string): Promise<void> {
  return recordExecutionInterrupted(deps, { provisionId, machine: holder.machine, executionName: holder.executionName, reason });
}
