import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException as RuleNotFound,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EventBridgeRules } from '../../lambdas/events/eventbridge-rules';
import { atExpression, EventBridgeScheduler } from '../../lambdas/scheduling/eventbridge-scheduler';

const scheduler = mockClient(SchedulerClient);
const events = mockClient(EventBridgeClient);

const config = {
  groupName: 'edge-provisioner',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  busArn: 'arn:aws:events:eu-central-1:123456789012:event-bus/edge-provisioner',
  scheduledCreateFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:scheduled-create',
};
const expired = { source: 'edge-provisioner', detailType: 'Provision Expired', detail: { version: '1', provisionId: 'p-0123456789ab' } };

describe('EventBridgeScheduler', () => {
  beforeEach(() => scheduler.reset());

  it('puts a TTL as a self-deleting at() schedule whose target puts the event on the bus', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    await new EventBridgeScheduler(new SchedulerClient({}), config).putEventAt(
      'ttl-p-0123456789ab',
      new Date('2026-11-25T18:00:00.250Z'),
      expired,
    );
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: 'ttl-p-0123456789ab',
      GroupName: 'edge-provisioner',
      ScheduleExpression: 'at(2026-11-25T18:00:01)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: config.busArn,
        RoleArn: config.roleArn,
        Input: JSON.stringify(expired.detail),
        EventBridgeParameters: { Source: 'edge-provisioner', DetailType: 'Provision Expired' },
      },
    });
  });

  it('updates a schedule that already exists (a put is idempotent)', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({});
    await new EventBridgeScheduler(new SchedulerClient({}), config).putEventAt('ttl-x', new Date('2026-11-25T18:00:00Z'), expired);
    expect(scheduler).toHaveReceivedCommandWith(UpdateScheduleCommand, { Name: 'ttl-x', ScheduleExpression: 'at(2026-11-25T18:00:00)' });
  });

  it('puts a recurring creation as a cron() schedule invoking the scheduled-create function with the due time', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    await new EventBridgeScheduler(new SchedulerClient({}), config).putRecurringCreate(
      'create-s-1',
      'cron(0 8 ? * MON-FRI *)',
      'Europe/Berlin',
      's-000000000001',
    );
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      ScheduleExpression: 'cron(0 8 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: {
        Arn: config.scheduledCreateFunctionArn,
        RoleArn: config.roleArn,
        Input: '{"scheduleId":"s-000000000001","scheduledTime":"<aws.scheduler.scheduled-time>"}',
      },
    });
  });

  it('treats removing a schedule that is gone as done', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    await expect(new EventBridgeScheduler(new SchedulerClient({}), config).remove('ttl-x')).resolves.toBeUndefined();
  });

  it('names the missing environment when a function without scheduling settings uses it', async () => {
    await expect(new EventBridgeScheduler(new SchedulerClient({}), {}).putEventAt('x', new Date(), expired)).rejects.toThrow(
      /SCHEDULE_GROUP_NAME, SCHEDULER_ROLE_ARN, EVENT_BUS_ARN/,
    );
    expect(atExpression(new Date('2026-01-01T00:00:00.000Z'))).toBe('at(2026-01-01T00:00:00)');
  });
});

describe('EventBridgeRules', () => {
  beforeEach(() => events.reset());
  const fn = 'arn:aws:lambda:eu-central-1:123456789012:function:teardown';

  it('puts the pattern as a rule on the bus whose target is the teardown function, told the provision and the event', async () => {
    events.on(PutRuleCommand).resolves({});
    events.on(PutTargetsCommand).resolves({ FailedEntryCount: 0 });
    const pattern = { source: ['game.events'], 'detail-type': ['Tournament Finished'], detail: { edge: ['fra-1'] } };
    await new EventBridgeRules(new EventBridgeClient({}), 'edge-provisioner', fn).putTeardownRule('p-0123456789ab', pattern);
    expect(events).toHaveReceivedCommandWith(PutRuleCommand, {
      Name: 'edge-teardown-p-0123456789ab',
      EventBusName: 'edge-provisioner',
      EventPattern: JSON.stringify(pattern),
      State: 'ENABLED',
    });
    const targets = events.commandCalls(PutTargetsCommand)[0]?.args[0].input.Targets ?? [];
    expect(targets[0]?.Arn).toBe(fn);
    const template = targets[0]?.InputTransformer?.InputTemplate ?? '';
    // EventBridge substitutes the matched event for the placeholder; the rest is fixed JSON.
    expect(JSON.parse(template.replace('<aws.events.event.json>', '{}'))).toEqual({
      provisionId: 'p-0123456789ab',
      trigger: 'rule:edge-teardown-p-0123456789ab',
      event: {},
    });
  });

  it('dead-letters what the rule cannot deliver, with the fixed rules’ retry policy', async () => {
    events.on(PutRuleCommand).resolves({});
    events.on(PutTargetsCommand).resolves({ FailedEntryCount: 0 });
    const dlq = 'arn:aws:sqs:eu-central-1:123456789012:teardown-dead-letters';
    await new EventBridgeRules(new EventBridgeClient({}), 'edge-provisioner', fn, dlq).putTeardownRule('p-0123456789ab', { source: ['x'] });
    const target = events.commandCalls(PutTargetsCommand)[0]?.args[0].input.Targets?.[0];
    expect(target).toMatchObject({
      DeadLetterConfig: { Arn: dlq },
      RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 86_400 },
    });
  });

  it('removes targets then the rule, and treats a missing rule as removed', async () => {
    events.on(RemoveTargetsCommand).resolves({});
    events.on(DeleteRuleCommand).resolves({});
    const rules = new EventBridgeRules(new EventBridgeClient({}), 'edge-provisioner', fn);
    await rules.removeTeardownRule('p-0123456789ab');
    expect(events).toHaveReceivedCommandWith(DeleteRuleCommand, { Name: 'edge-teardown-p-0123456789ab', EventBusName: 'edge-provisioner' });
    events.reset();
    events.on(RemoveTargetsCommand).rejects(new RuleNotFound({ message: 'gone', $metadata: {} }));
    await expect(rules.removeTeardownRule('p-0123456789ab')).resolves.toBeUndefined();
  });

  it('refuses to create a rule without its target function configured', async () => {
    await expect(
      new EventBridgeRules(new EventBridgeClient({}), 'b', undefined).putTeardownRule('p-0123456789ab', { source: ['x'] }),
    ).rejects.toThrow(/TEARDOWN_FUNCTION_ARN/);
  });
});
