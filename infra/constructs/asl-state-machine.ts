import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';
import { aslFilePlaceholders, substitutionsFor } from './asl';

/** Properties of an {@link AslStateMachine}. */
export interface AslStateMachineProps {
  /** The machine's name; fixed so functions can be given its ARN without a dependency cycle. */
  readonly stateMachineName: string;
  /** Path of the `*.asl.json` file. */
  readonly definitionFile: string;
  /** The function behind each `${Placeholder}` (the file may use any subset). */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** ARN of a state machine from its name, usable before the machine exists. */
export function stateMachineArn(scope: IConstruct, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * A standard state machine from an ASL file, exactly as the sandbox runs it:
 * every `${Placeholder}` becomes its function's ARN (synth fails when one has
 * no function), the role may invoke only those functions, every event is
 * logged with execution data, X-Ray traces executions, and an alarm fires on
 * any failed execution.
 */
export class AslStateMachine extends Construct {
  /** The machine. */
  public readonly stateMachine: StateMachine;
  /** Where its execution events go. */
  public readonly logGroup: LogGroup;
  /** Fires when an execution fails. */
  public readonly failedAlarm: Alarm;
  /** The placeholders the file uses, with what they became. */
  public readonly substitutions: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AslStateMachineProps) {
    super(scope, id);
    const placeholders = aslFilePlaceholders(props.definitionFile);
    const used = placeholders.map((p) => props.functions[p]);
    this.substitutions = substitutionsFor(props.definitionFile, placeholders, (p) => props.functions[p]?.functionArn);

    this.logGroup = new LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps log delivery from growing the account's CloudWatch Logs resource policy.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'Machine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(props.definitionFile),
      definitionSubstitutions: { ...this.substitutions },
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Unqualified ARNs only (what the Tasks name), not grantInvoke's `:*` on every version.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        sid: 'InvokeSteps',
        actions: ['lambda:InvokeFunction'],
        resources: [...new Set(used.map((f) => (f as IFunction).functionArn))],
      }),
    );
    this.failedAlarm = new Alarm(this, 'ExecutionsFailed', {
      alarmDescription: `An execution of ${props.stateMachineName} failed; see the machine's execution history and the provision's events.`,
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
