import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { MACHINES, TASK_HANDLERS } from '../../lambdas/handlers/task-handlers';
import { aslPlaceholders, substitute } from '../../infra/constructs/asl';
import { AslStateMachine } from '../../infra/constructs/asl-state-machine';
import { ROOT, buildSystem, constructPath, logicalIdAt, resourcesOf, statementsOfRole, type CfnResource } from './fixture';

const built = buildSystem();
const t = built.statelessTemplate;
const machines = resourcesOf(t, 'AWS::StepFunctions::StateMachine');
const assemblyDir = built.app.synth().directory;

const machineNamed = (key: string): [string, CfnResource] => {
  const hit = Object.entries(machines).find(([, m]) => m.Properties['StateMachineName'] === `edge-provisioner-${key}`);
  if (!hit) throw new Error(`no machine ${key}`);
  return hit;
};

describe.each(Object.entries(MACHINES))('state machine %s', (key, file) => {
  const definition = readFileSync(path.join(ROOT, 'statemachines', file), 'utf8');
  const [logicalId, machine] = machineNamed(key);
  const subs = machine.Properties['DefinitionSubstitutions'] as Record<string, { 'Fn::GetAtt': [string, string] }>;

  it('deploys the ASL file itself, unchanged', () => {
    const { Key } = machine.Properties['DefinitionS3Location'] as { Key: string };
    expect(readFileSync(path.join(assemblyDir, `asset.${Key}`), 'utf8')).toBe(definition);
  });

  it('substitutes every ${Placeholder} of the file, leaving none', () => {
    const placeholders = aslPlaceholders(definition);
    expect(placeholders.length).toBeGreaterThan(0);
    expect(Object.keys(subs).sort()).toEqual(placeholders);
    const resolved = substitute(definition, Object.fromEntries(Object.entries(subs).map(([p, v]) => [p, `arn:${v['Fn::GetAtt'][0]}`])));
    expect(resolved).not.toContain('${');
    expect(() => JSON.parse(resolved)).not.toThrow();
  });

  it('points each placeholder at the function of its TASK_HANDLERS entry', () => {
    for (const [placeholder, value] of Object.entries(subs)) {
      expect(TASK_HANDLERS[placeholder]).toBeDefined();
      const [fnId, attr] = value['Fn::GetAtt'];
      expect(attr).toBe('Arn');
      const fn = resourcesOf(t, 'AWS::Lambda::Function')[fnId] as CfnResource;
      expect(constructPath(fn)).toMatch(new RegExp(`/Steps/${placeholder.replace(/FunctionArn$/, '')}/Function/Resource$`));
    }
  });

  it('may invoke exactly its own steps, by unqualified ARN', () => {
    const roleId = (machine.Properties['RoleArn'] as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const invoke = statementsOfRole(t, roleId).filter((s) => JSON.stringify(s.Action).includes('lambda:'));
    expect(invoke).toHaveLength(1);
    expect(invoke[0]?.Action).toBe('lambda:InvokeFunction');
    expect(new Set(invoke[0]?.Resource as unknown[])).toEqual(new Set(Object.values(subs)));
  });

  it('is a standard machine that logs every event with execution data and is traced by X-Ray', () => {
    expect(machine.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
    const logGroupId = logicalIdAt(
      t,
      'AWS::Logs::LogGroup',
      `/${key.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}/Logs/Resource`,
    );
    expect(machine.Properties['LoggingConfiguration']).toMatchObject({
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
    });
    expect(resourcesOf(t, 'AWS::Logs::LogGroup')[logGroupId]?.Properties['LogGroupName']).toBe(
      `/aws/vendedlogs/states/edge-provisioner-${key}`,
    );
  });

  it('raises an alarm on any failed execution', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: logicalId } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('AslStateMachine', () => {
  it('fails synth when a placeholder has no function', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'asl-'));
    const file = path.join(dir, 'm.asl.json');
    writeFileSync(
      file,
      JSON.stringify({
        StartAt: 'A',
        States: {
          A: { Type: 'Task', Resource: '${KnownFunctionArn}', Next: 'B' },
          B: { Type: 'Task', Resource: '${MissingFunctionArn}', End: true },
        },
      }),
    );
    const stack = new Stack(new App(), 'S');
    const fn = new LambdaFunction(stack, 'F', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler=()=>{}'),
    });
    expect(
      () => new AslStateMachine(stack, 'M', { stateMachineName: 'm', definitionFile: file, functions: { KnownFunctionArn: fn } }),
    ).toThrow(/no function for placeholder\(s\) \$\{MissingFunctionArn\}/);
  });
});

describe('aslPlaceholders', () => {
  it('lists each placeholder once, sorted, ignoring JSONPath and intrinsic syntax', () => {
    expect(aslPlaceholders('{"a":"${B}","b":"${A}","c":"${B}","d.$":"$.x","e":"States.Format(\'{}\', $.y)"}')).toEqual(['A', 'B']);
  });
});
