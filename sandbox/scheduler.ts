import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { nextFireTime, parseAwsCron } from '../lambdas/provisioning/scheduling/aws-cron';
import type { ScheduledEvent, Scheduler } from '../lambdas/provisioning/ports/scheduler';

/** A schedule the local scheduler keeps. */
type Entry =
  | { kind: 'event'; name: string; /** Real epoch ms it fires at. */ dueAt: number; event: ScheduledEvent }
  | { kind: 'create'; name: string; cron: string; timezone: string; scheduleId: string };

/** Where a local schedule's runs go: the same targets as in AWS. */
export interface LocalSchedulerTargets {
  /** A one-time schedule's event, put on the bus (EventBridge PutEvents target). */
  putEvent(event: ScheduledEvent, time: Date): Promise<void>;
  /** A recurring schedule's run (the scheduled-create function). */
  runScheduledCreate(input: { scheduleId: string; scheduledTime: string }): Promise<unknown>;
}

/** Options of {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  /** Real time per scheduled time: a TTL of D seconds fires after D × timeScale real seconds. */
  timeScale: number;
  /** JSON file the schedules are kept in, so a restarted daemon still fires them. */
  statePath?: string;
  onError?(schedule: string, err: unknown): void;
}

/** Longest single timer; longer waits are chained (Node timers overflow at ~24.8 days). */
const MAX_TIMER_MS = 86_400_000;

/**
 * The sandbox's EventBridge Scheduler. It runs in scaled time: a one-time
 * schedule due in D seconds fires after D × timeScale, and cron expressions
 * are evaluated on a clock that runs 1 / timeScale times as fast as real
 * time from the scheduler's start (at 0.001, a weekday-08:00 cron fires about
 * every 86 s). A fired one-time schedule deletes itself, as
 * `ActionAfterCompletion: DELETE` does in AWS.
 */
export class LocalScheduler implements Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly epoch = Date.now();
  private stopped = false;

  constructor(
    private readonly targets: LocalSchedulerTargets,
    private readonly options: LocalSchedulerOptions,
  ) {
    if (options.statePath && existsSync(options.statePath)) {
      for (const e of JSON.parse(readFileSync(options.statePath, 'utf8')) as Entry[]) {
        this.entries.set(e.name, e);
        this.arm(e);
      }
    }
  }

  /** The scheduler's clock: real time at its start, running 1 / timeScale as fast. */
  now(): Date {
    return new Date(this.epoch + (Date.now() - this.epoch) / this.options.timeScale);
  }

  async putEventAt(name: string, at: Date, event: ScheduledEvent): Promise<void> {
    const delay = Math.max(0, at.getTime() - Date.now());
    this.put({ kind: 'event', name, dueAt: Date.now() + delay * this.options.timeScale, event });
  }

  async putRecurringCreate(name: string, cron: string, timezone: string, scheduleId: string): Promise<void> {
    if (!parseAwsCron(cron).ok) throw new Error(`not an AWS cron expression: ${cron}`);
    this.put({ kind: 'create', name, cron, timezone, scheduleId });
  }

  async remove(name: string): Promise<void> {
    this.disarm(name);
    if (this.entries.delete(name)) this.save();
  }

  /** Names of the schedules it holds (for tests and `edgectl sandbox status`). */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Stops firing; schedules stay in the state file for the next start. */
  stop(): void {
    this.stopped = true;
    for (const name of [...this.timers.keys()]) this.disarm(name);
  }

  /** Resolves when every run started so far has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private put(entry: Entry): void {
    this.disarm(entry.name);
    this.entries.set(entry.name, entry);
    this.save();
    this.arm(entry);
  }

  private arm(entry: Entry, after?: Date): void {
    if (this.stopped) return;
    if (entry.kind === 'event') {
      this.wait(entry.name, entry.dueAt, () => {
        this.entries.delete(entry.name);
        this.save();
        this.run(entry.name, () => this.targets.putEvent(entry.event, new Date()));
      });
      return;
    }
    const parsed = parseAwsCron(entry.cron);
    if (!parsed.ok) return;
    const simNow = this.now();
    // The next run follows the one just made, whatever the clock says: a timer that fires
    // a little early must not repeat it, one that fires late must not skip the next.
    const from = after ?? simNow;
    const next = nextFireTime(parsed.cron, entry.timezone, from);
    if (!next) return;
    const dueAt = Date.now() + (next.getTime() - simNow.getTime()) * this.options.timeScale;
    this.wait(entry.name, dueAt, () => {
      this.run(entry.name, () => this.targets.runScheduledCreate({ scheduleId: entry.scheduleId, scheduledTime: next.toISOString() }));
      if (this.entries.get(entry.name) === entry) this.arm(entry, next);
    });
  }

  private wait(name: string, dueAt: number, fire: () => void): void {
    const delay = dueAt - Date.now();
    const timer = setTimeout(
      () => {
        this.timers.delete(name);
        if (delay > MAX_TIMER_MS) this.wait(name, dueAt, fire);
        else fire();
      },
      Math.max(0, Math.min(delay, MAX_TIMER_MS)),
    );
    this.timers.set(name, timer);
  }

  private run(name: string, action: () => Promise<unknown>): void {
    const p = action()
      .then(() => undefined)
      .catch((err: unknown) => this.options.onError?.(name, err));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private disarm(name: string): void {
    const timer = this.timers.get(name);
    if (timer) clearTimeout(timer);
    this.timers.delete(name);
  }

  private save(): void {
    const path = this.options.statePath;
    if (!path) return;
    writeFileSync(`${path}.tmp`, JSON.stringify([...this.entries.values()]));
    renameSync(`${path}.tmp`, path);
  }
}
