import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  StartExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { ExecutionStatus, MachineName, WorkflowStarter } from '../provisioning/ports/workflow';

/** Step Functions caps execution names at 80 characters. */
const NAME_LIMIT = 80;

/**
 * Starts Step Functions executions. The execution name makes a start
 * idempotent: a second start with the same name and input is the same
 * execution, so its ARN is derived and returned.
 */
export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly machines: Partial<Record<MachineName, string>>,
  ) {}

  async start(machine: MachineName, name: string, input: Record<string, unknown>): Promise<{ executionId: string }> {
    const stateMachineArn = this.machineArn(machine);
    try {
      const res = await this.client.send(
        new StartExecutionCommand({ stateMachineArn, name: name.slice(0, NAME_LIMIT), input: JSON.stringify(input) }),
      );
      return { executionId: res.executionArn ?? '' };
    } catch (err) {
      if (!(err instanceof ExecutionAlreadyExists)) throw err;
      return { executionId: executionArn(stateMachineArn, name) };
    }
  }

  async status(machine: MachineName, name: string): Promise<ExecutionStatus | undefined> {
    try {
      const res = await this.client.send(new DescribeExecutionCommand({ executionArn: executionArn(this.machineArn(machine), name) }));
      return res.status as ExecutionStatus | undefined;
    } catch (err) {
      if (err instanceof ExecutionDoesNotExist) return undefined;
      throw err;
    }
  }

  /**
   * `StopExecution`. A Lambda invocation already in flight runs to its end;
   * its conditional writes then fail on the provision the forced delete moved,
   * and a further `delete --force` sweeps again by tag what it still created.
   */
  async stop(machine: MachineName, name: string, reason: string): Promise<void> {
    try {
      await this.client.send(
        new StopExecutionCommand({ executionArn: executionArn(this.machineArn(machine), name), cause: reason.slice(0, 32_000) }),
      );
    } catch (err) {
      if (!(err instanceof ExecutionDoesNotExist)) throw err;
    }
  }

  private machineArn(machine: MachineName): string {
    const arn = this.machines[machine];
    if (!arn) throw new Error(`no state machine ARN configured for ${machine}`);
    return arn;
  }
}

/** The ARN of a machine's execution with that name (what StartExecution answers). */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name.slice(0, NAME_LIMIT)}`;
}
