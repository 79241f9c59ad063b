import { TASK_HANDLERS } from '../../lambdas/handlers/task-handlers';
import { API_FUNCTIONS, STEP_FUNCTIONS } from '../../infra/handlers';
import { actionsOf, buildSystem, constructPath, logicalIdAt, resourceList, resourcesOf, statementsOfRole, type Statement } from './fixture';

const { statelessTemplate: t } = buildSystem();
const functions = resourcesOf(t, 'AWS::Lambda::Function');

/** Step id (`AllocateHost`) of each handler file. */
const stepIds = Object.fromEntries(Object.entries(TASK_HANDLERS).map(([p, file]) => [file, p.replace(/FunctionArn$/, '')]));
const roleOf = (file: string): string =>
  file in API_FUNCTIONS ? logicalIdAt(t, 'AWS::IAM::Role', '/Api/ApiFunction/Role/Resource') : logicalIdAt(t, 'AWS::IAM::Role', `/Steps/${stepIds[file]}/Role/Resource`);
const statements = (file: string): Statement[] => statementsOfRole(t, roleOf(file));
const actions = (file: string): string[] => [...new Set(statements(file).flatMap(actionsOf))].sort();
const allFiles = [...Object.keys(STEP_FUNCTIONS), ...Object.keys(API_FUNCTIONS)];

/** `Fn::GetStackOutput` of the stateful stack's output whose name contains `part`. */
const stackOutput = (part: string) => (value: unknown): boolean =>
  JSON.stringify(value).includes('"Fn::GetStackOutput"') && JSON.stringify(value).includes(part);
const isTableArn = stackOutput('FnGetAttProvisions');
const isBusArn = stackOutput('FnGetAttBus');

describe('step and API functions', () => {
  it('makes one function per TASK_HANDLERS entry and one per API handler file', () => {
    const paths = Object.values(functions).map(constructPath);
    expect(paths).toHaveLength(new Set(Object.values(TASK_HANDLERS)).size + Object.keys(API_FUNCTIONS).length);
    for (const id of Object.values(stepIds)) expect(paths).toContainEqual(expect.stringMatching(new RegExp(`/Steps/${id}/Function/Resource$`)));
    expect(paths).toContainEqual(expect.stringMatching(/\/Api\/ApiFunction\/Function\/Resource$/));
  });

  it('runs every function on Node.js 24, ARM64, with X-Ray and the Powertools logger environment', () => {
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ POWERTOOLS_SERVICE_NAME: 'edge-provisioner', POWERTOOLS_LOG_LEVEL: 'INFO' }) },
      });
    }
  });

  it('gives every function the configuration readAwsConfig requires, machine ARNs by the machines’ names', () => {
    const names = Object.values(resourcesOf(t, 'AWS::StepFunctions::StateMachine')).map((m) => m.Properties['StateMachineName']);
    expect(names.sort()).toEqual(['edge-provisioner-create-provision', 'edge-provisioner-delete-provision']);
    for (const fn of Object.values(functions)) {
      const env = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'EVENT_BUS_NAME', 'CREATE_MACHINE_ARN', 'DELETE_MACHINE_ARN', 'SSH_KEY_SECRET_ARN', 'ONE_SECRET_ARN']),
      );
      expect(JSON.stringify(env['CREATE_MACHINE_ARN'])).toContain(':stateMachine:edge-provisioner-create-provision"');
      expect(JSON.stringify(env['DELETE_MACHINE_ARN'])).toContain(':stateMachine:edge-provisioner-delete-provision"');
    }
  });

  it('sizes the long steps for their work: configure-host outlasts its 14-minute budget, the API stays under API Gateway’s 30 s', () => {
    const timeoutOf = (suffix: string) => functions[logicalIdAt(t, 'AWS::Lambda::Function', suffix)]?.Properties['Timeout'];
    expect(timeoutOf('/Steps/ConfigureHost/Function/Resource')).toBe(900);
    expect(timeoutOf('/Api/ApiFunction/Function/Resource')).toBeLessThan(30);
  });

  it('attaches no managed policy to any function role: each may write only its own log group', () => {
    for (const file of allFiles) {
      const role = resourcesOf(t, 'AWS::IAM::Role')[roleOf(file)];
      expect(role?.Properties['ManagedPolicyArns']).toBeUndefined();
      const logs = statements(file).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect(logs).toHaveLength(1);
      expect(actionsOf(logs[0] as Statement).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(JSON.stringify(logs[0]?.Resource)).toMatch(/"Fn::GetAtt":\["[A-Za-z0-9]+Logs[A-F0-9]+","Arn"\]/);
    }
  });
});

