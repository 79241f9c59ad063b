import * as path from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../lambdas/provisioning/ports/events';
import { MACHINES, TASK_HANDLERS } from '../../lambdas/handlers/task-handlers';
import { TABLE_DEFINITION } from '../../lambdas/store/keys';
import { acknowledge, type Acknowledgement } from '../constructs/acknowledge';
import { AslStateMachine, stateMachineArn } from '../constructs/asl-state-machine';
import { PROVISION_TAG, ec2ResourceTypes, ec2TypeArn } from '../constructs/ec2-access';
import { EdgeFunction, REPO_ROOT } from '../constructs/edge-function';
import { EdgeHttpApi } from '../constructs/edge-http-api';
import {
  executionArnPattern,
  grantNeeds,
  scheduleArnPattern,
  secretPrefixArn,
  teardownRuleArnPattern,
  type FunctionWiring,
} from '../constructs/function-needs';
import { TeardownRules } from '../constructs/teardown-rules';
import { API_FUNCTIONS, API_ROUTES, STEP_FUNCTIONS, TRIGGERED_FUNCTIONS, type FunctionSpec } from '../handlers';

/** Properties of the {@link StatelessStack}. */
export interface StatelessStackProps extends StackProps {
  /** Prefix of the machine names; the bus and schedule group names. */
  readonly systemName: string;
  readonly table: ITableV2;
  /** Idempotency-Key records of the API. */
  readonly idempotencyTable: ITableV2;
  readonly bus: IEventBus;
  readonly scheduleGroup: IScheduleGroup;
  readonly oneSecret: ISecret;
  readonly sshKeySecret: ISecret;
  /** Flow tunables for every function (`POLL_SECONDS`, `HOST_READY_TIMEOUT_SECONDS`, …). */
  readonly tunables?: Readonly<Record<string, string>>;
  /** SNS topic the alarms notify. @default alarms without actions */
  readonly alarmTopicArn?: string;
}

/** Id of a step's function: its placeholder without the `FunctionArn` suffix. */
function functionId(placeholder: string): string {
  return placeholder.replace(/FunctionArn$/, '');
}

/** `create-provision` → `CreateProvision`, for construct ids. */
function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
}

/**
 * What can be replaced at any time: the Lambda steps, the state machines,
 * the HTTP API, the scheduled-create and teardown functions, the teardown
 * rules, the scheduler role and the alarms.
 */
export class StatelessStack extends Stack {
  /** Step functions by `TASK_HANDLERS` placeholder. */
  public readonly steps: Readonly<Record<string, EdgeFunction>>;
  /** API functions by handler file. */
  public readonly apiFunctions: Readonly<Record<string, EdgeFunction>>;
  /** The functions EventBridge invokes, by handler file. */
  public readonly triggerFunctions: Readonly<Record<keyof typeof TRIGGERED_FUNCTIONS, EdgeFunction>>;
  /** State machines by `MACHINES` key. */
  public readonly machines: Readonly<Record<keyof typeof MACHINES, AslStateMachine>>;
  public readonly api: EdgeHttpApi;
  public readonly teardown: TeardownRules;
  /** Role EventBridge Scheduler assumes for TTL expiry events and recurring creation. */
  public readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const machineName = (key: string) => `${props.systemName}-${key}`;
    const machineArns = Object.fromEntries(Object.keys(MACHINES).map((key) => [key, stateMachineArn(this, machineName(key))])) as Record<
      keyof typeof MACHINES,
      string
    >;
    const executionArns = Object.keys(MACHINES).map((key) => executionArnPattern(this, machineName(key)));

    // Functions first, grants after: the needs of some name the ARNs of others
    // (the scheduled-create and teardown functions).
    const specs = new Map<EdgeFunction, FunctionSpec>();
    const build = (parent: Construct, id: string, file: string, spec: FunctionSpec): EdgeFunction => {
      const fn = new EdgeFunction(parent, id, {
        handlerFile: file,
        description: spec.description,
        timeout: spec.timeout,
        memorySize: spec.memorySize,
      });
      specs.set(fn, spec);
      return fn;
    };

