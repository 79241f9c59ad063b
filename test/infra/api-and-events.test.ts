import { Match } from 'aws-cdk-lib/assertions';
import { API_ROUTES } from '../../infra/handlers';
import { buildSystem, logicalIdAt, resourcesOf, statementsOfRole } from './fixture';

const { statelessTemplate: t } = buildSystem();
const apiFunctionId = logicalIdAt(t, 'AWS::Lambda::Function', '/Api/ApiFunction/Function/Resource');
const deleteMachineId = logicalIdAt(t, 'AWS::StepFunctions::StateMachine', '/DeleteProvision/Machine/Resource');
const createMachineId = logicalIdAt(t, 'AWS::StepFunctions::StateMachine', '/CreateProvision/Machine/Resource');
const dlqId = logicalIdAt(t, 'AWS::SQS::Queue', '/Teardown/DeadLetters/Resource');

describe('HTTP API', () => {
  const routes = Object.values(resourcesOf(t, 'AWS::ApiGatewayV2::Route'));

  it('serves every route of DESIGN §7 and the schedules, nothing else', () => {
    expect(routes.map((r) => r.Properties['RouteKey']).sort()).toEqual(
      [
        'POST /provisions',
        'GET /provisions',
        'GET /provisions/{id}',
        'GET /provisions/{id}/events',
        'DELETE /provisions/{id}',
        'POST /provisions/{id}/hosts',
        'DELETE /provisions/{id}/hosts/{host}',
        'POST /provisions/{id}/hosts/{host}/{action}',
        'POST /provisions/{id}/retry',
        'POST /validate',
        'GET /providers',
        'GET /openapi.json',
        'POST /schedules',
        'GET /schedules',
        'DELETE /schedules/{id}',
      ].sort(),
    );
    expect(API_ROUTES).toHaveLength(routes.length);
  });

  it('requires IAM (SigV4) authorization on every route', () => {
    for (const r of routes) expect(r.Properties['AuthorizationType']).toBe('AWS_IAM');
  });

  it('sends every route to the API function through one proxy integration', () => {
    t.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    const [integrationId] = Object.keys(resourcesOf(t, 'AWS::ApiGatewayV2::Integration'));
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [apiFunctionId, 'Arn'] },
    });
    for (const r of routes) expect(r.Properties['Target']).toEqual({ 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] });
  });

  it('throttles the stage and writes JSON access logs that name the caller', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalIdAt(t, 'AWS::Logs::LogGroup', '/Http/AccessLogs/Resource'), 'Arn'] },
        Format: Match.serializedJson(Match.objectLike({ caller: '$context.identity.userArn', routeKey: '$context.routeKey', status: '$context.status' })),
      },
    });
  });
});

describe('teardown rules', () => {
  const rules = Object.values(resourcesOf(t, 'AWS::Events::Rule'));
  const target = {
    Arn: { Ref: deleteMachineId },
    InputTransformer: { InputPathsMap: { 'detail-provisionId': '$.detail.provisionId' }, InputTemplate: '{"provisionId":<detail-provisionId>,"cleanup":true}' },
    DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 86400 },
  };

  it('starts the delete machine with cleanup when a provision expires', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'edge-provisioner-stateful' }) }),
      EventPattern: { source: ['edge-provisioner'], 'detail-type': ['Provision Expired'] },
      Targets: [Match.objectLike(target)],
    });
  });

  it('starts the delete machine with cleanup when a provision failed with onError teardown, and only then', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['edge-provisioner'], 'detail-type': ['Provision Failed'], detail: { onError: ['teardown'] } },
      Targets: [Match.objectLike(target)],
    });
    expect(rules).toHaveLength(2);
  });

  it('lets the rules start only the delete machine', () => {
    const roleId = (rules[0]?.Properties['Targets'] as Array<{ RoleArn: { 'Fn::GetAtt': [string] } }>)[0]?.RoleArn['Fn::GetAtt'][0] as string;
    expect(statementsOfRole(t, roleId)).toEqual([{ Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: deleteMachineId } }]);
  });

  it('dead-letters to an encrypted queue that refuses plain HTTP and accepts only these rules', () => {
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const policy = Object.values(resourcesOf(t, 'AWS::SQS::QueuePolicy'))[0];
    const statements = (policy?.Properties['PolicyDocument'] as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const sends = statements.filter((s) => s['Effect'] === 'Allow');
    expect(sends).toHaveLength(2);
    for (const s of sends) {
      expect(s).toMatchObject({ Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^Teardown/), 'Arn'] } } } });
    }
  });

  it('raises an alarm when a teardown event is dead-lettered', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});

describe('scheduler role', () => {
  const roleId = logicalIdAt(t, 'AWS::IAM::Role', '/SchedulerRole/Resource');

  it('can be assumed only by EventBridge Scheduler for this account’s edge-provisioner group', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: { 'aws:SourceArn': Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('Schedules') }) }) },
            },
          },
        ],
      },
    });
    expect(Object.keys(resourcesOf(t, 'AWS::IAM::Role'))).toContain(roleId);
  });

  it('may start the create machine and put edge-provisioner events (TTL expiry) on the bus, nothing else', () => {
    const statements = statementsOfRole(t, roleId);
    expect(statements.map((s) => s.Action).sort()).toEqual(['events:PutEvents', 'states:StartExecution']);
    const start = statements.find((s) => s.Action === 'states:StartExecution');
    expect(JSON.stringify(start?.Resource)).toContain(':stateMachine:edge-provisioner-create-provision"');
    expect(JSON.stringify(start?.Resource)).not.toContain(createMachineId);
    const put = statements.find((s) => s.Action === 'events:PutEvents');
    expect(put?.Condition).toEqual({ StringEquals: { 'events:source': 'edge-provisioner' } });
    expect(JSON.stringify(put?.Resource)).toContain('FnGetAttBus');
  });
});
