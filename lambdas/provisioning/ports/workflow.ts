/** The state machines the system runs. */
export type MachineName = 'create-provision' | 'delete-provision';

/** Status of an execution as Step Functions reports it; `UNKNOWN` when it does not exist (any more). */
export type WorkflowStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT' | 'UNKNOWN';

/** Starts, inspects and stops executions: Step Functions in AWS, the local runner in the sandbox. */
export interface WorkflowStarter {
  /** `name` makes the start idempotent: the same name never starts a second execution. */
  start(machine: MachineName, name: string, input: Record<string, unknown>): Promise<{ executionId: string }>;
  /** Whether an execution still runs (a provision in a moving state whose execution ended is stuck). */
  status(executionId: string): Promise<WorkflowStatus>;
  /**
   * Stops a running execution (a finished or unknown one is not an error).
   * Resolves once the execution no longer moves anything it can still stop.
   */
  stop(executionId: string, reason: string): Promise<void>;
}
