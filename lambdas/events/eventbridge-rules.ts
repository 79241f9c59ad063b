import {
  DeleteRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { teardownRuleName } from '../provisioning/scheduling/names';
import type { EventPattern, EventRules } from '../provisioning/ports/event-rules';

/** Id of the one target of a teardown rule. */
const TARGET_ID = 'teardown';

/** A function without the settings for teardown rules was asked to manage one (a deployment mistake). */
export class EventRulesConfigError extends Error {
  constructor() {
    super('teardown rules are not configured: TEARDOWN_FUNCTION_ARN missing from the environment');
    this.name = 'EventRulesConfigError';
  }
}

/**
 * Per-provision teardown rules on the EventBridge bus. The rule's target is
 * the teardown function, given the provision id and the matched event (the
 * input transformer's `<aws.events.event.json>`), so a rule can only ever
 * tear down the provision it was made for.
 */
export class EventBridgeRules implements EventRules {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly teardownFunctionArn: string | undefined,
    /** Queue for events the rule could not deliver (the fixed teardown rules' dead-letter queue). */
    private readonly deadLetterArn?: string,
  ) {}

  async putTeardownRule(provisionId: string, pattern: EventPattern): Promise<void> {
    if (!this.teardownFunctionArn) throw new EventRulesConfigError();
    const name = teardownRuleName(provisionId);
    await this.client.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: this.busName,
        EventPattern: JSON.stringify(pattern),
        State: 'ENABLED',
        Description: `edge-provisioner: delete ${provisionId} with cleanup when its teardownOn pattern matches`,
      }),
    );
    await this.client.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: this.busName,
        Targets: [
          {
            Id: TARGET_ID,
            Arn: this.teardownFunctionArn,
            // As the fixed teardown rules: a teardown that cannot be delivered is kept and alarmed on, never dropped.
            RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 86_400 },
            ...(this.deadLetterArn ? { DeadLetterConfig: { Arn: this.deadLetterArn } } : {}),
            InputTransformer: {
              InputPathsMap: {},
              InputTemplate: `{"provisionId":${JSON.stringify(provisionId)},"trigger":${JSON.stringify(`rule:${name}`)},"event":<aws.events.event.json>}`,
            },
          },
        ],
      }),
    );
  }

  async removeTeardownRule(provisionId: string): Promise<void> {
    const name = teardownRuleName(provisionId);
    try {
      await this.client.send(new RemoveTargetsCommand({ Rule: name, EventBusName: this.busName, Ids: [TARGET_ID] }));
      await this.client.send(new DeleteRuleCommand({ Name: name, EventBusName: this.busName }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}
