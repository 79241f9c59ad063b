import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/sandbox';
import type { ExecutionRecord } from '../sandbox/executions';
import type { BusEvent } from '../sandbox/local-bus';

/** A kill the campaign armed: the sandbox dies when the provision's executions have made this many transitions. */
interface ArmedKill {
  provisionId: string;
  afterTransitions: number;
  seen: number;
  onKill: () => void;
}

/**
 * A sandbox over a data directory that the campaign can kill at a drawn
 * transition and start again over the same directory, as an operator's
 * restarted daemon would (`startSandbox` resumes what the killed one was
 * running). Campaign operations and audits run between kills, never across
 * one, as requests to a daemon either land before it dies or after it is back.
 */
export class RestartableSandbox {
  private sandbox!: Sandbox;
  private restarting?: Promise<void>;
  private killPending = false;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly kills = new Set<ArmedKill>();
  /** Events of the sandboxes killed so far (each new one starts with an empty bus). */
  private readonly pastEvents: BusEvent[] = [];
  /** Kills so far. */
  generation = 0;

  private constructor(private readonly options: SandboxOptions & { home: string }) {}

  /** Starts the first sandbox over `options.home`. */
  static async start(options: SandboxOptions & { home: string }): Promise<RestartableSandbox> {
    const r = new RestartableSandbox(options);
    r.sandbox = await r.startOne();
    return r;
  }

  /** Runs one operation against the live sandbox: after any restart under way, and holding off the next kill until it returns. */
  async use<T>(fn: (sandbox: Sandbox) => Promise<T>): Promise<T> {
    while (this.restarting) await this.restarting;
    this.inFlight += 1;
    try {
      return await fn(this.sandbox);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /**
   * Waits for an execution to end, following it into the next sandbox when
   * a kill interrupted it there (resumed under the same id, or settled).
   */
  async wait(executionId: string): Promise<ExecutionRecord | undefined> {
    for (;;) {
      while (this.restarting) await this.restarting;
      const generation = this.generation;
      const record = await this.sandbox.runner.wait(executionId);
      if (generation === this.generation && !this.restarting) return record;
    }
  }

  /** Every event published for the provision, across kills. */
  events(): BusEvent[] {
    return [...this.pastEvents, ...this.sandbox.bus.events];
  }

  /** Kills the sandbox once the provision's executions have entered `afterTransitions` states in all. */
  armKill(provisionId: string, afterTransitions: number, onKill: () => void): () => void {
    const kill: ArmedKill = { provisionId, afterTransitions, seen: 0, onKill };
    this.kills.add(kill);
    return () => this.kills.delete(kill);
  }

  /** Kills the sandbox as a killed process dies and starts another over the same directory. */
  restart(): Promise<void> {
    if (this.restarting) return this.restarting;
    this.restarting = (async () => {
      // Operations under way finish first: a request either reaches the daemon before the kill or after the restart.
      if (this.inFlight > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
      const dead = this.sandbox;
      await dead.kill();
      this.pastEvents.push(...dead.bus.events);
      this.sandbox = await this.startOne();
      this.generation += 1;
    })().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /** Stops the live sandbox cleanly. */
  async close(): Promise<void> {
    while (this.restarting) await this.restarting;
    await this.sandbox.close();
  }

  private startOne(): Promise<Sandbox> {
    return startSandbox({ ...this.options, onTransition: (record) => this.transition(record) });
  }

  private transition(record: ExecutionRecord): void {
    const provisionId = record.input['provisionId'];
    for (const kill of this.kills) {
      if (kill.provisionId !== provisionId) continue;
      kill.seen += 1;
      // A kill already under way takes this one's turn: it stays armed for the next sandbox's transitions.
      if (kill.seen < kill.afterTransitions || this.restarting || this.killPending) continue;
      this.kills.delete(kill);
      kill.onKill();
      this.killPending = true;
      // Not from inside the execution's own event loop, which the kill waits for.
      setImmediate(() => {
        this.killPending = false;
        void this.restart();
      });
    }
  }
}
