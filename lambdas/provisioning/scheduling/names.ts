/**
 * Names of the schedules and rules the system creates at run time. They are
 * derived from ids, so every put and removal is idempotent, and they carry a
 * fixed prefix, so IAM can grant exactly these (the `edge-teardown-*` rules
 * of the bus, the schedules of the group).
 */

/** EventBridge Scheduler and rule names allow 64 characters. */
const MAX_NAME = 64;

/** The one-time schedule that emits `Provision Expired` for a provision. */
export function ttlScheduleName(provisionId: string): string {
  return `ttl-${provisionId}`.slice(0, MAX_NAME);
}

/** The cron schedule of a recurring creation. */
export function recurringScheduleName(scheduleId: string): string {
  return `create-${scheduleId}`.slice(0, MAX_NAME);
}

/** Prefix of the per-provision teardown rules (IAM grants `rule/<bus>/edge-teardown-*`). */
export const TEARDOWN_RULE_PREFIX = 'edge-teardown-';

/** The rule built from a provision's `teardownOn` pattern. */
export function teardownRuleName(provisionId: string): string {
  return `${TEARDOWN_RULE_PREFIX}${provisionId}`.slice(0, MAX_NAME);
}
