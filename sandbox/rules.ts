import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { TEARDOWN_PATTERNS } from '../lambdas/provisioning/events/teardown-patterns';
import type { EventPattern, EventRules } from '../lambdas/provisioning/ports/event-rules';
import { teardownRuleName } from '../lambdas/provisioning/scheduling/names';
import type { BusEvent, LocalEventBus } from './local-bus';

/** The teardown target (the same handler the AWS rules invoke). */
export type TeardownTarget = (input: unknown) => Promise<unknown>;

/** How often and how patiently a local rule redelivers, like Lambda's asynchronous invocation. */
export interface DeliveryPolicy {
  /** Deliveries in all (Lambda: 1 + 2 retries). */
  attempts: number;
  /** Wait before the first redelivery; doubled each time (Lambda: about a minute, scaled). */
  delayMs: number;
}

/** Delivers to the target, redelivering when it fails as Lambda retries an asynchronous invocation. */
export async function deliver(target: TeardownTarget, input: unknown, policy: DeliveryPolicy): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await target(input);
      return;
    } catch (err) {
      if (attempt >= policy.attempts) throw err;
      await new Promise((r) => setTimeout(r, policy.delayMs * 2 ** (attempt - 1)));
    }
  }
}

/**
 * The fixed teardown rules of the CDK stack, on the local bus: TTL expiry,
 * and creation failures whose policy is `teardown`. The target receives the
 * event as EventBridge delivers it.
 */
export function addFixedTeardownRules(bus: LocalEventBus, target: TeardownTarget, policy: DeliveryPolicy): void {
  for (const [name, pattern] of Object.entries(TEARDOWN_PATTERNS)) {
    bus.addRule({ name, pattern, target: (event: BusEvent) => deliver(target, event, policy) });
  }
}

/**
 * Per-provision teardown rules on the local bus (`teardownOn`), kept in a
 * JSON file so a restarted daemon still has them. The target input is what
 * the AWS rule's input transformer sends: the provision id, the rule, and the
 * matched event.
 */
export class LocalEventRules implements EventRules {
  private readonly patterns = new Map<string, EventPattern>();

  constructor(
    private readonly bus: LocalEventBus,
    private readonly target: TeardownTarget,
    private readonly policy: DeliveryPolicy,
    private readonly statePath?: string,
  ) {
    if (statePath && existsSync(statePath)) {
      for (const [id, pattern] of Object.entries(JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, EventPattern>))
        this.add(id, pattern);
    }
  }

  async putTeardownRule(provisionId: string, pattern: EventPattern): Promise<void> {
    this.add(provisionId, pattern);
    this.save();
  }

  async removeTeardownRule(provisionId: string): Promise<void> {
    this.bus.removeRule(teardownRuleName(provisionId));
    if (this.patterns.delete(provisionId)) this.save();
  }

  /** Provision ids that have a rule (for tests). */
  provisions(): string[] {
    return [...this.patterns.keys()];
  }

  private add(provisionId: string, pattern: EventPattern): void {
    const name = teardownRuleName(provisionId);
    this.bus.removeRule(name);
    this.patterns.set(provisionId, pattern);
    this.bus.addRule({
      name,
      pattern,
      target: (event: BusEvent) => deliver(this.target, { provisionId, trigger: `rule:${name}`, event }, this.policy),
    });
  }

  private save(): void {
    if (!this.statePath) return;
    writeFileSync(`${this.statePath}.tmp`, JSON.stringify(Object.fromEntries(this.patterns)));
    renameSync(`${this.statePath}.tmp`, this.statePath);
  }
}
