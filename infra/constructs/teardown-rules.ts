import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { EventField, Rule, RuleTargetInput, type EventPattern, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link TeardownRules}. */
export interface TeardownRulesProps {
  /** The bus lifecycle events arrive on. */
  readonly bus: IEventBus;
  /** The delete machine, started with `{provisionId, cleanup: true}`. */
  readonly deleteMachine: IStateMachine;
  /** Event source of the lifecycle events. */
  readonly source: string;
}

/** The event patterns that tear a provision down, by rule id. */
export function teardownPatterns(source: string): Record<string, EventPattern> {
  return {
    // The provision's TTL schedule fired.
    OnExpired: { source: [source], detailType: ['Provision Expired'] },
    // Creation failed and the descriptor's failure policy asks for teardown.
    OnFailedTeardown: { source: [source], detailType: ['Provision Failed'], detail: { onError: ['teardown'] } },
  };
}

/**
 * Event-triggered teardown: rules on the bus start the delete machine with
 * cleanup for the provision named in the event. Delivery is retried for a
 * day; what still fails lands in an encrypted dead-letter queue whose depth
 * raises an alarm.
 */
export class TeardownRules extends Construct {
  /** The rules, by id. */
  public readonly rules: Record<string, Rule>;
  /** Events EventBridge could not deliver to the delete machine. */
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
    const target = new SfnStateMachine(props.deleteMachine, {
      input: RuleTargetInput.fromObject({ provisionId: EventField.fromPath('$.detail.provisionId'), cleanup: true }),
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 20,
      maxEventAge: Duration.hours(24),
    });
    this.rules = {};
    for (const [ruleId, eventPattern] of Object.entries(teardownPatterns(props.source))) {
      this.rules[ruleId] = new Rule(this, ruleId, {
        eventBus: props.bus,
        description: `edge-provisioner: delete with cleanup (${ruleId})`,
        eventPattern,
        targets: [target],
      });
    }
    this.deadLetterAlarm = new Alarm(this, 'DeadLettersVisible', {
      alarmDescription: 'A teardown event could not start the delete machine; the message in the dead-letter queue names the provision.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
