import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EventBridgePublisher } from '../../lambdas/events/eventbridge-publisher';

const eb = mockClient(EventBridgeClient);

describe('EventBridgePublisher', () => {
  beforeEach(() => eb.reset());

  it('sends entries to the bus in batches of ten with JSON details', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const events = Array.from({ length: 12 }, (_, i) => ({
      Source: 'edge-provisioner',
      DetailType: 'Host Allocated',
      Detail: { provisionId: 'p-1', i },
    }));
    await new EventBridgePublisher(new EventBridgeClient({}), 'edge-bus').publish(events);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(eb).toHaveReceivedNthCommandWith(1, PutEventsCommand, {
      Entries: expect.arrayContaining([
        expect.objectContaining({
          EventBusName: 'edge-bus',
          Source: 'edge-provisioner',
          DetailType: 'Host Allocated',
          Detail: '{"provisionId":"p-1","i":0}',
        }),
      ]),
    });
  });

  it('fails with a retryable error when EventBridge rejects entries', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const publish = new EventBridgePublisher(new EventBridgeClient({}), 'edge-bus').publish([{ Source: 's', DetailType: 'd', Detail: {} }]);
    await expect(publish).rejects.toMatchObject({ name: 'TransientError', retryable: true });
  });
});
