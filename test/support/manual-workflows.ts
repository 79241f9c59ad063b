import type { WorkflowStarter } from '../../lambdas/provisioning/ports/workflow';

/**
 * A workflow port that starts nothing, for tests that move provisions by
 * hand: every "started" execution reads as running until stopped.
 */
export function manualWorkflows(): WorkflowStarter & { started: string[]; stopped: string[] } {
  const started: string[] = [];
  const stopped: string[] = [];
  return {
    started,
    stopped,
    start: async (_machine, name) => {
      started.push(name);
      return { executionId: `manual:${name}` };
    },
    status: async (executionId) => (stopped.includes(executionId) ? 'ABORTED' : 'RUNNING'),
    stop: async (executionId) => {
      stopped.push(executionId);
    },
  };
}
