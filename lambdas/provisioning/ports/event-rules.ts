/** An EventBridge event pattern, as JSON. */
export type EventPattern = { [key: string]: unknown };

/**
 * Per-provision teardown rules (`teardownOn` in the descriptor): a rule on
 * the bus whose match deletes that one provision with cleanup. EventBridge
 * rules in AWS, rules of the local bus in the sandbox. Both methods are
 * idempotent.
 */
export interface EventRules {
  putTeardownRule(provisionId: string, pattern: EventPattern): Promise<void>;
  removeTeardownRule(provisionId: string): Promise<void>;
}
