import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { EVENT_SOURCE } from '../../lambdas/provisioning/ports/events';
import { MACHINE_ARN_ENV } from '../../lambdas/shared/config';
import type { MACHINES } from '../../lambdas/handlers/task-handlers';
import { TEARDOWN_RULE_PREFIX } from '../../lambdas/provisioning/scheduling/names';
import { ec2Statements, type Ec2Capability } from './ec2-access';
import type { EdgeFunction } from './edge-function';

/**
 * Name prefix of every secret the functions may use; the same as
 * `SECRET_PREFIX` of `lambdas/shared/secrets-manager-store.ts` (a test checks
 * it), repeated so synth does not load the Secrets Manager client.
 */
export const SECRET_PREFIX = 'edge-provisioner/';

/**
 * Partition key prefix of the recurring-schedule items (`PK=SCHED#<id>`), the
 * same as `scheduleKeys` of `lambdas/scheduling/dynamo-schedule-store.ts` (a
 * test checks it): the only items any function may delete.
 */
export const SCHEDULE_ITEM_PREFIX = 'SCHED#';

/**
 * Partition key prefix of the name reservations (`PK=NAME#<scope>#<name>`),
 * the same as `nameKeys` of `lambdas/store/keys.ts` (a test checks it).
 */
export const NAME_ITEM_PREFIX = 'NAME#';

/**
 * Partition key prefix of driver records (`PK=DRIVER#<kind>`), the same as
 * `DRIVER_STATE_PREFIX` of `lambdas/store/keys.ts` (a test checks it).
 */
export const DRIVER_ITEM_PREFIX = 'DRIVER#';

/**
 * Key and TTL attributes of the API's Idempotency-Key table, the same as
 * `IDEMPOTENCY_KEY_ATTRIBUTE` and `IDEMPOTENCY_TTL_ATTRIBUTE` of
 * `lambdas/api/idempotency.ts` (the stateful stack test checks the table
 * against them), repeated so synth does not load Powertools.
 */
export const IDEMPOTENCY_TABLE_KEYS = { partitionKey: 'id', timeToLiveAttribute: 'expiration' } as const;

/** A state machine, by its `MACHINES` key. */
export type MachineKey = keyof typeof MACHINES;

/**
 * What a function does with EventBridge Scheduler in the schedule group:
 * `put` creates or replaces schedules (TTL expiry, recurring creation), which
 * passes the scheduler role; `remove` deletes them.
 */
export type ScheduleCapability = 'put' | 'remove';

/**
 * What a function does with the per-provision teardown rules on the bus
 * (`edge-teardown-<provision>`): `put` creates one whose only target is the
 * teardown function; `remove` deletes one.
 */
export type RuleCapability = 'put' | 'remove';

/**
 * What one function calls, and so what it may do. Everything not named is
 * denied; the table in `infra/handlers.ts` says why each function needs what.
 */
export interface FunctionNeeds {
  /** Provision table: `read` (get, query) or `readWrite` (also put, update, batch write). */
  readonly table?: 'read' | 'readWrite';
  /** Delete recurring-schedule items (`PK=SCHED#…`) of the table, and no other item. */
  readonly deleteScheduleItems?: boolean;
  /** Delete name reservations (`NAME#…` items) a deleted provision, or a create that failed to store, gives back. */
  readonly releaseNames?: boolean;
  /**
   * Read, write and delete driver records (`PK=DRIVER#…`: on-prem hosts,
   * address claims and leases) in the table, and no other item; what every
   * function that uses the provider or IPAM drivers needs.
   */
  readonly driverState?: boolean;
  /** Query GSI1 to list a caller's provisions. */
  readonly listProvisions?: boolean;
  /** Read and write Idempotency-Key records in their own table. */
  readonly idempotency?: boolean;
  /** Put lifecycle events on the bus (source `edge-provisioner` only). */
  readonly publishEvents?: boolean;
  /** Read secrets under `edge-provisioner/` (OpenNebula, SSH key, provider credentials). */
  readonly readSecrets?: boolean;
  /** Create and update secrets under `edge-provisioner/` (credentials found inline in a descriptor). */
  readonly writeSecrets?: boolean;
  /** Delete secrets under `edge-provisioner/` (a deleted provision's own credentials). */
  readonly deleteSecrets?: boolean;
  /** Start executions of these machines. */
  readonly startExecutions?: readonly MachineKey[];
  /**
   * Read the status of any machine's executions: the operation lock asks
   * whether the execution holding it still runs before refusing a request.
   */
  readonly describeExecutions?: boolean;
  /** Stop any machine's executions: a forced delete takes the lock over from the execution holding it. */
  readonly stopExecutions?: boolean;
  /** Schedules of the schedule group. */
  readonly schedules?: readonly ScheduleCapability[];
  /** Per-provision teardown rules on the bus. */
  readonly rules?: readonly RuleCapability[];
  /** EC2 calls of the AWS provider and IPAM drivers. */
  readonly ec2?: readonly Ec2Capability[];
  /**
   * The function declares the drivers group only to check provider names
   * (which ones this deployment accepts): it builds no driver, so it gets
   * neither EC2 calls nor driver records.
   */
  readonly driverNamesOnly?: boolean;
}

