import type { ExecutionRecord } from '../sandbox/executions';
import type { EventLog, RunnerObserver, TaskInvocation } from '../sandbox/workflow-runner';

/** Whose work something was: a provision, and the host's index for host-pipeline work. */
export interface Owner {
  provisionId?: string;
  index?: number;
}

/** A Task invocation with the execution it belongs to. */
export interface TracedInvocation extends TaskInvocation, Owner {
  executionId: string;
  machine: string;
}

/** One entry into a Wait state (a readiness poll's pause). */
export interface TracedWait extends Owner {
  executionId: string;
  state: string;
  /** Epoch ms. */
  at: number;
}

function ownerOf(input: unknown): Owner {
  const o = (input ?? {}) as { provisionId?: unknown; index?: unknown };
  return {
    provisionId: typeof o.provisionId === 'string' ? o.provisionId : undefined,
    index: typeof o.index === 'number' ? o.index : undefined,
  };
}

/** Records what the sandbox's executions did: every Task invocation and every Wait entered. */
export class RunTrace implements RunnerObserver {
  readonly invocations: TracedInvocation[] = [];
  readonly waits: TracedWait[] = [];

  onInvocation(execution: ExecutionRecord, invocation: TaskInvocation): void {
    this.invocations.push({ ...invocation, ...ownerOf(invocation.input), executionId: execution.executionId, machine: execution.machine });
  }

  onEvent(execution: ExecutionRecord, event: EventLog): void {
    if (event.type !== 'StateEntered' || event.state.type !== 'Wait') return;
    this.waits.push({ executionId: execution.executionId, state: event.state.name, at: event.timestamp, ...ownerOf(event.state.input) });
  }

  /** Invocations made for one provision. */
  invocationsOf(provisionId: string): TracedInvocation[] {
    return this.invocations.filter((i) => i.provisionId === provisionId);
  }
}
