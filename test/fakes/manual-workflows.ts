import type { ExecutionStatus, MachineName, WorkflowStarter } from '../../lambdas/provisioning/ports/workflow';

/**
 * A workflow starter that runs nothing: tests that move provisions by hand
 * use it so no execution moves them too. What it "started" counts as
 * RUNNING until a test says otherwise (or stops it: then ABORTED).
 */
export function manualWorkflows(): WorkflowStarter & { statuses: Map<string, ExecutionStatus> } {
  const statuses = new Map<string, ExecutionStatus>();
  return {
    statuses,
    async start(_machine: MachineName, name: string) {
      if (!statuses.has(name)) statuses.set(name, 'RUNNING');
      return { executionId: `manual:${name}` };
    },
    async status(_machine: MachineName, name: string) {
      return statuses.get(name);
    },
    async stop(_machine: MachineName, name: string) {
      if (statuses.get(name) === 'RUNNING') statuses.set(name, 'ABORTED');
    },
  };
}
