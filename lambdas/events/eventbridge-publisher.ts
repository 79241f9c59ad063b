import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { TransientError } from '../shared/errors';
import type { EventPublisher, LifecycleEvent } from '../provisioning/ports/events';

/** EventBridge accepts at most 10 entries per PutEvents call. */
const BATCH = 10;

/** Publishes lifecycle events to an EventBridge bus; partial failures are retried by the caller. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: LifecycleEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      const res = await this.client.send(
        new PutEventsCommand({
          Entries: events.slice(i, i + BATCH).map((e) => ({
            EventBusName: this.busName,
            Source: e.Source,
            DetailType: e.DetailType,
            Detail: JSON.stringify(e.Detail),
            Time: e.Time,
          })),
        }),
      );
      if (res.FailedEntryCount) {
        const codes = (res.Entries ?? []).filter((x) => x.ErrorCode).map((x) => x.ErrorCode);
        throw new TransientError(`EventBridge rejected ${res.FailedEntryCount} event(s): ${codes.join(', ')}`);
      }
    }
  }
}
