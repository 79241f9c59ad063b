import { StateMachine } from 'aws-local-stepfunctions';

type JSONValue = Parameters<StateMachine['run']>[0];
/** One event of an execution's log (aws-local-stepfunctions does not export the type). */
export type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { TASK_HANDLERS } from '../lambdas/handlers/task-handlers';
import type { ExecutionStatus as PortStatus, MachineName, WorkflowStarter } from '../lambdas/provisioning/ports/workflow';
import { allStates, failurePathStates, loadDefinition, placeholderOf, type AslDefinition } from './definitions';
import { ExecutionStore, type ExecutionRecord } from './executions';

type TaskHandler = (event: unknown, context: Partial<Context>) => Promise<unknown>;

/** The repository's machines, each validated once per process (the files do not change while it runs). */
const VALIDATED = new Map<MachineName, { def: AslDefinition; machine: StateMachine }>();

/**
 * Longest a Task may run when its state sets no TimeoutSeconds: a Lambda
 * function's own limit. Step Functions sets no default (99999999 s), but
 * aws-local-stepfunctions fails such a Task after 60 s, which a long
 * ConfigureHost reaches in scaled time.
 */
export const TASK_TIMEOUT_SECONDS = 900;

/** The definition as the runner executes it: Tasks without a timeout get {@link TASK_TIMEOUT_SECONDS}. */
export function withTaskTimeouts(def: AslDefinition): AslDefinition {
  const copy = structuredClone(def);
  for (const [, state] of allStates(copy)) {
    if (state.Type === 'Task' && state['TimeoutSeconds'] === undefined && state['TimeoutSecondsPath'] === undefined) {
      state['TimeoutSeconds'] = TASK_TIMEOUT_SECONDS;
    }
  }
  return copy;
}

/** How the sandbox paces executions. */
export interface RunnerTiming {
  /** Real ms every Wait state takes (the ASL's SecondsPath are AWS-scale). */
  waitMs: number;
  /** Real ms between retries of a failed Task. */
  retryMs: number;
  /** What a handler's context reports as remaining time. */
  taskBudgetMs: number;
}

/** One Task handler invocation as the runner made it. */
export interface TaskInvocation {
  /** State name in the machine. */
  state: string;
  /** Handler file under `lambdas/handlers/` (the function CDK deploys). */
  handler: string;
  input: unknown;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  ok: boolean;
}

/** Watches what executions do (benchmarks: transitions, invocations, waits). */
export interface RunnerObserver {
  /** Every state-machine event of every execution, as aws-local-stepfunctions reports it. */
  onEvent?(execution: ExecutionRecord, event: EventLog): void;
  /** Every Task handler invocation, when it ends. */
  onInvocation?(execution: ExecutionRecord, invocation: TaskInvocation): void;
}

/**
 * Runs the repository's ASL files with aws-local-stepfunctions, resolving each
 * Task's `${Placeholder}` to the exported `handler` of the same file the CDK
 * stack deploys. Executions run in the background; their status is kept in an
 * {@link ExecutionStore}.
 */
export class LocalWorkflowRunner implements WorkflowStarter {
  private readonly running = new Map<string, { abort: () => void; done: Promise<void>; inFlight: Set<Promise<unknown>> }>();
  /** Handler calls still running, also those of executions already aborted (a call cannot be killed). */
  private readonly calls = new Set<Promise<unknown>>();
  /** Why executions were aborted, when the sandbox stopped them. */
  private readonly stoppedBy = new Map<string, string>();
  private observer?: RunnerObserver;

  constructor(
    private readonly timing: RunnerTiming,
    readonly executions: ExecutionStore = new ExecutionStore(),
    private readonly onFinish?: (record: ExecutionRecord) => void,
    /** Called as the execution enters each state (fault campaigns kill the sandbox at a chosen one). */
    private readonly onTransition?: (record: ExecutionRecord, state: string) => void,
  ) {}

  /** Reports every event and Task invocation of the executions started from now on. */
  observe(observer: RunnerObserver | undefined): void {
    this.observer = observer;
  }

  async start(machine: MachineName, name: string, input: Record<string, unknown>): Promise<{ executionId: string }> {
    const existing = this.executions.byName(name);
    if (existing && existing.status === 'RUNNING') return { executionId: existing.executionId };
    const runName = existing ? `${name}-${Date.now().toString(36)}` : name;
    const executionId = `arn:aws:states:local:000000000000:execution:${machine}:${runName}`;
    const startedAt = new Date().toISOString();
    const record: ExecutionRecord = {
      executionId,
      name: runName,
      machine,
      input,
      status: 'RUNNING',
      startedAt,
      transitions: 0,
      invocations: 0,
    };
    this.executions.put(record);
    this.run(record);
    return { executionId };
  }

  /**
   * Runs an execution that a previous sandbox process left running again,
   * under its own id and name (the operation lock it holds stays valid), from
   * its first state: every step is idempotent and picks up what was done, as
   * Step Functions would have kept the execution going.
   */
  resume(record: ExecutionRecord): void {
    const resumed: ExecutionRecord = {
      ...record,
      status: 'RUNNING',
      resumed: (record.resumed ?? 0) + 1,
      reconciled: false,
      failing: false,
      error: undefined,
      cause: undefined,
      stoppedAt: undefined,
    };
    this.executions.put(resumed);
    this.run(resumed);
  }

