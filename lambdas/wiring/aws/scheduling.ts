import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeRules } from '../../events/eventbridge-rules';
import { EventBridgeScheduler } from '../../scheduling/eventbridge-scheduler';
import { traced } from '../observability';
import type { PortGroup } from '../port-groups';

/** TTL and recurring schedules (EventBridge Scheduler) and per-provision teardown rules (EventBridge). */
export const scheduling: PortGroup<'scheduling'> = {
  name: 'scheduling',
  aws(ctx) {
    const config = ctx.config();
    // Settings missing on a function fail when it first uses them, not at cold start.
    return {
      scheduler: new EventBridgeScheduler(traced(new SchedulerClient({})), {
        groupName: config.SCHEDULE_GROUP_NAME,
        roleArn: config.SCHEDULER_ROLE_ARN,
        busArn: config.EVENT_BUS_ARN,
        scheduledCreateFunctionArn: config.SCHEDULED_CREATE_FUNCTION_ARN,
      }),
      eventRules: new EventBridgeRules(
        traced(new EventBridgeClient({})),
        config.EVENT_BUS_NAME,
        config.TEARDOWN_FUNCTION_ARN,
        config.TEARDOWN_DLQ_ARN,
      ),
    };
  },
};