/** The shared resources a function may be wired to. */
export interface FunctionWiring {
  readonly table: ITableV2;
  /** Name of the table's global secondary index. */
  readonly listIndexName: string;
  readonly bus: IEventBus;
  /** Every state machine's ARN, by name. */
  readonly machineArns: Readonly<Record<MachineKey, string>>;
  /** ARN patterns of every machine's executions ({@link executionArnPattern}). */
  readonly executionArns: readonly string[];
  readonly oneSecret: ISecret;
  readonly sshKeySecret: ISecret;
  readonly scheduleGroupName: string;
  readonly schedulerRole: IRole;
  /** Where the API keeps Idempotency-Key records. */
  readonly idempotencyTable: ITableV2;
  /** What recurring schedules invoke. */
  readonly scheduledCreateFunctionArn: string;
  /** What the teardown rules invoke. */
  readonly teardownFunctionArn: string;
  /** Dead-letter queue the per-provision teardown rules send undeliverable events to. */
  readonly teardownDeadLetterArn: string;
  /** ARN pattern of the per-provision teardown rules ({@link teardownRuleArnPattern}). */
  readonly teardownRuleArns: string;
  /** Tunables (`POLL_SECONDS`, …) given to every function. */
  readonly tunables?: Readonly<Record<string, string>>;
}

