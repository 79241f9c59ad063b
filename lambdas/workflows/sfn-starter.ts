import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  StartExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { MachineName, WorkflowStarter, WorkflowStatus } from '../provisioning/ports/workflow';

const STATUSES: readonly WorkflowStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT'];

/**
 * Starts Step Functions executions. The execution name makes a start
 * idempotent: a second start with the same name and input is the same
 * execution, so its ARN is derived and returned.
 */
export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly machines: Record<MachineName, string>,
  ) {}

  async start(machine: MachineName, name: string, input: Record<string, unknown>): Promise<{ executionId: string }> {
    const stateMachineArn = this.machines[machine];
    try {
      const res = await this.client.send(
        new StartExecutionCommand({ stateMachineArn, name: name.slice(0, 80), input: JSON.stringify(input) }),
      );
      return { executionId: res.executionArn ?? '' };
    } catch (err) {
      if (!(err instanceof ExecutionAlreadyExists)) throw err;
      return { executionId: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name.slice(0, 80)}` };
    }
  }

  async status(executionId: string): Promise<WorkflowStatus> {
    try {
      const res = await this.client.send(new DescribeExecutionCommand({ executionArn: executionId }));
      const status = res.status as WorkflowStatus | undefined;
      return status && STATUSES.includes(status) ? status : 'UNKNOWN';
    } catch (err) {
      if (err instanceof ExecutionDoesNotExist) return 'UNKNOWN';
      throw err;
    }
  }

  /**
   * `StopExecution`. A Lambda invocation already in flight runs to its end;
   * the forced teardown that follows sweeps by tag, so what it still creates
   * is found (see docs/operations.md).
   */
  async stop(executionId: string, reason: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn: executionId, cause: reason.slice(0, 32_000) }));
    } catch (err) {
      if (!(err instanceof ExecutionDoesNotExist)) throw err;
    }
  }
}
