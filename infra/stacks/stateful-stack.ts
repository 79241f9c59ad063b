import { Duration, RemovalPolicy, SecretValue, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../lambdas/store/keys';
import { EVENT_SOURCE } from '../../lambdas/provisioning/ports/events';
import { IDEMPOTENCY_TABLE_KEYS, SECRET_PREFIX } from '../constructs/function-needs';

/** Properties of the {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  /** Name of the bus, the schedule group and the prefix of physical names. @default 'edge-provisioner' */
  readonly systemName?: string;
  /** How long the bus archive keeps events. @default 90 days */
  readonly archiveRetention?: Duration;
}

/**
 * What outlives a redeploy: the provision table, the event bus and its
 * archive, the schedule group, the OpenNebula and SSH key secrets, and the
 * API's Idempotency-Key table. All but the last are retained on stack
 * deletion; the provision table is also deletion-protected.
 */
export class StatefulStack extends Stack {
  /** The provision table (TABLE_DEFINITION keys, GSI1, TTL on `expiresAt`). */
  public readonly table: TableV2;
  /** Idempotency-Key records of the API (Powertools' layout: key `id`, TTL on `expiration`). */
  public readonly idempotencyTable: TableV2;
  /** The lifecycle event bus. */
  public readonly bus: EventBus;
  /** Where TTL and recurring-creation schedules live. */
  public readonly scheduleGroup: ScheduleGroup;
  /** `endpoint`, `user`, `password` and `frontendPublicKey` of the OpenNebula front-end. */
  public readonly oneSecret: Secret;
  /** `privateKey`, `publicKey` of the host configuration runner. */
  public readonly sshKeySecret: Secret;
  /** Name of the bus and the schedule group. */
  public readonly systemName: string;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    this.systemName = props.systemName ?? 'edge-provisioner';

    const { partitionKey, sortKey, gsi1 } = TABLE_DEFINITION;
    this.table = new TableV2(this, 'Provisions', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: gsi1.name,
          partitionKey: { name: gsi1.partitionKey, type: AttributeType.STRING },
          sortKey: { name: gsi1.sortKey, type: AttributeType.STRING },
          projectionType: ProjectionType.ALL,
        },
      ],
    });

    // Powertools keys its records by `id` alone, which the provision table's
    // PK/SK schema cannot hold, so they get a table of their own.
    this.idempotencyTable = new TableV2(this, 'Idempotency', {
      partitionKey: { name: IDEMPOTENCY_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: IDEMPOTENCY_TABLE_KEYS.timeToLiveAttribute,
      // Records live a day and only replay answers. Without them a retried
      // create still finds its provision (its id derives from the key); a
      // retried POST /schedules would make a second schedule.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.idempotencyTable).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'Holds only Idempotency-Key records that expire after 24 hours and replay API answers; a point-in-time restore of them would serve no purpose, the provision table has point-in-time recovery.',
    });

    this.bus = new EventBus(this, 'Bus', { eventBusName: this.systemName, description: 'edge-provisioner lifecycle events' });
    this.bus.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.bus.archive('Archive', {
      description: 'Every lifecycle event, for replay and audit',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: props.archiveRetention ?? Duration.days(90),
    });

    this.scheduleGroup = new ScheduleGroup(this, 'Schedules', {
      scheduleGroupName: this.systemName,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Created empty so every ARN is known at deploy time; operators put the
    // values (docs/operations.md). CloudFormation rewrites a secret's value only
    // when this template value changes, so redeploys keep what was put.
    const empty = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, SecretValue.unsafePlainText('')]));
    this.oneSecret = new Secret(this, 'OpenNebula', {
      secretName: `${SECRET_PREFIX}opennebula`,
      description: "OpenNebula front-end: endpoint (XML-RPC URL), user, password, frontendPublicKey (oneadmin's SSH public key)",
      secretObjectValue: empty(['endpoint', 'user', 'password', 'frontendPublicKey']),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.sshKeySecret = new Secret(this, 'SshKey', {
      secretName: `${SECRET_PREFIX}ssh-key`,
      description: 'SSH key pair of the host configuration runner: privateKey, publicKey (OpenSSH format)',
      secretObjectValue: empty(['privateKey', 'publicKey']),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const secret of [this.oneSecret, this.sshKeySecret]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Holds credentials of systems outside AWS (an OpenNebula user, an SSH key authorised on edge hosts); rotating them needs those systems, so it is the operator procedure in docs/operations.md, not a rotation Lambda.',
      });
    }
  }
}