    const stepsScope = new Construct(this, 'Steps');
    const byFile = new Map<string, EdgeFunction>();
    const steps: Record<string, EdgeFunction> = {};
    for (const [placeholder, file] of Object.entries(TASK_HANDLERS)) {
      const spec = STEP_FUNCTIONS[file];
      if (!spec) throw new Error(`handler '${file}' (\${${placeholder}}) has no entry in STEP_FUNCTIONS (infra/handlers.ts)`);
      const fn = byFile.get(file) ?? build(stepsScope, functionId(placeholder), file, spec);
      byFile.set(file, fn);
      steps[placeholder] = fn;
    }
    this.steps = steps;

    const apiScope = new Construct(this, 'Api');
    const apiFunctions: Record<string, EdgeFunction> = {};
    for (const [file, spec] of Object.entries(API_FUNCTIONS)) apiFunctions[file] = build(apiScope, `${pascal(file)}Function`, file, spec);
    this.apiFunctions = apiFunctions;

    const triggersScope = new Construct(this, 'Triggers');
    this.triggerFunctions = {
      'scheduled-create': build(triggersScope, 'ScheduledCreate', 'scheduled-create', TRIGGERED_FUNCTIONS['scheduled-create']),
      teardown: build(triggersScope, 'Teardown', 'teardown', TRIGGERED_FUNCTIONS.teardown),
    };
    const scheduledCreate = this.triggerFunctions['scheduled-create'].function;
    const teardownFunction = this.triggerFunctions.teardown.function;

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'EventBridge Scheduler: TTL expiry events and recurring edge creation',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnEquals: { 'aws:SourceArn': props.scheduleGroup.scheduleGroupArn },
        },
      }),
    });
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PutExpiryEvents',
        actions: ['events:PutEvents'],
        resources: [props.bus.eventBusArn],
        conditions: { StringEquals: { 'events:source': EVENT_SOURCE } },
      }),
    );
    // The unqualified ARN, which is what a recurring schedule's target names.
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'InvokeScheduledCreate', actions: ['lambda:InvokeFunction'], resources: [scheduledCreate.functionArn] }),
    );

    // The bus is named after the system (StatefulStack): a literal ARN needs no cross-stack reference.
    const teardownRuleArns = teardownRuleArnPattern(this, props.systemName);
    this.teardown = new TeardownRules(this, 'Teardown', {
      bus: props.bus,
      teardownFunction,
      provisionRuleArns: teardownRuleArns,
    });
    const wiring: FunctionWiring = {
      table: props.table,
      listIndexName: TABLE_DEFINITION.gsi1.name,
      bus: props.bus,
      machineArns,
      executionArns,
      oneSecret: props.oneSecret,
      sshKeySecret: props.sshKeySecret,
      scheduleGroupName: props.scheduleGroup.scheduleGroupName,
      schedulerRole: this.schedulerRole,
      idempotencyTable: props.idempotencyTable,
      scheduledCreateFunctionArn: scheduledCreate.functionArn,
      teardownFunctionArn: teardownFunction.functionArn,
      teardownDeadLetterArn: this.teardown.deadLetterQueue.queueArn,
      teardownRuleArns,
      tunables: props.tunables,
    };
    for (const [fn, spec] of specs) {
      grantNeeds(fn, spec, wiring);
      acknowledge(fn, functionAcknowledgements(fn, spec, props.scheduleGroup.scheduleGroupName, teardownRuleArns, executionArns));
    }

    const functions = Object.fromEntries(Object.entries(steps).map(([p, f]) => [p, f.function]));
    const machines = {} as Record<keyof typeof MACHINES, AslStateMachine>;
    for (const [key, file] of Object.entries(MACHINES) as Array<[keyof typeof MACHINES, string]>) {
      machines[key] = new AslStateMachine(this, pascal(key), {
        stateMachineName: machineName(key),
        definitionFile: path.join(REPO_ROOT, 'statemachines', file),
        functions,
      });
      acknowledge(machines[key], [
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'Step Functions log delivery (logs:CreateLogDelivery and related) and X-Ray (PutTraceSegments, GetSampling*) have no resource-level permissions; every other statement names its functions.',
        },
      ]);
    }
    this.machines = machines;

    this.api = new EdgeHttpApi(apiScope, 'Http', {
      handlers: Object.entries(apiFunctions).map(([file, f]) => ({ file, function: f.function })),
      routes: API_ROUTES,
    });

    acknowledge(this.teardown.deadLetterQueue, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the dead-letter queue of the teardown rule targets and of the teardown function; it has nowhere further to dead-letter to.',
      },
    ]);

    if (props.alarmTopicArn) {
      const action = new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn));
      for (const alarm of [...Object.values(machines).map((m) => m.failedAlarm), this.teardown.deadLetterAlarm])
        alarm.addAlarmAction(action);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API (SigV4, service execute-api)' });
    new CfnOutput(this, 'CreateMachineArn', { value: machines['create-provision'].stateMachine.stateMachineArn });
    new CfnOutput(this, 'DeleteMachineArn', { value: machines['delete-provision'].stateMachine.stateMachineArn });
    new CfnOutput(this, 'SchedulerRoleArn', { value: this.schedulerRole.roleArn });
    new CfnOutput(this, 'TeardownDeadLetterQueueUrl', { value: this.teardown.deadLetterQueue.queueUrl });
  }
}

