import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../../events/eventbridge-publisher';
import { traced } from '../observability';
import type { PortGroup } from '../port-groups';

/** Lifecycle events on the system's bus (EventBridge). */
export const events: PortGroup<'events'> = {
  name: 'events',
  aws: (ctx) => ({ publisher: new EventBridgePublisher(traced(new EventBridgeClient({})), ctx.config().EVENT_BUS_NAME) }),
};
