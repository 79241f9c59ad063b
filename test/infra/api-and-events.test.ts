import { Match } from 'aws-cdk-lib/assertions';
import { TEARDOWN_PATTERNS } from '../../lambdas/provisioning/events/teardown-patterns';
import { API_ROUTES } from '../../infra/handlers';
import { buildSystem, logicalIdAt, resourcesOf, statementsOfRole, type Statement } from './fixture';

const { statelessTemplate: t } = buildSystem();
const apiFunctionId = logicalIdAt(t, 'AWS::Lambda::Function', '/Api/ApiFunction/Function/Resource');
const teardownFunctionId = logicalIdAt(t, 'AWS::Lambda::Function', '/Triggers/Teardown/Function/Resource');
const scheduledCreateId = logicalIdAt(t, 'AWS::Lambda::Function', '/Triggers/ScheduledCreate/Function/Resource');
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
        'GET /provisions/{id}/hosts',
        'POST /provisions/{id}/hosts',
        'DELETE /provisions/{id}/hosts',
        'DELETE /provisions/{id}/hosts/{host}',
        'POST /provisions/{id}/hosts/{host}/{action}',
        'POST /provisions/{id}/ips',
        'DELETE /provisions/{id}/ips/{ip}',
        'POST /provisions/{id}/configure',
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
        Format: Match.serializedJson(
          Match.objectLike({ caller: '$context.identity.userArn', routeKey: '$context.routeKey', status: '$context.status' }),
        ),
      },
    });
  });
});

describe('teardown rules', () => {
  const rules = resourcesOf(t, 'AWS::Events::Rule');
  const teardownArn = { 'Fn::GetAtt': [teardownFunctionId, 'Arn'] };
  // The whole event goes to the function (it reads detail.provisionId and the detail-type).
  const target = {
    Id: 'Target0',
    Arn: teardownArn,
    DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 86400 },
  };

  it('are the fixed TEARDOWN_PATTERNS rules on the bus, each invoking only the teardown function with the matched event', () => {
    expect(Object.values(rules).map((r) => r.Properties['EventPattern'])).toEqual(Object.values(TEARDOWN_PATTERNS));
    for (const r of Object.values(rules)) {
      expect(r.Properties['EventBusName']).toEqual({
        'Fn::GetStackOutput': expect.objectContaining({
          StackName: 'edge-provisioner-stateful',
          OutputName: expect.stringMatching(/RefBus/),
        }),
      });
      expect(r.Properties['Targets']).toEqual([target]);
    }
  });

  it('need no role: no target names one, and no policy lets anything start the delete machine but the API and the teardown function', () => {
    for (const r of Object.values(rules))
      for (const tg of r.Properties['Targets'] as Array<Record<string, unknown>>) expect(tg['RoleArn']).toBeUndefined();
    const starters = Object.entries(resourcesOf(t, 'AWS::IAM::Policy'))
      .filter(
        ([, p]) =>
          JSON.stringify(p.Properties['PolicyDocument']).includes('states:StartExecution') &&
          JSON.stringify(p.Properties['PolicyDocument']).includes('delete-provision'),
      )
      .map(([id]) => id.replace(/RoleDefaultPolicy.*$/, ''));
    expect(starters.sort()).toEqual(['ApiApiFunction', 'TriggersTeardown']);
  });

  it('may invoke the teardown function: each fixed rule by its ARN, the per-provision rules by their prefix on this bus', () => {
    const permissions = Object.values(resourcesOf(t, 'AWS::Lambda::Permission')).filter(
      (p) => p.Properties['Principal'] === 'events.amazonaws.com',
    );
    for (const p of permissions) expect(p.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', FunctionName: teardownArn });
    expect(permissions.map((p) => p.Properties['SourceArn'])).toEqual(
      expect.arrayContaining([
        ...Object.keys(rules).map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':events:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':rule/edge-provisioner/edge-teardown-*',
            ],
          ],
        },
      ]),
    );
    expect(permissions).toHaveLength(Object.keys(rules).length + 1);
  });

  it('dead-letter what the teardown function still fails on after Lambda’s two retries', () => {
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: teardownFunctionId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    t.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
  });

  it('dead-letters to an encrypted queue that refuses plain HTTP and accepts only these rules', () => {
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const policy = Object.values(resourcesOf(t, 'AWS::SQS::QueuePolicy'))[0];
    const statements = (policy?.Properties['PolicyDocument'] as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const sends = statements.filter((s) => s['Effect'] === 'Allow');
    expect(sends).toHaveLength(3);
    const fixed = sends.filter((s) => s['Sid'] !== 'ProvisionRulesDeadLetters');
    expect(fixed).toHaveLength(2);
    for (const s of fixed) {
      expect(s).toMatchObject({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^Teardown/), 'Arn'] } } },
      });
    }
    // The per-provision rules, made at run time, by their name prefix on this bus only.
    const perProvision = sends.find((s) => s['Sid'] === 'ProvisionRulesDeadLetters');
    expect(perProvision).toMatchObject({ Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' } });
    expect(JSON.stringify(perProvision?.['Condition'])).toMatch(
      /"ArnLike":\{"aws:SourceArn":.*:rule\/edge-provisioner\/edge-teardown-\*"\]\]\}\}/,
    );
  });

  it('gives the function that creates per-provision rules the dead-letter queue those rules use', () => {
    const fns = resourcesOf(t, 'AWS::Lambda::Function');
    const withDlq = Object.values(fns).filter((f) => JSON.stringify(f.Properties['Environment'] ?? {}).includes('TEARDOWN_DLQ_ARN'));
    expect(withDlq).toHaveLength(1);
    expect(JSON.stringify(withDlq[0]?.Properties['Environment'])).toContain(dlqId);
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
              ArnEquals: {
                'aws:SourceArn': Match.objectLike({
                  'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('Schedules') }),
                }),
              },
            },
          },
        ],
      },
    });
    expect(Object.keys(resourcesOf(t, 'AWS::IAM::Role'))).toContain(roleId);
  });

  it('may put edge-provisioner events (TTL expiry) on the bus and invoke the scheduled-create function (recurring creation), nothing else', () => {
    const statements = statementsOfRole(t, roleId);
    expect(statements.map((s) => s.Action).sort()).toEqual(['events:PutEvents', 'lambda:InvokeFunction']);
    const put = statements.find((s) => s.Action === 'events:PutEvents') as Statement;
    expect(put.Condition).toEqual({ StringEquals: { 'events:source': 'edge-provisioner' } });
    expect(JSON.stringify(put.Resource)).toContain('FnGetAttBus');
    const invoke = statements.find((s) => s.Action === 'lambda:InvokeFunction') as Statement;
    // The unqualified ARN, as a recurring schedule's target names it.
    expect(invoke.Resource).toEqual({ 'Fn::GetAtt': [scheduledCreateId, 'Arn'] });
    expect(invoke.Condition).toBeUndefined();
  });
});
