import type { Page } from './store';
import type { RecurringSchedule } from '../scheduling/recurring-model';

/** An event a one-time schedule puts on the bus when it fires. */
export interface ScheduledEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

/**
 * One-time and recurring schedules: EventBridge Scheduler in AWS, the local
 * scheduler (scaled time) in the sandbox. Every method is idempotent: a put
 * replaces a schedule of the same name, a removal of a missing one succeeds.
 */
export interface Scheduler {
  /** Puts `event` on the bus once, at `at` (a provision's TTL expiry). */
  putEventAt(name: string, at: Date, event: ScheduledEvent): Promise<void>;
  /**
   * Starts the scheduled-create handler for `scheduleId` at every time the
   * AWS cron expression (`cron(…)`, six fields) names, in `timezone`.
   */
  putRecurringCreate(name: string, cron: string, timezone: string, scheduleId: string): Promise<void>;
  remove(name: string): Promise<void>;
}

/** Persistence of recurring-creation schedules (`PK=SCHED#<id>` in the provisions table). */
export interface ScheduleStore {
  /** Stores a new schedule; fails with InvalidStateError if the id exists. */
  create(schedule: RecurringSchedule): Promise<void>;
  get(id: string): Promise<RecurringSchedule | undefined>;
  /** A caller's schedules, newest first. */
  list(owner: string, options?: { limit?: number; cursor?: string }): Promise<Page<RecurringSchedule>>;
  /** Records a run (the provision it created); a no-op when the schedule is gone. */
  recordRun(id: string, run: { at: string; provisionId: string }): Promise<void>;
  /** Removes the schedule; a missing one is not an error. */
  delete(id: string): Promise<void>;
}
