import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../../events/eventbridge-publisher';
import type { PortGroup } from '../port-groups';

/** Lifecycle events on the system's bus (EventBridge). */
export const events: PortGroup<'events'> = {
  name: 'events',
  aws: (ctx) => ({ publisher: new EventBridgePublisher(new EventBridgeClient({}), ctx.config().EVENT_BUS_NAME) }),
};
