import { appendFileSync } from 'node:fs';
import type { EventPublisher, LifecycleEvent } from '../lambdas/provisioning/ports/events';
import { matchesPattern, type EventPattern } from './event-pattern';

/** An event as delivered to rule targets (EventBridge envelope). */
export type BusEvent = {
  id: string;
  source: string;
  'detail-type': string;
  time: string;
  detail: Record<string, unknown>;
};

/** A rule of the local bus: the same pattern the CDK rule uses, and a target. */
export interface LocalRule {
  name: string;
  pattern: EventPattern;
  target(event: BusEvent): Promise<void>;
}

/**
 * The sandbox's event bus: records every event (memory, and a JSON-lines file
 * when given) and delivers each to the rules whose pattern matches, like
 * EventBridge. A failing target never fails the publisher.
 */
export class LocalEventBus implements EventPublisher {
  readonly events: BusEvent[] = [];
  private readonly rules: LocalRule[] = [];
  private seq = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly logPath?: string,
    private readonly onTargetError?: (rule: string, err: unknown) => void,
  ) {}

  addRule(rule: LocalRule): void {
    this.rules.push(rule);
  }

  /** Removes the rules of that name (EventBridge `DeleteRule`); true when one was there. */
  removeRule(name: string): boolean {
    const before = this.rules.length;
    for (let i = this.rules.length - 1; i >= 0; i -= 1) if (this.rules[i]?.name === name) this.rules.splice(i, 1);
    return this.rules.length < before;
  }

  async publish(events: LifecycleEvent[]): Promise<void> {
    for (const e of events) {
      this.seq += 1;
      const event: BusEvent = {
        id: `local-${Date.now().toString(36)}-${this.seq}`,
        source: e.Source,
        'detail-type': e.DetailType,
        time: (e.Time ?? new Date()).toISOString(),
        detail: e.Detail,
      };
      this.events.push(event);
      if (this.logPath) appendFileSync(this.logPath, `${JSON.stringify(event)}\n`);
      for (const rule of this.rules) {
        if (!matchesPattern(rule.pattern, event)) continue;
        // Delivery is asynchronous, as on EventBridge: the publisher does not wait for targets.
        const p = rule.target(event).catch((err: unknown) => this.onTargetError?.(rule.name, err));
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
      }
    }
  }

  /** Resolves when every delivery started so far has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
