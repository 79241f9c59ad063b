import { MACHINES } from '../../lambdas/handlers/task-handlers';
import { App } from 'aws-cdk-lib';
import { settingsFromContext } from '../../infra/edge-provisioner';
import { buildSystem, resourcesOf } from './fixture';

describe('settingsFromContext', () => {
  it('reads the edge-provisioner:* context keys and stringifies tunables', () => {
    const app = new App({
      context: {
        'edge-provisioner:systemName': 'edge-test',
        'edge-provisioner:tunables': { POLL_SECONDS: 15 },
        'edge-provisioner:alarmTopicArn': 'arn:aws:sns:eu-central-1:111111111111:ops',
      },
    });
    expect(settingsFromContext(app)).toEqual({
      systemName: 'edge-test',
      tunables: { POLL_SECONDS: '15' },
      alarmTopicArn: 'arn:aws:sns:eu-central-1:111111111111:ops',
    });
  });
});

describe('addEdgeProvisioner settings', () => {
  const topic = 'arn:aws:sns:eu-central-1:111111111111:ops';
  const {
    statelessTemplate: t,
    statefulTemplate,
    stateful,
  } = buildSystem({ systemName: 'edge-test', tunables: { POLL_SECONDS: '15' }, alarmTopicArn: topic });

  it('names stacks, machines, the bus and the schedule group after the system name', () => {
    expect(stateful.stackName).toBe('edge-test-stateful');
    statefulTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: 'edge-test' });
    statefulTemplate.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'edge-test' });
    const names = Object.values(resourcesOf(t, 'AWS::StepFunctions::StateMachine')).map((m) => m.Properties['StateMachineName']);
    expect(names.sort()).toEqual(
      Object.keys(MACHINES)
        .map((m) => `edge-test-${m}`)
        .sort(),
    );
  });

  it('passes tunables to every function', () => {
    for (const fn of Object.values(resourcesOf(t, 'AWS::Lambda::Function'))) {
      expect((fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['POLL_SECONDS']).toBe('15');
    }
  });

  it('notifies the alarm topic from every alarm', () => {
    const alarms = Object.values(resourcesOf(t, 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(1 + Object.keys(MACHINES).length);
    for (const a of alarms) expect(a.Properties['AlarmActions']).toEqual([topic]);
  });
});

describe('constants shared with the functions', () => {
  it('uses the secret prefix the Secrets Manager store writes under', async () => {
    const { SECRET_PREFIX } = await import('../../lambdas/secrets/secrets-manager-store');
    const infra = await import('../../infra/constructs/function-needs');
    expect(infra.SECRET_PREFIX).toBe(SECRET_PREFIX);
  });

  it('lets the API delete exactly the items the schedule store keys as recurring schedules', async () => {
    const { scheduleKeys } = await import('../../lambdas/store/dynamo-schedule-store');
    const infra = await import('../../infra/constructs/function-needs');
    expect(scheduleKeys({ id: 's-0123456789ab' }).PK).toBe(`${infra.SCHEDULE_ITEM_PREFIX}s-0123456789ab`);
  });

  it('lets the functions that release names delete exactly the name reservation items', async () => {
    const { nameKeys } = await import('../../lambdas/store/keys');
    const infra = await import('../../infra/constructs/function-needs');
    expect(nameKeys('one-cluster#edge').PK).toBe(`${infra.NAME_ITEM_PREFIX}one-cluster#edge`);
  });

  it('gives the functions the service name and metrics namespace their Powertools instances default to', async () => {
    const runtime = await import('../../lambdas/wiring/observability');
    const infra = await import('../../infra/constructs/edge-function');
    expect([infra.SERVICE_NAME, infra.METRICS_NAMESPACE]).toEqual([runtime.SERVICE_NAME, runtime.METRICS_NAMESPACE]);
  });

  it('lets the driver functions write and delete exactly the items the driver state store keys', async () => {
    const { driverStateKeys } = await import('../../lambdas/store/keys');
    const infra = await import('../../infra/constructs/function-needs');
    expect(driverStateKeys('onprem-host', 'onprem-1').PK).toBe(`${infra.DRIVER_ITEM_PREFIX}onprem-host`);
  });
});
