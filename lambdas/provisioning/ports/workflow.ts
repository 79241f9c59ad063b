/** The state machines the system runs. */
export type MachineName = 'create-provision' | 'delete-provision';

/** Status of an execution, as Step Functions reports it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** Starts executions: Step Functions `StartExecution` in AWS, the local runner in the sandbox. */
export interface WorkflowStarter {
  /** `name` makes the start idempotent: the same name never starts a second execution. */
  start(machine: MachineName, name: string, input: Record<string, unknown>): Promise<{ executionId: string }>;
  /** Status of the execution of `machine` named `name`; undefined when there is none. */
  status(machine: MachineName, name: string): Promise<ExecutionStatus | undefined>;
}
