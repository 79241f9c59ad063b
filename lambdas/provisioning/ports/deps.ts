import type { IpamDriver } from './ipam';
import type { ProviderDriver } from './provider';
import type { DriverRegistry } from './driver-registry';
import type { EventRules } from './event-rules';
import type { HostConfigurator } from './host-configurator';
import type { OpenNebulaPort } from './opennebula';
import type { ScheduleStore, Scheduler } from './scheduler';
import type { SecretStore } from './secrets';
import type { ProvisionMeta, ProvisionStore } from './store';
import type { Lifecycle } from '../lifecycle';
import type { WorkflowStarter } from './workflow';

/** Tunables of the flows; AWS reads them from the environment, the sandbox scales them. */
export interface FlowSettings {
  /** Seconds between readiness polls (Wait states). */
  pollSeconds: number;
  /** A host that is not ready this long after allocation fails with HostNotReadyTimeoutError. */
  hostReadyTimeoutSeconds: number;
  /** A vnet that is not READY this long after creation fails the network step. */
  networkReadyTimeoutSeconds: number;
  /** A registered host OpenNebula has not monitored this long fails the register step (600 s when unset). */
  hostMonitorTimeoutSeconds?: number;
  /** Time one ConfigureHost invocation may spend before handing over to the next. */
  configureBudgetMs: number;
  /**
   * Real seconds per simulated second: 1 in AWS; the sandbox's scale, so
   * durations an operator gives (a drain timeout) pass in its scaled time.
   */
  timeScale?: number;
  /** Secret holding the SSH key pair of the configuration runner (`privateKey`, `publicKey`). */
  sshKeyRef: string;
  /**
   * Secret holding the OpenNebula front-end's oneadmin public key
   * (`frontendPublicKey`), which every host must trust.
   */
  frontendKeyRef: string;
}

/**
 * Everything a use case may touch, passed in as ports so the same code runs in
 * Lambda (AWS adapters) and in the sandbox (local engines and sim services).
 */
export interface Deps {
  store: ProvisionStore;
  lifecycle: Lifecycle;
  providers: DriverRegistry<ProviderDriver>;
  ipams: DriverRegistry<IpamDriver>;
  secrets: SecretStore;
  /** The OpenNebula front-end a provision registers into. */
  openNebula(provision: ProvisionMeta): Promise<OpenNebulaPort>;
  hostConfigurator: HostConfigurator;
  workflows: WorkflowStarter;
  /** TTL expiry and recurring-creation schedules (EventBridge Scheduler; the local scheduler in the sandbox). */
  scheduler: Scheduler;
  /** Per-provision teardown rules from `teardownOn` (EventBridge rules; local bus rules in the sandbox). */
  eventRules: EventRules;
  /** Stored recurring-creation schedules. */
  schedules: ScheduleStore;
  settings: FlowSettings;
  now(): Date;
}
