import { Match } from 'aws-cdk-lib/assertions';
import { IDEMPOTENCY_KEY_ATTRIBUTE, IDEMPOTENCY_TTL_ATTRIBUTE } from '../../lambdas/api/idempotency';
import { TABLE_DEFINITION } from '../../lambdas/store/keys';
import { buildSystem } from './fixture';

const { statefulTemplate: t } = buildSystem();

describe('StatefulStack', () => {
  it('keeps provisions in one on-demand table with the store keys, GSI1, TTL and point-in-time recovery', () => {
    t.resourceCountIs('AWS::DynamoDB::GlobalTable', 2);
    t.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [
          {
            IndexName: TABLE_DEFINITION.gsi1.name,
            KeySchema: [
              { AttributeName: TABLE_DEFINITION.gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: TABLE_DEFINITION.gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });

  it('keeps Idempotency-Key records in their own on-demand table, in the layout Powertools uses, dropped with the stack', () => {
    t.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TTL_ATTRIBUTE, Enabled: true },
      }),
    });
  });

  it('names the bus edge-provisioner and archives every lifecycle event', () => {
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'edge-provisioner' });
    t.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['edge-provisioner'] },
      RetentionDays: 90,
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] },
    });
  });

  it('creates the schedule group for TTL and recurring schedules and retains it', () => {
    t.hasResource('AWS::Scheduler::ScheduleGroup', { Properties: { Name: 'edge-provisioner' }, DeletionPolicy: 'Retain' });
  });

  it('creates the OpenNebula and SSH key secrets under the edge-provisioner/ prefix, with no value in the template', () => {
    t.resourceCountIs('AWS::SecretsManager::Secret', 2);
    for (const [name, keys] of [
      ['edge-provisioner/opennebula', { endpoint: '', user: '', password: '', frontendPublicKey: '' }],
      ['edge-provisioner/ssh-key', { privateKey: '', publicKey: '' }],
    ] as const) {
      t.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ Name: name, SecretString: Match.serializedJson(keys) }),
      });
    }
  });
});
