/** The state machines the system runs. */
export type MachineName = 'create-provision' | 'delete-provision';

/** Starts executions: Step Functions `StartExecution` in AWS, the local runner in the sandbox. */
export interface WorkflowStarter {
  /** `name` makes the start idempotent: the same name never starts a second execution. */
  start(machine: MachineName, name: string, input: Record<string, unknown>): Promise<{ executionId: string }>;
}