/** ARN pattern of the secrets under {@link SECRET_PREFIX} in this account and region. */
export function secretPrefixArn(scope: IConstruct): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${SECRET_PREFIX}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** ARN pattern of the executions of the machine named `machineName`. */
export function executionArnPattern(scope: IConstruct, machineName: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${machineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** ARN pattern of the schedules of one group. */
export function scheduleArnPattern(scope: IConstruct, groupName: string): string {
  return Stack.of(scope).formatArn({
    service: 'scheduler',
    resource: 'schedule',
    resourceName: `${groupName}/*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * ARN pattern of the per-provision teardown rules on a bus
 * (`TEARDOWN_RULE_PREFIX` of `lambdas/scheduling/names.ts`). Rules of a
 * custom bus have the bus name in their ARN, so this covers no other bus.
 */
export function teardownRuleArnPattern(scope: IConstruct, busName: string): string {
  return Stack.of(scope).formatArn({
    service: 'events',
    resource: 'rule',
    resourceName: `${busName}/${TEARDOWN_RULE_PREFIX}*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * Wires one function to the system: sets the environment its configuration
 * reads and grants exactly the actions its needs name, on exactly those
 * resources. Environment and permissions are set together so they cannot
 * drift apart.
 *
 * Every function gets the six configuration variables because
 * `readAwsConfig` requires all of them at cold start; a variable naming a
 * resource grants nothing by itself.
 */
export function grantNeeds(fn: EdgeFunction, needs: FunctionNeeds, wiring: FunctionWiring): void {
  const f = fn.function;
  const env: Record<string, string> = {
    TABLE_NAME: wiring.table.tableName,
    EVENT_BUS_NAME: wiring.bus.eventBusName,
    ...Object.fromEntries(
      Object.entries(MACHINE_ARN_ENV).map(([machine, variable]) => [variable, wiring.machineArns[machine as MachineKey]]),
    ),
    SSH_KEY_SECRET_ARN: wiring.sshKeySecret.secretArn,
    ONE_SECRET_ARN: wiring.oneSecret.secretArn,
    ...wiring.tunables,
  };
  const statements: PolicyStatement[] = [];

  if (needs.table) {
    const actions = ['dynamodb:GetItem', 'dynamodb:Query'];
    if (needs.table === 'readWrite') actions.push('dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem');
    statements.push(new PolicyStatement({ sid: 'ProvisionTable', actions, resources: [wiring.table.tableArn] }));
  }
  if (needs.deleteScheduleItems) {
    statements.push(
      new PolicyStatement({
        sid: 'DeleteScheduleItems',
        actions: ['dynamodb:DeleteItem'],
        resources: [wiring.table.tableArn],
        // Provision items are never deleted; only a stopped recurring schedule is.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${SCHEDULE_ITEM_PREFIX}*`] } },
      }),
    );
  }
  if (needs.releaseNames) {
    statements.push(
      new PolicyStatement({
        sid: 'ReleaseNames',
        actions: ['dynamodb:DeleteItem'],
        resources: [wiring.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${NAME_ITEM_PREFIX}*`] } },
      }),
    );
  }
  if (needs.driverState) {
    statements.push(
      new PolicyStatement({
        sid: 'DriverRecords',
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [wiring.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${DRIVER_ITEM_PREFIX}*`] } },
      }),
    );
  }
  if (needs.listProvisions) {
    statements.push(
      new PolicyStatement({
        sid: 'ProvisionIndex',
        actions: ['dynamodb:Query'],
        // The one index by name, not index/*.
        resources: [`${wiring.table.tableArn}/index/${wiring.listIndexName}`],
      }),
    );
  }
  if (needs.idempotency) {
    env['IDEMPOTENCY_TABLE_NAME'] = wiring.idempotencyTable.tableName;
    statements.push(
      new PolicyStatement({
        sid: 'IdempotencyRecords',
        // What Powertools' DynamoDB persistence layer calls.
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [wiring.idempotencyTable.tableArn],
      }),
    );
  }
  if (needs.publishEvents) {
    statements.push(
      new PolicyStatement({
        sid: 'PublishLifecycleEvents',
        actions: ['events:PutEvents'],
        resources: [wiring.bus.eventBusArn],
        conditions: { StringEquals: { 'events:source': EVENT_SOURCE } },
      }),
    );
  }
  if (needs.readSecrets) {
    statements.push(
      new PolicyStatement({
        sid: 'ReadEdgeSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secretPrefixArn(f)],
      }),
    );
  }
  if (needs.writeSecrets) {
    statements.push(
      new PolicyStatement({
        sid: 'WriteEdgeSecrets',
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'],
        resources: [secretPrefixArn(f)],
      }),
    );
  }
  if (needs.deleteSecrets) {
    statements.push(
      new PolicyStatement({
        sid: 'DeleteEdgeSecrets',
        actions: ['secretsmanager:DeleteSecret'],
        resources: [secretPrefixArn(f)],
      }),
    );
  }
  if (needs.startExecutions?.length) {
    const machineArns = wiring.machineArns;
    statements.push(
      new PolicyStatement({
        sid: 'StartMachines',
        actions: ['states:StartExecution'],
        resources: [...new Set(needs.startExecutions)].map((m) => machineArns[m]),
      }),
    );
  }
  if (needs.describeExecutions) {
    statements.push(
      new PolicyStatement({
        sid: 'DescribeExecutions',
        actions: ['states:DescribeExecution', ...(needs.stopExecutions ? ['states:StopExecution'] : [])],
        resources: [...wiring.executionArns],
      }),
    );
  }
  if (needs.schedules?.length) {
    // All four whatever the capability: they configure one adapter, and a
    // variable grants nothing by itself.
    env['SCHEDULE_GROUP_NAME'] = wiring.scheduleGroupName;
    env['SCHEDULER_ROLE_ARN'] = wiring.schedulerRole.roleArn;
    env['EVENT_BUS_ARN'] = wiring.bus.eventBusArn;
    env['SCHEDULED_CREATE_FUNCTION_ARN'] = wiring.scheduledCreateFunctionArn;
    const put = needs.schedules.includes('put');
    const actions = [
      // A put is CreateSchedule, or UpdateSchedule when the name exists (a re-armed TTL).
      ...(put ? ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'] : []),
      ...(needs.schedules.includes('remove') ? ['scheduler:DeleteSchedule'] : []),
    ];
    statements.push(new PolicyStatement({ sid: 'Schedules', actions, resources: [scheduleArnPattern(f, wiring.scheduleGroupName)] }));
    if (put) {
      statements.push(
        new PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [wiring.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
    }
  }
  if (needs.rules?.length) {
    env['TEARDOWN_FUNCTION_ARN'] = wiring.teardownFunctionArn;
    const put = needs.rules.includes('put');
    if (put) env['TEARDOWN_DLQ_ARN'] = wiring.teardownDeadLetterArn;
    const actions = [
      ...(put ? ['events:PutRule'] : []),
      ...(needs.rules.includes('remove') ? ['events:RemoveTargets', 'events:DeleteRule'] : []),
    ];
    statements.push(new PolicyStatement({ sid: 'TeardownRules', actions, resources: [wiring.teardownRuleArns] }));
    if (put) {
      statements.push(
        new PolicyStatement({
          sid: 'TeardownRuleTarget',
          actions: ['events:PutTargets'],
          resources: [wiring.teardownRuleArns],
          // A Lambda target needs no role (the function's resource policy admits the
          // rules), so the target ARN is all there is to pin.
          conditions: { ArnEquals: { 'events:TargetArn': wiring.teardownFunctionArn } },
        }),
      );
    }
  }
  statements.push(...ec2Statements(f, needs.ec2 ?? []));

  for (const [key, value] of Object.entries(env)) f.addEnvironment(key, value);
  for (const s of statements) fn.role.addToPrincipalPolicy(s);
}
