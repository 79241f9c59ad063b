import type { DriverStateStore } from '../provisioning/ports/driver-state';
import type { DriverRegistry } from '../provisioning/ports/driver-registry';
import type { EventRules } from '../provisioning/ports/event-rules';
import type { EventPublisher } from '../provisioning/ports/events';
import type { FlowSettings } from '../provisioning/ports/deps';
import type { HostConfigurator } from '../provisioning/ports/host-configurator';
import type { IpamDriver } from '../provisioning/ports/ipam';
import type { OpenNebulaPort } from '../provisioning/ports/opennebula';
import type { ProviderDriver } from '../provisioning/ports/provider';
import type { ScheduleStore, Scheduler } from '../provisioning/ports/scheduler';
import type { SecretStore } from '../provisioning/ports/secrets';
import type { ProvisionMeta, ProvisionStore } from '../provisioning/ports/store';
import type { WorkflowStarter } from '../provisioning/ports/workflow';
import type { AwsConfig } from '../shared/config';

/**
 * The ports a function may use, in groups that each bring their own
 * libraries: a function that declares no `hostConfig` never loads ssh2, one
 * that declares no `drivers` never loads the EC2 client.
 */
export interface PortGroupPorts {
  /** The provision table: provisions and driver records (DynamoDB). */
  table: { store: ProvisionStore; driverState: DriverStateStore };
  /** Stored recurring-creation schedules in the same table; apart because they carry the full plan schema. */
  schedules: { schedules: ScheduleStore };
  /** Lifecycle events on the bus (EventBridge). */
  events: { publisher: EventPublisher };
  /** Secrets (Secrets Manager). */
  secrets: { secrets: SecretStore };
  /** Provider and IPAM drivers (EC2 among them). */
  drivers: { providers: DriverRegistry<ProviderDriver>; ipams: DriverRegistry<IpamDriver> };
  /** The OpenNebula front-end (XML-RPC), its session from a secret. */
  openNebula: { openNebula(provision: ProvisionMeta): Promise<OpenNebulaPort> };
  /** Host configuration over SSH (ssh2), its key from a secret. */
  hostConfig: { hostConfigurator: HostConfigurator };
  /** Starting state machine executions (Step Functions). */
  workflows: { workflows: WorkflowStarter };
  /** TTL and recurring schedules, per-provision teardown rules (EventBridge Scheduler and rules). */
  scheduling: { scheduler: Scheduler; eventRules: EventRules };
}

/** Name of a port group. */
export type PortGroupName = keyof PortGroupPorts;

/** Every group, in the order the documentation lists them. */
export const PORT_GROUP_NAMES: readonly PortGroupName[] = [
  'table',
  'schedules',
  'events',
  'secrets',
  'drivers',
  'openNebula',
  'hostConfig',
  'workflows',
  'scheduling',
];

/** What an AWS group builder may use: the configuration (read once) and the groups it builds on. */
export interface AwsWiringContext {
  config(): AwsConfig;
  /** Another group's ports, built once per process whether or not the function declared it. */
  need<K extends PortGroupName>(group: PortGroup<K>): PortGroupPorts[K];
}

/**
 * One group as a deployed function builds it. A handler declares the groups
 * it uses by importing their modules from `lambdas/wiring/aws/`, which is
 * what puts their libraries, and only theirs, into its bundle.
 */
export interface PortGroup<K extends PortGroupName = PortGroupName> {
  readonly name: K;
  /** Builds the group from AWS clients. Synchronous: anything slow (a secret read) happens on first use. */
  aws(ctx: AwsWiringContext): PortGroupPorts[K];
}

/** Where a composition gets its groups: AWS clients in Lambda, local engines in the sandbox. */
export interface PortSource {
  /** Builds (or returns the already built) ports of a group. */
  build<K extends PortGroupName>(group: PortGroup<K>): PortGroupPorts[K];
  settings(): FlowSettings;
  now(): Date;
}
