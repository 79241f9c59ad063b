import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { MachineName, WorkflowStarter } from '../provisioning/ports/workflow';

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
}
