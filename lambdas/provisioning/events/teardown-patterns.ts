import { EVENT_SOURCE } from '../ports/events';
import type { EventPattern } from '../ports/event-rules';

/**
 * The fixed teardown rules, by rule id, as EventBridge patterns: the CDK
 * rules and the sandbox's local rules are built from this one table.
 */
export const TEARDOWN_PATTERNS: Readonly<Record<string, EventPattern>> = {
  // The provision's TTL schedule fired.
  OnExpired: { source: [EVENT_SOURCE], 'detail-type': ['Provision Expired'] },
  // Creation failed and the descriptor's failure policy asks for teardown.
  OnFailedTeardown: { source: [EVENT_SOURCE], 'detail-type': ['Provision Failed'], detail: { onError: ['teardown'] } },
};