  private run(record: ExecutionRecord): void {
    const { executionId, name: runName, machine, input, startedAt } = record;
    const { def, machine: sm } = this.definition(machine);
    const failurePath = failurePathStates(def);
    const inFlight = new Set<Promise<unknown>>();
    const execution = sm.run(input as never, {
      overrides: this.overrides(def, record, inFlight),
      context: { Execution: { Id: executionId, Name: runName, StartTime: startedAt, Input: input } } as never,
    });
    const counting = (async () => {
      const observer = this.observer;
      for await (const ev of execution.eventLogs) {
        observer?.onEvent?.(record, ev);
        if (ev.type !== 'StateEntered') continue;
        record.transitions += 1;
        const state = ev.state.name;
        if (failurePath.has(state) && !record.failing) {
          record.failing = true;
          this.executions.update(executionId, { failing: true });
        }
        this.onTransition?.(record, state);
      }
    })().catch(() => undefined);
    const done = execution.result.then(
      () => this.finish(record, { status: 'SUCCEEDED' }),
      (err: unknown) => {
        const e = err as { name?: string; message?: string; cause?: { name?: string; message?: string } };
        const aborted = e.name === 'ExecutionAbortedError';
        this.finish(record, {
          status: aborted ? 'ABORTED' : 'FAILED',
          error: (aborted ? this.stoppedBy.get(executionId) : undefined) ?? e.cause?.name ?? e.name,
          cause: e.cause?.message ?? e.message,
        });
      },
    );
    this.running.set(executionId, { abort: execution.abort, done: Promise.all([done, counting]).then(() => undefined), inFlight });
  }

  async status(machine: MachineName, name: string): Promise<PortStatus | undefined> {
    const record = this.executions.byName(name);
    return record && record.machine === machine ? record.status : undefined;
  }

  /**
   * Aborts the execution, then waits for the task it was running to return
   * (a handler cannot be killed mid-call), so nothing it does lands after.
   */
  async stop(machine: MachineName, name: string, reason: string): Promise<void> {
    const record = this.executions.byName(name);
    if (!record || record.machine !== machine) return;
    const run = this.running.get(record.executionId);
    if (!run) return;
    this.executions.update(record.executionId, { cause: reason });
    run.abort();
    await run.done;
    await Promise.allSettled([...run.inFlight]);
  }

  /** Resolves when the execution ends (immediately if it is not running here). */
  async wait(executionId: string): Promise<ExecutionRecord | undefined> {
    await this.running.get(executionId)?.done;
    return this.executions.get(executionId);
  }

  /** Waits for every running execution (used on shutdown and in tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
    // An aborted execution is done at once, but the task it was running still writes until it returns.
    while (this.calls.size > 0) await Promise.allSettled([...this.calls]);
  }

  /**
   * Stops every running execution, as a killed process would; with a
   * reason, they are recorded as interrupted by it (the next sandbox resumes them).
   */
  abortAll(reason?: string): void {
    for (const [executionId, r] of this.running) {
      if (reason) this.stoppedBy.set(executionId, reason);
      r.abort();
    }
  }

  private finish(record: ExecutionRecord, patch: Partial<ExecutionRecord>): void {
    this.executions.update(record.executionId, {
      ...patch,
      stoppedAt: new Date().toISOString(),
      transitions: record.transitions,
      invocations: record.invocations,
    });
    this.running.delete(record.executionId);
    this.onFinish?.({ ...record, ...patch });
  }

  /**
   * The machine's definition and its validated state machine, built once:
   * validating an ASL file takes about half a second of CPU, which blocked
   * every execution of the sandbox when each start re-validated it.
   * `run` keeps no state between executions, so one instance serves them all.
   */
  private definition(name: MachineName): { def: AslDefinition; machine: StateMachine } {
    let entry = VALIDATED.get(name);
    if (!entry) {
      const def = loadDefinition(name);
      entry = { def, machine: new StateMachine(withTaskTimeouts(def) as never) };
      VALIDATED.set(name, entry);
    }
    return entry;
  }

  private overrides(def: AslDefinition, record: ExecutionRecord, inFlight: Set<Promise<unknown>>) {
    const taskResourceLocalHandlers: Record<string, (input: JSONValue) => Promise<JSONValue>> = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [name, state] of allStates(def)) {
      if (state.Type === 'Wait') waitTimeOverrides[name] = this.timing.waitMs;
      if (state.Type !== 'Task') continue;
      const placeholder = placeholderOf(state.Resource);
      const file = placeholder ? TASK_HANDLERS[placeholder] : undefined;
      if (!file) throw new Error(`state ${name}: no handler for resource ${state.Resource}`);
      const handler = loadHandler(file);
      const budget = this.timing.taskBudgetMs;
      taskResourceLocalHandlers[name] = async (input) => {
        const startedAt = Date.now();
        const deadline = startedAt + budget;
        record.invocations = (record.invocations ?? 0) + 1;
        let ok = false;
        const call = handler(input, { getRemainingTimeInMillis: () => deadline - Date.now(), functionName: file });
        inFlight.add(call);
        this.calls.add(call);
        try {
          const result = await call;
          ok = true;
          // Step Functions passes JSON between states; undefined fields vanish.
          return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as JSONValue);
        } finally {
          inFlight.delete(call);
          this.calls.delete(call);
          this.observer?.onInvocation?.(record, { state: name, handler: file, input, startedAt, endedAt: Date.now(), ok });
        }
      };
      if (Array.isArray(state['Retry'])) retryIntervalOverrides[name] = this.timing.retryMs;
    }
    return { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides };
  }
}

function loadHandler(file: string): TaskHandler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(__dirname, '..', 'lambdas', 'handlers', file)) as { handler: TaskHandler };
  return mod.handler;
}
