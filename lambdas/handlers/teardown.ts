import { z } from 'zod';
import { teardownProvision, type TeardownRequest } from '../provisioning/scheduling/teardown';
import { stepHandler } from './step-handler';

/** A matched event as EventBridge delivers it to a rule's target. */
const RuleEvent = z.looseObject({
  source: z.string(),
  'detail-type': z.string(),
  detail: z.looseObject({ provisionId: z.string().min(1) }),
});

/** What a provision's own rule sends (its input transformer). */
const ProvisionRuleInput = z.object({
  provisionId: z.string().min(1),
  trigger: z.string().min(1),
  event: z.looseObject({}).optional(),
});

const TeardownInput = z.union([ProvisionRuleInput, RuleEvent]).transform((input): TeardownRequest => {
  const own = ProvisionRuleInput.safeParse(input);
  if (own.success)
    return { provisionId: own.data.provisionId, trigger: own.data.trigger, event: own.data.event as TeardownRequest['event'] };
  const event = RuleEvent.parse(input);
  return { provisionId: event.detail.provisionId, trigger: `event:${event['detail-type']}`, event };
});

/**
 * Target of the teardown rules (Provision Expired; Provision Failed with
 * onError teardown; each provision's `teardownOn` rule): deletes the
 * provision with cleanup, once.
 */
export const handler = stepHandler(TeardownInput, (deps, input) => teardownProvision(deps, input));
