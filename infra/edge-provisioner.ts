import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

/** Deployment settings, from `cdk.json` context or `--context`. */
export interface EdgeProvisionerSettings {
  /** Name of the bus and schedule group, prefix of stack and machine names. @default 'edge-provisioner' */
  readonly systemName?: string;
  /** Account and region; unset synthesizes environment-agnostic stacks. */
  readonly env?: Environment;
  /** Flow tunables for every function (`POLL_SECONDS`, …; see lambdas/shared/config.ts). */
  readonly tunables?: Readonly<Record<string, string>>;
  /** SNS topic for the alarms. */
  readonly alarmTopicArn?: string;
}

/** The two stacks of the system. */
export interface EdgeProvisionerStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** Reads the settings from the app's context (`edge-provisioner:*` keys). */
export function settingsFromContext(app: App): EdgeProvisionerSettings {
  const ctx = (key: string): unknown => app.node.tryGetContext(`edge-provisioner:${key}`);
  const tunables = ctx('tunables');
  return {
    systemName: (ctx('systemName') as string | undefined) ?? undefined,
    tunables:
      tunables && typeof tunables === 'object' ? Object.fromEntries(Object.entries(tunables).map(([k, v]) => [k, String(v)])) : undefined,
    alarmTopicArn: (ctx('alarmTopicArn') as string | undefined) ?? undefined,
  };
}

/**
 * Adds the whole system to an app, checked by cdk-nag's AWS Solutions rules
 * at synth (an unacknowledged finding fails `cdk synth` and `cdk deploy`).
 */
export function addEdgeProvisioner(app: App, settings: EdgeProvisionerSettings = {}): EdgeProvisionerStacks {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const systemName = settings.systemName ?? 'edge-provisioner';
  const stateful = new StatefulStack(app, `${systemName}-stateful`, {
    env: settings.env,
    systemName,
    description: 'edge-provisioner state: provision table, event bus and archive, schedule group, secrets, idempotency records',
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, `${systemName}-stateless`, {
    env: settings.env,
    description:
      'edge-provisioner compute: Lambda steps, state machines, HTTP API, schedule and teardown functions, teardown rules, alarms',
    systemName,
    table: stateful.table,
    idempotencyTable: stateful.idempotencyTable,
    bus: stateful.bus,
    scheduleGroup: stateful.scheduleGroup,
    oneSecret: stateful.oneSecret,
    sshKeySecret: stateful.sshKeySecret,
    tunables: settings.tunables,
    alarmTopicArn: settings.alarmTopicArn,
  });
  return { stateful, stateless };
}
