import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, type EventPattern, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../lambdas/provisioning/ports/events';
import type { EventPattern as RawEventPattern } from '../../lambdas/provisioning/ports/event-rules';
import { TEARDOWN_PATTERNS } from '../../lambdas/provisioning/events/teardown-patterns';

/** Properties of {@link TeardownRules}. */
export interface TeardownRulesProps {
  /** The bus lifecycle events arrive on. */
  readonly bus: IEventBus;
  /** The teardown function (`lambdas/handlers/teardown.ts`), given the matched event. */
  readonly teardownFunction: IFunction;
  /**
   * ARN pattern of the per-provision rules the functions create at run time
   * on the bus (`rule/<bus>/edge-teardown-*`); they may invoke the teardown
   * function too.
   */
  readonly provisionRuleArns: string;
}

/** An EventBridge pattern (`detail-type`) in the CDK's form (`detailType`). */
function toCdkPattern(pattern: RawEventPattern): EventPattern {
  return Object.fromEntries(
    Object.entries(pattern).map(([k, v]) => [k.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()), v]),
  ) as EventPattern;
}

/**
 * The fixed teardown rules' patterns (`TEARDOWN_PATTERNS`, shared with the
 * sandbox) in the CDK's form, by rule id.
 * @param source the lifecycle event source; the patterns exist for `EVENT_SOURCE` only.
 */
export function teardownPatterns(source: string = EVENT_SOURCE): Record<string, EventPattern> {
  if (source !== EVENT_SOURCE) throw new Error(`teardown patterns match source '${EVENT_SOURCE}', not '${source}'`);
  return Object.fromEntries(Object.entries(TEARDOWN_PATTERNS).map(([id, p]) => [id, toCdkPattern(p)]));
}

/**
 * Event-triggered teardown: rules on the bus invoke the teardown function
 * with the matched event; it deletes the provision named in the event with
 * cleanup, or postpones an expiry while the provision moves. Delivery is
 * retried for a day; an event that could not be delivered, or that the
 * function still failed on after Lambda's retries, lands in an encrypted
 * dead-letter queue whose depth raises an alarm.
 */
export class TeardownRules extends Construct {
  /** The fixed rules, by id. */
  public readonly rules: Record<string, Rule>;
  /** Teardown events that were not delivered or not handled. */
  public readonly deadLetterQueue: Queue;
  /** Fires when the dead-letter queue holds a message. */
  public readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TeardownRulesProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // EventBridge invokes asynchronously: its retry policy covers delivery only.
    // A function error (a provision still moving) gets Lambda's two retries,
    // then the same queue.
    props.teardownFunction.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    // Per-provision rules are made at run time, so one permission covers their
    // name prefix on this bus; each fixed rule gets its own exact one below.
    props.teardownFunction.addPermission('InvokeByProvisionRules', {
      principal: new ServicePrincipal('events.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: props.provisionRuleArns,
    });
    // Per-provision rules name this queue as their dead-letter target at run time.
    this.deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ProvisionRulesDeadLetters',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
        conditions: { ArnLike: { 'aws:SourceArn': props.provisionRuleArns } },
      }),
    );
    const target = new LambdaFunction(props.teardownFunction, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 20,
      maxEventAge: Duration.hours(24),
    });
    this.rules = {};
    for (const [ruleId, eventPattern] of Object.entries(teardownPatterns())) {
      this.rules[ruleId] = new Rule(this, ruleId, {
        eventBus: props.bus,
        description: `edge-provisioner: delete with cleanup (${ruleId})`,
        eventPattern,
        targets: [target],
      });
    }
    this.deadLetterAlarm = new Alarm(this, 'DeadLettersVisible', {
      alarmDescription:
        'A teardown event was not delivered to the teardown function, or the function failed on it after its retries; the message in the dead-letter queue names the provision.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
