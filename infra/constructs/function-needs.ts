import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { EVENT_SOURCE } from '../../lambdas/events/port';
import { ec2Statements, type Ec2Capability } from './ec2-access';
import type { EdgeFunction } from './edge-function';

/**
 * Name prefix of every secret the functions may use; the same as
 * `SECRET_PREFIX` of `lambdas/shared/secrets-manager-store.ts` (a test checks
 * it), repeated so synth does not load the Secrets Manager client.
 */
export const SECRET_PREFIX = 'edge-provisioner/';

/**
 * What one function calls, and so what it may do. Everything not named is
 * denied; the table in `infra/handlers.ts` says why each function needs what.
 */
export interface FunctionNeeds {
  /** Provision table: `read` (get, query) or `readWrite` (also put, update, batch write). */
  readonly table?: 'read' | 'readWrite';
  /** Query GSI1 to list a caller's provisions. */
  readonly listProvisions?: boolean;
  /** Put lifecycle events on the bus (source `edge-provisioner` only). */
  readonly publishEvents?: boolean;
  /** Read secrets under `edge-provisioner/` (OpenNebula, SSH key, provider credentials). */
  readonly readSecrets?: boolean;
  /** Create and update secrets under `edge-provisioner/` (credentials found inline in a descriptor). */
  readonly writeSecrets?: boolean;
  /** Start executions of the create and delete machines. */
  readonly startExecutions?: boolean;
  /** Create, read, list and delete schedules in the schedule group, with the scheduler role. */
  readonly manageSchedules?: boolean;
  /** EC2 calls of the AWS provider and IPAM drivers. */
  readonly ec2?: readonly Ec2Capability[];
}

/** The shared resources a function may be wired to. */
export interface FunctionWiring {
  readonly table: ITableV2;
  /** Name of the table's global secondary index. */
  readonly listIndexName: string;
  readonly bus: IEventBus;
  readonly createMachineArn: string;
  readonly deleteMachineArn: string;
  readonly oneSecret: ISecret;
  readonly sshKeySecret: ISecret;
  readonly scheduleGroupName: string;
  readonly schedulerRole: IRole;
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
    CREATE_MACHINE_ARN: wiring.createMachineArn,
    DELETE_MACHINE_ARN: wiring.deleteMachineArn,
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
  if (needs.startExecutions) {
    statements.push(
      new PolicyStatement({
        sid: 'StartMachines',
        actions: ['states:StartExecution'],
        resources: [wiring.createMachineArn, wiring.deleteMachineArn],
      }),
    );
  }
  if (needs.manageSchedules) {
    env['SCHEDULE_GROUP_NAME'] = wiring.scheduleGroupName;
    env['SCHEDULER_ROLE_ARN'] = wiring.schedulerRole.roleArn;
    env['EVENT_BUS_ARN'] = wiring.bus.eventBusArn;
    statements.push(
      new PolicyStatement({
        sid: 'ManageSchedules',
        actions: ['scheduler:CreateSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [scheduleArnPattern(f, wiring.scheduleGroupName)],
      }),
      new PolicyStatement({
        sid: 'ListSchedules',
        // ListSchedules has no resource type: the group is a request filter.
        actions: ['scheduler:ListSchedules'],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'PassSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [wiring.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
  statements.push(...ec2Statements(f, needs.ec2 ?? []));

  for (const [key, value] of Object.entries(env)) f.addEnvironment(key, value);
  for (const s of statements) fn.role.addToPrincipalPolicy(s);
}
