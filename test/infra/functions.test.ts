import { MACHINES, TASK_HANDLERS } from '../../lambdas/handlers/task-handlers';
import { MACHINE_ARN_ENV } from '../../lambdas/shared/config';
import { teardownRuleName } from '../../lambdas/provisioning/scheduling/names';
import { API_FUNCTIONS, STEP_FUNCTIONS, TRIGGERED_FUNCTIONS } from '../../infra/handlers';
import { actionsOf, buildSystem, constructPath, logicalIdAt, resourceList, resourcesOf, statementsOfRole, type Statement } from './fixture';

const { statelessTemplate: t } = buildSystem();
const functions = resourcesOf(t, 'AWS::Lambda::Function');

/** Step id (`AllocateHost`) of each handler file. */
const stepIds = Object.fromEntries(Object.entries(TASK_HANDLERS).map(([p, file]) => [file, p.replace(/FunctionArn$/, '')]));
/** Construct path of each handler file's EdgeFunction, below the stack. */
const scopeOf = (file: string): string =>
  file in API_FUNCTIONS
    ? '/Api/ApiFunction'
    : file in TRIGGERED_FUNCTIONS
      ? `/Triggers/${file === 'teardown' ? 'Teardown' : 'ScheduledCreate'}`
      : `/Steps/${stepIds[file]}`;
