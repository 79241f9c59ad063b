// The version constant comes from the lifecycle, not the catalogue, which would bring the full zod build into every function.
import type { EventDetail } from '../events/catalogue';
import { EVENT_SCHEMA_VERSION } from '../lifecycle';
import { EVENT_SOURCE } from '../ports/events';
import type { Deps } from '../ports/deps';
import type { Provision } from '../model';
import { ttlScheduleName } from './names';

/**
 * Sets up what will tear a provision down once it is RUNNING: the one-time
 * schedule that emits `Provision Expired` when its TTL runs out, and the rule
 * built from its `teardownOn` pattern. Idempotent (same names, replaced).
 * Returns when the provision expires, if it does.
 */
export async function armTeardownTriggers(deps: Deps, p: Provision): Promise<{ expiresAt?: string }> {
  let expiresAt: string | undefined;
  if (p.plan.ttlSeconds !== undefined) {
    const at = new Date(deps.now().getTime() + p.plan.ttlSeconds * 1000);
    expiresAt = at.toISOString();
    const detail: EventDetail<'Provision Expired'> = {
      version: EVENT_SCHEMA_VERSION,
      provisionId: p.id,
      name: p.name,
      owner: p.owner,
      ttlSeconds: p.plan.ttlSeconds,
      expiresAt,
    };
    await deps.scheduler.putEventAt(ttlScheduleName(p.id), at, { source: EVENT_SOURCE, detailType: 'Provision Expired', detail });
  }
  if (p.plan.teardownOn) await deps.eventRules.putTeardownRule(p.id, p.plan.teardownOn);
  return expiresAt ? { expiresAt } : {};
}

/** Removes a provision's TTL schedule and teardown rule (deleting early, or deleted); idempotent. */
export async function disarmTeardownTriggers(deps: Deps, p: Provision): Promise<void> {
  if (p.plan.ttlSeconds !== undefined) await deps.scheduler.remove(ttlScheduleName(p.id));
  if (p.plan.teardownOn) await deps.eventRules.removeTeardownRule(p.id);
}