describe('least privilege per function', () => {
  it('grants exactly what a bookkeeping step calls: the table and the bus', () => {
    expect(actions('record-host-failure')).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'events:PutEvents',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('lets a polling step only read the table and secrets', () => {
    expect(actions('check-networks-ready')).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('scopes table access to the table ARN, and index access to GSI1 by name for the API only', () => {
    for (const file of allFiles) {
      for (const s of statements(file).filter((x) => actionsOf(x).some((a) => a.startsWith('dynamodb:')))) {
        for (const r of resourceList(s)) {
          const json = JSON.stringify(r);
          expect(isTableArn(r)).toBe(true);
          if (json.includes('/index/')) {
            expect(file).toBe('api');
            expect(json).toContain('/index/GSI1"');
            expect(actionsOf(s)).toEqual(['dynamodb:Query']);
          }
        }
      }
    }
  });

  it('lets functions put only edge-provisioner events, only on the bus', () => {
    for (const file of allFiles) {
      for (const s of statements(file).filter((x) => actionsOf(x).includes('events:PutEvents'))) {
        expect(actionsOf(s)).toEqual(['events:PutEvents']);
        expect(isBusArn(s.Resource)).toBe(true);
        expect(s.Condition).toEqual({ StringEquals: { 'events:source': 'edge-provisioner' } });
      }
    }
    expect(actions('prepare-provision')).not.toContain('events:PutEvents');
  });

  it('lets functions read only secrets under edge-provisioner/, only those that open a connection, and only the API store new ones', () => {
    for (const file of allFiles) {
      const secretActions = actions(file).filter((a) => a.startsWith('secretsmanager:'));
      const expected = file === 'api' ? ['secretsmanager:CreateSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'] : STEP_FUNCTIONS[file]?.readSecrets ? ['secretsmanager:GetSecretValue'] : [];
      expect(secretActions).toEqual(expected);
      for (const s of statements(file).filter((x) => actionsOf(x).some((a) => a.startsWith('secretsmanager:')))) {
        expect(JSON.stringify(s.Resource)).toMatch(/:secret:edge-provisioner\/\*"\]\]\}$/);
      }
    }
    for (const file of ['prepare-provision', 'record-host-failure', 'finalize-provision', 'finalize-delete', 'record-delete-failure']) {
      expect(actions(file)).not.toContain('secretsmanager:GetSecretValue');
    }
  });

  it('lets only the API start executions, of the two machines, and manage schedules of its group with the scheduler role', () => {
    for (const file of Object.keys(STEP_FUNCTIONS)) {
      expect(actions(file).filter((a) => /^(states|scheduler|iam):/.test(a))).toEqual([]);
    }
    const api = statements('api');
    const start = api.find((s) => actionsOf(s).includes('states:StartExecution'));
    expect(resourceList(start as Statement).map((r) => JSON.stringify(r).match(/stateMachine:([a-z-]+)/)?.[1])).toEqual([
      'edge-provisioner-create-provision',
      'edge-provisioner-delete-provision',
    ]);
    const manage = api.find((s) => actionsOf(s).includes('scheduler:CreateSchedule'));
    expect(JSON.stringify(manage?.Resource)).toContain(':schedule/edge-provisioner/*');
    const pass = api.find((s) => actionsOf(s).includes('iam:PassRole'));
    expect(pass?.Resource).toEqual({ 'Fn::GetAtt': [logicalIdAt(t, 'AWS::IAM::Role', '/SchedulerRole/Resource'), 'Arn'] });
    expect(pass?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  });

  it('gives EC2 access only to steps that drive the AWS provider or IPAM', () => {
    const withEc2 = allFiles.filter((f) => actions(f).some((a) => a.startsWith('ec2:'))).sort();
    expect(withEc2).toEqual(['allocate-host', 'assign-public-ips', 'check-host-ready', 'compensate', 'create-network-infra', 'delete-network-infra', 'release-host']);
    expect(actions('check-host-ready').filter((a) => a.startsWith('ec2:'))).toEqual(['ec2:DescribeInstanceStatus', 'ec2:DescribeInstances']);
  });

  it('lets EC2 creates happen only with the provision tag, and changes or deletes only of tagged resources', () => {
    const referenced = new Set(['image', 'subnet', 'security-group', 'key-pair', 'vpc', 'security-group-rule']);
    for (const file of allFiles) {
      for (const s of statements(file).filter((x) => actionsOf(x).some((a) => a.startsWith('ec2:') && !a.startsWith('ec2:Describe')))) {
        const types = resourceList(s).map((r) => JSON.stringify(r).match(/:([a-z-]+)\/\*"/)?.[1]);
        expect(types).not.toContain(undefined);
        for (const r of resourceList(s)) {
          // This account's resources in any region; AMIs are their publisher's.
          const json = JSON.stringify(r);
          expect(json).toMatch(json.includes('image/') ? /:ec2:\*::image\/\*"/ : /":ec2:\*:",\{"Ref":"AWS::AccountId"\},":[a-z-]+\/\*"/);
        }
        if (s.Sid === 'Ec2UseReferenced') {
          expect(types.every((x) => referenced.has(x as string))).toBe(true);
          expect(actionsOf(s).every((a) => ['ec2:RunInstances', 'ec2:CreateSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress'].includes(a))).toBe(true);
        } else if (s.Sid === 'Ec2TagOnCreate') {
          expect(actionsOf(s)).toEqual(['ec2:CreateTags']);
          expect(Object.keys(s.Condition?.['StringEquals'] ?? {})).toEqual(['ec2:CreateAction']);
        } else {
          expect(s.Condition).toEqual({
            Null: { [s.Sid === 'Ec2CreateTagged' ? 'aws:RequestTag/edge-provisioner:provision' : 'aws:ResourceTag/edge-provisioner:provision']: 'false' },
          });
        }
      }
    }
    const terminate = allFiles.filter((f) => actions(f).includes('ec2:TerminateInstances')).sort();
    expect(terminate).toEqual(['compensate', 'delete-network-infra', 'release-host']);
    const run = statements('allocate-host').find((s) => s.Sid === 'Ec2CreateTagged');
    expect(actionsOf(run as Statement)).toEqual(['ec2:RunInstances']);
  });

  it('uses a "*" resource only for actions AWS authorises on "*" alone', () => {
    const starOnly = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|ec2:Describe[A-Za-z]+|scheduler:ListSchedules|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;
    for (const policy of Object.values(resourcesOf(t, 'AWS::IAM::Policy'))) {
      for (const s of (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement) {
        if (resourceList(s).includes('*')) for (const a of actionsOf(s)) expect(a).toMatch(starOnly);
      }
    }
  });
});
