import * as z from '../shared/schema';
import { teardownProvision, type TeardownRequest } from '../provisioning/scheduling/teardown';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { workflows } from '../wiring/aws/workflows';
import { scheduling } from '../wiring/aws/scheduling';

/** A matched event as EventBridge delivers it to a rule's target. */
const RuleEvent = z.looseObject({
  source: z.string(),
  'detail-type': z.string(),
  detail: z.looseObject({ provisionId: z.string().check(z.minLength(1)) }),
});

/** What a provision's own rule sends (its input transformer). */
const ProvisionRuleInput = z.object({
  provisionId: z.string().check(z.minLength(1)),
  trigger: z.string().check(z.minLength(1)),
  event: z.optional(z.looseObject({})),
});

const TeardownInput = z.pipe(
  z.union([ProvisionRuleInput, RuleEvent]),
  z.transform((input): TeardownRequest => {
    const own = ProvisionRuleInput.safeParse(input);
    if (own.success)
      return { provisionId: own.data.provisionId, trigger: own.data.trigger, event: own.data.event as TeardownRequest['event'] };
    const event = RuleEvent.parse(input);
    return { provisionId: event.detail.provisionId, trigger: `event:${event['detail-type']}`, event };
  }),
);

/**
 * Target of the teardown rules (Provision Expired; Provision Failed with
 * onError teardown; each provision's `teardownOn` rule): deletes the
 * provision with cleanup, once.
 */
export const handler = stepHandler(TeardownInput, (deps, input) => teardownProvision(deps, input), {
  name: 'teardown',
  // events: settling an abandoned operation records `Provision Failed`.
  ports: [table, events, workflows, scheduling],
});