/**
 * Why each wildcard a function's role holds is acceptable, one finding at a
 * time, derived from the same needs that produced the statements.
 */
function functionAcknowledgements(
  fn: EdgeFunction,
  spec: FunctionSpec,
  scheduleGroupName: string,
  teardownRuleArns: string,
  executionArns: readonly string[],
): Acknowledgement[] {
  const star = ['X-Ray PutTraceSegments/PutTelemetryRecords (active tracing)'];
  if (spec.ec2?.length) star.push('EC2 Describe* calls, which support no resource-level permissions');
  const acks: Acknowledgement[] = [
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: `Only actions AWS authorises on "*" use it: ${star.join('; ')}.` },
  ];
  if (spec.readSecrets || spec.writeSecrets || spec.deleteSecrets) {
    const verbs = [spec.readSecrets ? 'read' : '', spec.writeSecrets ? 'create and update' : '', spec.deleteSecrets ? 'delete' : '']
      .filter(Boolean)
      .join(' and ');
    acks.push({
      id: `AwsSolutions-IAM5[Resource::${nagArn(fn, secretPrefixArn(fn))}]`,
      reason: `Provider credentials are stored per provision (edge-provisioner/<provision>/provider-connection) when a descriptor is submitted, so their ARNs are unknown at deploy time; the function may ${verbs} only secrets under the edge-provisioner/ prefix in this account and region.`,
    });
  }
  if (spec.schedules?.length) {
    acks.push({
      id: `AwsSolutions-IAM5[Resource::${nagArn(fn, scheduleArnPattern(fn, scheduleGroupName))}]`,
      reason: `Schedules are named at run time after a provision (ttl-<provision>) or a recurring schedule (create-<schedule>); the function may ${spec.schedules.join(' and ')} only schedules of the ${scheduleGroupName} group.`,
    });
  }
  if (spec.rules?.length) {
    acks.push({
      id: `AwsSolutions-IAM5[Resource::${nagArn(fn, teardownRuleArns)}]`,
      reason: `Teardown rules are created per provision at run time (edge-teardown-<provision>); the function may ${spec.rules.join(' and ')} only rules with that prefix on this system's bus, and may give them no target but the teardown function.`,
    });
  }
  if (spec.describeExecutions) {
    for (const arn of executionArns) {
      acks.push({
        id: `AwsSolutions-IAM5[Resource::${nagArn(fn, arn)}]`,
        reason: `Executions are named at run time after the operation they run; the function may only read the status (DescribeExecution) of this system’s machines’ executions, to tell a running operation from an abandoned one${spec.stopExecutions ? ', and stop one (StopExecution) when a forced delete takes the lock over' : ''}.`,
      });
    }
  }
  for (const type of ec2ResourceTypes(spec.ec2 ?? [])) {
    acks.push({
      id: `AwsSolutions-IAM5[Resource::${nagArn(fn, ec2TypeArn(fn, type))}]`,
      reason: `EC2 ${type} IDs are made at run time, in the region the provider connection names; the statements allow this account's ${type}s only, and creates or changes only with the ${PROVISION_TAG} tag (operator AMIs, subnets, security groups and key pairs may be referenced untagged).`,
    });
  }
  return acks;
}

/** An ARN as cdk-nag prints it in a finding id: pseudo parameters as `<AWS::Name>`. */
function nagArn(scope: Construct, arn: string): string {
  const resolved = Stack.of(scope).resolve(arn) as unknown;
  if (typeof resolved === 'string') return resolved;
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`cannot render ${JSON.stringify(resolved)} as a cdk-nag finding`);
  return join[1].map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`)).join(join[0]);
}