const roleOf = (file: string): string => logicalIdAt(t, 'AWS::IAM::Role', `${scopeOf(file)}/Role/Resource`);
const functionIdOf = (file: string): string => logicalIdAt(t, 'AWS::Lambda::Function', `${scopeOf(file)}/Function/Resource`);
const envOf = (file: string): Record<string, unknown> =>
  (functions[functionIdOf(file)]?.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
const statements = (file: string): Statement[] => statementsOfRole(t, roleOf(file));
const actions = (file: string): string[] => [...new Set(statements(file).flatMap(actionsOf))].sort();
const allFiles = [...Object.keys(STEP_FUNCTIONS), ...Object.keys(API_FUNCTIONS), ...Object.keys(TRIGGERED_FUNCTIONS)];
const withActions = (pattern: RegExp): string[] => allFiles.filter((f) => actions(f).some((a) => pattern.test(a))).sort();
const getAttArn = (file: string) => ({ 'Fn::GetAtt': [functionIdOf(file), 'Arn'] });

/** `Fn::GetStackOutput` of the stateful stack's output whose name contains `part`. */
const stackOutput =
  (part: string) =>
  (value: unknown): boolean =>
    JSON.stringify(value).includes('"Fn::GetStackOutput"') && JSON.stringify(value).includes(part);
const isTableArn = stackOutput('FnGetAttProvisions');
const isIdempotencyTableArn = stackOutput('FnGetAttIdempotency');
const isBusArn = stackOutput('FnGetAttBus');

describe('step and API functions', () => {
  it('makes one function per TASK_HANDLERS entry, per API handler file, and the scheduled-create and teardown functions', () => {
    const paths = Object.values(functions).map(constructPath);
    expect(paths).toHaveLength(new Set(Object.values(TASK_HANDLERS)).size + Object.keys(API_FUNCTIONS).length + 2);
    for (const id of Object.values(stepIds))
      expect(paths).toContainEqual(expect.stringMatching(new RegExp(`/Steps/${id}/Function/Resource$`)));
    expect(paths).toContainEqual(expect.stringMatching(/\/Api\/ApiFunction\/Function\/Resource$/));
    expect(Object.keys(TRIGGERED_FUNCTIONS).sort()).toEqual(['scheduled-create', 'teardown']);
    for (const file of Object.keys(TRIGGERED_FUNCTIONS)) expect(functions[functionIdOf(file)]?.Properties['Handler']).toBe('index.handler');
  });

  it('runs every function on Node.js 24, ARM64, with X-Ray and the Powertools logger environment', () => {
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: 'edge-provisioner',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            POWERTOOLS_METRICS_NAMESPACE: 'EdgeProvisioner',
          }),
        },
      });
    }
  });

  it('gives every function the configuration readAwsConfig requires, machine ARNs by the machines’ names', () => {
    const names = Object.values(resourcesOf(t, 'AWS::StepFunctions::StateMachine')).map((m) => m.Properties['StateMachineName']);
    expect(names.sort()).toEqual(
      Object.keys(MACHINES)
        .map((m) => `edge-provisioner-${m}`)
        .sort(),
    );
    for (const fn of Object.values(functions)) {
      const env = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'EVENT_BUS_NAME', ...Object.values(MACHINE_ARN_ENV), 'SSH_KEY_SECRET_ARN', 'ONE_SECRET_ARN']),
      );
      for (const [machine, variable] of Object.entries(MACHINE_ARN_ENV)) {
        expect(JSON.stringify(env[variable])).toContain(`:stateMachine:edge-provisioner-${machine}"`);
      }
    }
  });

  it('gives the scheduling settings to exactly the functions that call the Scheduler, and the teardown function ARN to those that manage rules', () => {
    const schedulerVars = ['SCHEDULE_GROUP_NAME', 'SCHEDULER_ROLE_ARN', 'EVENT_BUS_ARN', 'SCHEDULED_CREATE_FUNCTION_ARN'];
    const withScheduler = allFiles.filter((f) => schedulerVars.some((v) => v in envOf(f))).sort();
    expect(withScheduler).toEqual(['api', 'compensate', 'finalize-delete', 'finalize-provision', 'teardown']);
    for (const file of withScheduler) {
      const env = envOf(file);
      expect(Object.keys(env)).toEqual(expect.arrayContaining(schedulerVars));
      expect(env['SCHEDULE_GROUP_NAME']).toBe('edge-provisioner');
      expect(env['SCHEDULER_ROLE_ARN']).toEqual({ 'Fn::GetAtt': [logicalIdAt(t, 'AWS::IAM::Role', '/SchedulerRole/Resource'), 'Arn'] });
      expect(isBusArn(env['EVENT_BUS_ARN'])).toBe(true);
      expect(env['SCHEDULED_CREATE_FUNCTION_ARN']).toEqual(getAttArn('scheduled-create'));
    }
    expect(allFiles.filter((f) => 'TEARDOWN_FUNCTION_ARN' in envOf(f)).sort()).toEqual([
      'compensate',
      'finalize-delete',
      'finalize-provision',
    ]);
    expect(envOf('finalize-provision')['TEARDOWN_FUNCTION_ARN']).toEqual(getAttArn('teardown'));
    expect(allFiles.filter((f) => 'IDEMPOTENCY_TABLE_NAME' in envOf(f))).toEqual(['api']);
    expect(JSON.stringify(envOf('api')['IDEMPOTENCY_TABLE_NAME'])).toContain('RefIdempotency');
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
      for (const s of statements(file).filter(
        (x) => actionsOf(x).some((a) => a.startsWith('dynamodb:')) && x.Sid !== 'IdempotencyRecords',
      )) {
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

  it('lets only the API delete items, only recurring schedules (SCHED#…) and name reservations (NAME#…), and use the idempotency table', () => {
    // Besides these, only the driver functions delete, and only driver records (below).
    const withoutDrivers = withActions(/^dynamodb:DeleteItem$/).filter((f) => !statements(f).some((s) => s.Sid === 'DriverRecords'));
    expect(withoutDrivers).toEqual(['api', 'finalize-delete', 'scheduled-create']);
    for (const file of ['finalize-delete', 'scheduled-create']) {
      const deletes = statements(file).filter((s) => actionsOf(s).includes('dynamodb:DeleteItem'));
      expect(deletes.map((s) => s.Sid)).toEqual(['ReleaseNames']);
    }
    const api = statements('api');
    const deletes = api.filter((s) => actionsOf(s).includes('dynamodb:DeleteItem'));
    expect(deletes.map((s) => s.Sid).sort()).toEqual(['DeleteScheduleItems', 'IdempotencyRecords', 'ReleaseNames']);
    const names = deletes.find((s) => s.Sid === 'ReleaseNames') as Statement;
    expect(actionsOf(names)).toEqual(['dynamodb:DeleteItem']);
    expect(isTableArn(names.Resource)).toBe(true);
    expect(names.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['NAME#*'] } });
    const scheduleItems = deletes.find((s) => s.Sid === 'DeleteScheduleItems') as Statement;
    expect(actionsOf(scheduleItems)).toEqual(['dynamodb:DeleteItem']);
    expect(isTableArn(scheduleItems.Resource)).toBe(true);
    expect(scheduleItems.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SCHED#*'] } });
    const records = deletes.find((s) => s.Sid === 'IdempotencyRecords') as Statement;
    expect(actionsOf(records).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(isIdempotencyTableArn(records.Resource)).toBe(true);
    for (const file of allFiles.filter((f) => f !== 'api')) expect(statements(file).map((s) => s.Sid)).not.toContain('IdempotencyRecords');
  });

  it('lets exactly the functions that use the drivers keep driver records (DRIVER#…), and delete no other item', () => {
    const drivers = [
      'allocate-host',
      'assign-public-ips',
      'check-host-ready',
      'compensate',
      'create-network-infra',
      'delete-network-infra',
      // A retry releases machines that never booted (an on-prem one frees its record).
      'prepare-provision',
      'release-host',
      // Day-2 steps that build drivers: power, addresses, releases of what a failed operation bought.
      'add-public-ips',
      'check-host-action',
      'compensate-ip-action',
      'compensate-scale-out',
      'remove-public-ip',
      'restore-host',
      'start-host-action',
    ];
    expect(allFiles.filter((f) => statements(f).some((s) => s.Sid === 'DriverRecords')).sort()).toEqual([...drivers].sort());
    for (const file of drivers) {
      const records = statements(file).find((s) => s.Sid === 'DriverRecords') as Statement;
      expect(actionsOf(records).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
      expect(isTableArn(records.Resource)).toBe(true);
      expect(records.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DRIVER#*'] } });
      const deletes = statements(file).filter((s) => actionsOf(s).includes('dynamodb:DeleteItem'));
      expect(deletes.map((s) => s.Sid)).toEqual(['DriverRecords']);
    }
  });

  it('grants exactly what the scheduled-create function calls: the table and its name reservations, the bus, the provision’s own copy of the schedule’s credentials, starting the create machine', () => {
    expect(actions('scheduled-create')).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'events:PutEvents',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:CreateSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'states:StartExecution',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('grants exactly what the teardown function calls: the table, the lock, starting the delete machine, re-arming a TTL, its dead letters', () => {
    expect(actions('teardown')).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'events:PutEvents',
      'iam:PassRole',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'scheduler:CreateSchedule',
      'scheduler:UpdateSchedule',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
      'states:DescribeExecution',
      'states:StartExecution',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    const sqs = statements('teardown').find((s) => actionsOf(s).includes('sqs:SendMessage'));
    expect(sqs?.Resource).toEqual({ 'Fn::GetAtt': [logicalIdAt(t, 'AWS::SQS::Queue', '/Teardown/DeadLetters/Resource'), 'Arn'] });
  });

  it('lets functions put only edge-provisioner events, only on the bus', () => {
    for (const file of allFiles) {
      for (const s of statements(file).filter((x) => actionsOf(x).includes('events:PutEvents'))) {
        expect(actionsOf(s)).toEqual(['events:PutEvents']);
        expect(isBusArn(s.Resource)).toBe(true);
        expect(s.Condition).toEqual({ StringEquals: { 'events:source': 'edge-provisioner' } });
      }
    }
    expect(actions('check-networks-ready')).not.toContain('events:PutEvents');
  });

  it('lets functions read only secrets under edge-provisioner/, only those that open a connection, only the API and scheduled-create store new ones, and only the API and finalize-delete delete them', () => {
    for (const file of allFiles) {
      const secretActions = actions(file).filter((a) => a.startsWith('secretsmanager:'));
      const expected =
        file === 'api'
          ? ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']
          : file === 'scheduled-create'
            ? ['secretsmanager:CreateSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']
            : file === 'finalize-delete'
              ? ['secretsmanager:DeleteSecret']
              : STEP_FUNCTIONS[file]?.readSecrets
                ? ['secretsmanager:GetSecretValue']
                : [];
      expect(secretActions).toEqual(expected);
      for (const s of statements(file).filter((x) => actionsOf(x).some((a) => a.startsWith('secretsmanager:')))) {
        expect(JSON.stringify(s.Resource)).toMatch(/:secret:edge-provisioner\/\*"\]\]\}$/);
      }
    }
    for (const file of ['record-host-failure', 'finalize-provision', 'finalize-delete', 'record-delete-failure']) {
      expect(actions(file)).not.toContain('secretsmanager:GetSecretValue');
    }
  });

  it('lets each function start only the machines it starts: the API all, scheduled-create creation, teardown deletion', () => {
    const machinesOf = (file: string): Array<string | undefined> =>
      statements(file)
        .filter((s) => actionsOf(s).includes('states:StartExecution'))
        .flatMap(resourceList)
        .map((r) => JSON.stringify(r).match(/stateMachine:edge-provisioner-([a-z-]+)"/)?.[1]);
    expect(withActions(/^states:/)).toEqual(['api', 'scheduled-create', 'teardown']);
    expect(actions('api').filter((a) => a.startsWith('states:'))).toEqual([
      'states:DescribeExecution',
      'states:StartExecution',
      'states:StopExecution',
    ]);
    expect(actions('scheduled-create').filter((a) => a.startsWith('states:'))).toEqual(['states:StartExecution']);
    expect(machinesOf('api')).toEqual(Object.keys(MACHINES).sort());
    expect(machinesOf('scheduled-create')).toEqual(['create-provision']);
    expect(machinesOf('teardown')).toEqual(['delete-provision']);
  });

  it('lets the functions that take the operation lock read the status of this system’s executions, and only the API stop one', () => {
    expect(withActions(/^states:StopExecution$/)).toEqual(['api']);
    for (const file of ['api', 'teardown']) {
      const describe = statements(file).filter((s) => actionsOf(s).includes('states:DescribeExecution'));
      expect(describe).toHaveLength(1);
      // Only the API stops one: delete --force takes the lock over.
      expect(actionsOf(describe[0] as Statement)).toEqual(
        file === 'api' ? ['states:DescribeExecution', 'states:StopExecution'] : ['states:DescribeExecution'],
      );
      const machines = resourceList(describe[0] as Statement).map(
        (r) => JSON.stringify(r).match(/:execution:edge-provisioner-([a-z-]+):\*"/)?.[1],
      );
      expect(machines.sort()).toEqual(Object.keys(MACHINES).sort());
    }
  });

  it('lets only the functions that arm, disarm or manage schedules touch the group, and only those that create pass the scheduler role', () => {
    const schedulerActions = (file: string) => actions(file).filter((a) => a.startsWith('scheduler:'));
    expect(withActions(/^scheduler:/)).toEqual(['api', 'compensate', 'finalize-delete', 'finalize-provision', 'teardown']);
    expect(schedulerActions('api')).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule']);
    expect(schedulerActions('finalize-provision')).toEqual(['scheduler:CreateSchedule', 'scheduler:UpdateSchedule']);
    expect(schedulerActions('teardown')).toEqual(['scheduler:CreateSchedule', 'scheduler:UpdateSchedule']);
    expect(schedulerActions('finalize-delete')).toEqual(['scheduler:DeleteSchedule']);
    expect(schedulerActions('compensate')).toEqual(['scheduler:DeleteSchedule']);
    for (const file of withActions(/^scheduler:/)) {
      const [schedules, ...others] = statements(file).filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
      expect(others).toEqual([]);
      expect(JSON.stringify(schedules?.Resource)).toMatch(
        /":scheduler:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":schedule\/edge-provisioner\/\*"\]\]\}$/,
      );
    }
    expect(withActions(/^iam:/)).toEqual(['api', 'finalize-provision', 'teardown']);
    for (const file of withActions(/^iam:/)) {
      const pass = statements(file).filter((s) => actionsOf(s).some((a) => a.startsWith('iam:')));
      expect(pass).toEqual([
        {
          Sid: 'PassSchedulerRole',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: { 'Fn::GetAtt': [logicalIdAt(t, 'AWS::IAM::Role', '/SchedulerRole/Resource'), 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
      ]);
    }
  });

  it('lets finalize-provision create teardown rules that target only the teardown function, and finalize-delete remove them, on this bus’s edge-teardown-* rules only', () => {
    const ruleActions = (file: string) => actions(file).filter((a) => a.startsWith('events:') && a !== 'events:PutEvents');
    expect(allFiles.filter((f) => ruleActions(f).length > 0).sort()).toEqual(['compensate', 'finalize-delete', 'finalize-provision']);
    expect(ruleActions('finalize-provision')).toEqual(['events:PutRule', 'events:PutTargets']);
    expect(ruleActions('finalize-delete')).toEqual(['events:DeleteRule', 'events:RemoveTargets']);
    expect(ruleActions('compensate')).toEqual(['events:DeleteRule', 'events:RemoveTargets']);
    const ruleArns = /":events:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":rule\/edge-provisioner\/edge-teardown-\*"\]\]\}$/;
    for (const file of ['finalize-provision', 'finalize-delete', 'compensate']) {
      for (const s of statements(file).filter((x) => actionsOf(x).some((a) => a.startsWith('events:') && a !== 'events:PutEvents'))) {
        expect(JSON.stringify(s.Resource)).toMatch(ruleArns);
      }
    }
    // The runtime's rule names fall under the granted prefix.
    expect(teardownRuleName('p-0123456789ab')).toMatch(/^edge-teardown-/);
    const putTargets = statements('finalize-provision').find((s) => actionsOf(s).includes('events:PutTargets')) as Statement;
    expect(actionsOf(putTargets)).toEqual(['events:PutTargets']);
    expect(putTargets.Condition).toEqual({ ArnEquals: { 'events:TargetArn': getAttArn('teardown') } });
  });

  it('gives EC2 access only to steps that drive the AWS provider or IPAM', () => {
    const withEc2 = allFiles.filter((f) => actions(f).some((a) => a.startsWith('ec2:'))).sort();
    expect(withEc2).toEqual([
      'add-public-ips',
      'allocate-host',
      'assign-public-ips',
      'check-host-action',
      'check-host-ready',
      'compensate',
      'compensate-ip-action',
      'compensate-scale-out',
      'create-network-infra',
      'delete-network-infra',
      // A retry releases machines that never booted before it allocates new ones.
      'prepare-provision',
      'release-host',
      'remove-public-ip',
      'restore-host',
      'start-host-action',
    ]);
    // Power actions: only the host-action steps.
    expect(allFiles.filter((f) => actions(f).includes('ec2:StopInstances')).sort()).toEqual(['check-host-action', 'start-host-action']);
    // ip remove releases addresses, never instances.
    expect(actions('remove-public-ip').filter((a) => a.startsWith('ec2:'))).toEqual([
      'ec2:DescribeAddresses',
      'ec2:DisassociateAddress',
      'ec2:ReleaseAddress',
      'ec2:UnassignPrivateIpAddresses',
    ]);
    expect(actions('check-host-ready').filter((a) => a.startsWith('ec2:'))).toEqual([
      'ec2:DescribeInstanceStatus',
      'ec2:DescribeInstances',
    ]);
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
          expect(
            actionsOf(s).every((a) => ['ec2:RunInstances', 'ec2:CreateSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress'].includes(a)),
          ).toBe(true);
        } else if (s.Sid === 'Ec2TagOnCreate') {
          expect(actionsOf(s)).toEqual(['ec2:CreateTags']);
          expect(Object.keys(s.Condition?.['StringEquals'] ?? {})).toEqual(['ec2:CreateAction']);
        } else {
          expect(s.Condition).toEqual({
            Null: {
              [s.Sid === 'Ec2CreateTagged' ? 'aws:RequestTag/edge-provisioner:provision' : 'aws:ResourceTag/edge-provisioner:provision']:
                'false',
            },
          });
        }
      }
    }
    const terminate = allFiles.filter((f) => actions(f).includes('ec2:TerminateInstances')).sort();
    // Instances are terminated by deletes, rollbacks, a retry's cleanup, and a scale-in's removal or its compensation.
    expect(terminate).toEqual([
      'compensate',
      'compensate-scale-out',
      'delete-network-infra',
      'prepare-provision',
      'release-host',
      'restore-host',
    ]);
    const run = statements('allocate-host').find((s) => s.Sid === 'Ec2CreateTagged');
    expect(actionsOf(run as Statement)).toEqual(['ec2:RunInstances']);
  });

  it('uses a "*" resource only for actions AWS authorises on "*" alone', () => {
    const starOnly =
      /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|ec2:Describe[A-Za-z]+|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;
    for (const policy of Object.values(resourcesOf(t, 'AWS::IAM::Policy'))) {
      for (const s of (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement) {
        if (resourceList(s).includes('*')) for (const a of actionsOf(s)) expect(a).toMatch(starOnly);
      }
    }
  });
});
