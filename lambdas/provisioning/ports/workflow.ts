/** The state machines the system runs. */
export type MachineName = 'create-provision' | 'delete-provision' | 'scale-provision' | 'host-action' | 'ip-action' | 'configure-provision';

/** Status of an execution, as Step Functions reports it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** Starts, inspects and stops executions: Step Functions in AWS, the local runner in the sandbox. */
export interface WorkflowStarter {
  /** `name` makes the start idempotent: the same name never starts a second execution. */
  start(machine: MachineName, name: string, input: Record<string, unknown>): Promise<{ executionId: string }>;
  /** Status of the execution of `machine` named `name`; undefined when there is none. */
  status(machine: MachineName, name: string): Promise<ExecutionStatus | undefined>;
  /**
   * Stops the execution of `machine` named `name` (a finished or unknown one
   * is not an error). Resolves once it no longer moves anything it can stop.
   */
  stop(machine: MachineName, name: string, reason: string): Promise<void>;
}
