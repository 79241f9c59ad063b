import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateSshKeyPair } from '../lambdas/hostconfig/keys';
import { SimCloud, type SimHostRuntime } from '../lambdas/drivers/providers/sim/sim-cloud';
import type { HostConfigurator } from '../lambdas/provisioning/ports/host-configurator';
import type { OpenNebulaPort } from '../lambdas/provisioning/ports/opennebula';
import type { OneTlsOptions } from '../lambdas/opennebula';
import type { Deps, FlowSettings } from '../lambdas/provisioning/ports/deps';
import { compensate } from '../lambdas/provisioning/steps/compensate';
import { DAY2_MACHINES, recordExecutionInterrupted } from '../lambdas/provisioning/lock/interrupted';
import { DynamoProvisionStore } from '../lambdas/store/dynamo-store';
import { DynamoDriverStateStore } from '../lambdas/store/dynamo-driver-state';
import { Lifecycle } from '../lambdas/provisioning/lifecycle';
import type { DriverStateStore } from '../lambdas/provisioning/ports/driver-state';
import { openNebulaFromSecret } from '../lambdas/wiring/build/opennebula';
import type { PortGroup, PortGroupName, PortGroupPorts, PortSource } from '../lambdas/wiring/port-groups';
import { useLocalPorts } from '../lambdas/wiring/runtime';
import { LocalWorkflowRunner } from './workflow-runner';
import { ConflictingStore } from './conflicting-store';
import { FaultController } from './fault-controller';
import { sandboxRegistries } from './registries';
import { ExecutionStore, type ExecutionRecord } from './executions';
import { LocalEventBus } from './local-bus';
import { FileSecretStore } from './file-secret-store';
import { startLocalDynamo, type LocalDynamo } from './local-dynamo';
import { startLocalScheduling, type LocalScheduling } from './scheduler-wiring';
import { createIdempotencyTable } from '../lambdas/api/idempotency';
import { setApiPlatformFactory } from '../lambdas/api/platform';
import type { SimOned } from './oned/server';
import type { LocalSimHostFleet } from './hosts';
import type { LatencyModel } from './latency-model';

/** Real time per simulated time by default: a 7-minute metal boot takes 0.42 s. */
export const DEFAULT_TIME_SCALE = 0.001;

/** Name of the configuration runner's SSH key pair in the sandbox secret store. */
export const SANDBOX_SSH_KEY = 'sandbox-ssh-key';

/** Name of the OpenNebula front-end's secret (`endpoint`, `user`, `password`) in the sandbox secret store. */
export const SANDBOX_ONE_SECRET = 'sandbox-oned';

/** The simulated front-end's oneadmin key (`frontendPublicKey`), which hosts are configured to trust. */
export const SANDBOX_FRONTEND_KEY = 'sandbox-frontend';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Data directory (provisions, sim cloud, executions, secrets, events); omit to keep all in memory. */
  home?: string;
  /** Real time per simulated time (see {@link DEFAULT_TIME_SCALE}). */
  timeScale?: number;
  /** Seed for the sim cloud's boot jitter. */
  seed?: number;
  /**
   * OpenNebula front-end the provisions register into: a `connection`, which
   * the sandbox keeps in its secret store and connects to as a deployed
   * function does, or a ready `port` (an in-memory fake).
   */
  openNebula: (sandbox: { home?: string }) => Promise<{
    port?: OpenNebulaPort;
    connection?: OpenNebulaConnection;
    oned?: SimOned;
    /** What `edgectl opennebula show` reports. */
    frontend?: FrontendInfo;
    /** A real front-end monitors hosts in real time: the register step's bound, unscaled. */
    hostMonitorTimeoutSeconds?: number;
    close(): Promise<void>;
  }>;
  /** Host configuration (SSH runner with simulated hosts, by default). */
  hostConfigurator: (sandbox: { cloud: SimCloud; secrets: FileSecretStore; home?: string }) => Promise<{
    configurator: HostConfigurator;
    runtime?: SimHostRuntime;
    fleet?: LocalSimHostFleet;
    close(): Promise<void>;
  }>;
  /** Extra sim-cloud settings (address quota, latencies). */
  cloud?: { addressQuota?: number };
  /**
   * Calibrated latencies for the sim provider and IPAM (pass the same model to
   * `simOpenNebula` and `simHosts` for oned and the hosts); its time scale wins.
   */
  latencyModel?: LatencyModel;
  /** Called as any execution enters a state (a fault campaign kills the sandbox at a transition it drew). */
  onTransition?: (execution: ExecutionRecord, state: string) => void;
}

/** The front-end a sandbox registers into, without its credentials. */
export interface FrontendInfo {
  endpoint: string;
  user: string;
  /** The sandbox's own simulated oned. */
  simulated: boolean;
  /** Where the choice came from: the simulation by default, `edgectl opennebula connect`, or the environment. */
  source: 'simulated' | 'connect' | 'environment';
}

/** Where an OpenNebula front-end answers, and how patiently to talk to it. */
export interface OpenNebulaConnection {
  endpoint: string;
  user: string;
  password: string;
  timeoutMs: number;
  /** An https front-end's own CA, or no verification (labs only). */
  tls?: OneTlsOptions;
  pollIntervalMs?: number;
  waitTimeoutMs?: number;
}

/** A running sandbox: the same handlers and ASL as in AWS, on local engines. */
export interface Sandbox {
  deps: Deps;
  /** Where the handlers get their port groups (install another with `useLocalPorts` to change what they see). */
  ports: PortSource;
  runner: LocalWorkflowRunner;
  bus: LocalEventBus;
  cloud: SimCloud;
  one: OpenNebulaPort;
  /** The simulated oned, when the sandbox runs one (seed VMs, inject faults). */
  oned?: SimOned;
  /** The front-end in use. */
  frontend?: FrontendInfo;
  /** The simulated SSH hosts, when the sandbox runs them. */
  fleet?: LocalSimHostFleet;
  dynamo: LocalDynamo;
  /** The local scheduler and teardown rules (TTLs, recurring creation, `teardownOn`). */
  scheduling: LocalScheduling;
  /** Rehearsable faults of the simulated services and the table. */
  faults: FaultController;
  timeScale: number;
  close(): Promise<void>;
  /**
   * Stops as a killed process would: nothing is settled. Its executions stay
   * RUNNING in its data directory, events still being delivered are dropped,
   * simulated hosts and oned go away; the next {@link startSandbox} over the
   * same `home` resumes what was interrupted. A handler call already running
   * cannot be killed in-process, so the kill lands as each one returns.
   */
  kill(): Promise<void>;
}

/**
 * Starts the embedded local stack: dynalite for the table, the local bus, the
 * sim provider and IPAM, the given OpenNebula and host configuration, and the
 * workflow runner; then points the handlers' ports at them.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const home = options.home;
  if (home) mkdirSync(home, { recursive: true });
  const at = (file: string) => (home ? join(home, file) : undefined);
  const timeScale = options.latencyModel?.timeScale ?? options.timeScale ?? DEFAULT_TIME_SCALE;

  const dynamo = await startLocalDynamo({ path: at('db') });
  // A concurrent writer can be rehearsed (`edgectl sandbox faults`).
  const store = new ConflictingStore(new DynamoProvisionStore(dynamo.client, dynamo.tableName));
  const driverState = new DynamoDriverStateStore(dynamo.client, dynamo.tableName);
  const bus = new LocalEventBus(at('events.jsonl'));
  const secrets = new FileSecretStore(at('secrets.json'));
  await ensureSshKey(secrets);

  const cloud = new SimCloud({
    timeScale,
    statePath: at('sim-cloud.json'),
    seed: options.seed,
    latency: options.latencyModel,
    ...options.cloud,
  });
  const registries = sandboxRegistries(cloud, process.env, driverState);

  const oneSetup = await options.openNebula({ home });
  const openNebula = oneSetup.port ? async () => oneSetup.port as OpenNebulaPort : await connectOpenNebula(secrets, oneSetup.connection);
  const hostConfig = await options.hostConfigurator({ cloud, secrets, home });
  if (hostConfig.runtime) {
    cloud.setRuntime(hostConfig.runtime);
    await cloud.resumeRunningHosts();
  }

  // AWS-scale figures of the flows, run in scaled time.
  const settings: FlowSettings = {
    pollSeconds: 30,
    hostReadyTimeoutSeconds: Math.max(2, 3600 * timeScale * 10),
    networkReadyTimeoutSeconds: Math.max(2, 600 * timeScale * 10),
    hostMonitorTimeoutSeconds: oneSetup.hostMonitorTimeoutSeconds ?? Math.max(2, 600 * timeScale * 10),
    configureBudgetMs: 10 * 60_000,
    timeScale,
    sshKeyRef: `local:${SANDBOX_SSH_KEY}`,
    frontendKeyRef: `local:${SANDBOX_FRONTEND_KEY}`,
  };
  const runner = new LocalWorkflowRunner(
    { waitMs: Math.max(5, settings.pollSeconds * 1000 * timeScale), retryMs: 20, taskBudgetMs: 15 * 60_000 },
    new ExecutionStore(at('executions.json')),
    undefined,
    options.onTransition,
  );
  const scheduling = startLocalScheduling({ bus, dynamo, timeScale, at });
  const deps: Deps = {
    store,
    lifecycle: new Lifecycle(store, bus),
    providers: registries.providers,
    ipams: registries.ipams,
    secrets,
    openNebula,
    hostConfigurator: hostConfig.configurator,
    workflows: runner,
    scheduler: scheduling.scheduler,
    eventRules: scheduling.rules,
    schedules: scheduling.schedules,
    settings,
    now: () => new Date(),
  };
  // Each handler gets the groups it declares, from the engines in `deps` (which tests may swap).
  const ports: PortSource = {
    build: <K extends PortGroupName>(group: PortGroup<K>) => localGroups(deps, driverState, bus)[group.name],
    settings: () => deps.settings,
    now: () => deps.now(),
  };
  useLocalPorts(ports);
  const one = await deps.openNebula(undefined as never);
  const idempotency = await createIdempotencyTable(dynamo.client);
  const faults = new FaultController({ cloud, fleet: hostConfig.fleet, oned: oneSetup.oned, store });
  setApiPlatformFactory(async () => ({
    idempotency,
    faults,
    putEvent: async (e) => {
      const index = bus.events.length;
      await bus.publish([{ Source: e.source, DetailType: e.detailType, Detail: e.detail }]);
      return { id: bus.events[index]?.id ?? '' };
    },
  }));
  await resumeInterrupted(deps, runner);

  return {
    deps,
    ports,
    runner,
    bus,
    cloud,
    one,
    oned: oneSetup.oned,
    frontend: oneSetup.frontend,
    fleet: hostConfig.fleet,
    dynamo,
    scheduling,
    faults,
    timeScale,
    close: async () => {
      // Nothing may start an execution once they are being stopped.
      await scheduling.stop();
      // Stopped, not failed: the next start resumes them.
      runner.abortAll('SandboxStopped');
      await runner.idle();
      await bus.drain();
      await hostConfig.close();
      await oneSetup.close();
      await dynamo.close();
    },
    kill: async () => {
      runner.executions.freeze();
      runner.abortAll();
      await scheduling.stop();
      await runner.idle();
      await hostConfig.close();
      await oneSetup.close();
      await dynamo.close();
    },
  };
}

/** The port groups of a deployed function, each from the sandbox's local engine. */
function localGroups(deps: Deps, driverState: DriverStateStore, bus: LocalEventBus): { [K in PortGroupName]: PortGroupPorts[K] } {
  return {
    table: { store: deps.store, driverState },
    schedules: { schedules: deps.schedules },
    events: { publisher: bus },
    secrets: { secrets: deps.secrets },
    drivers: { providers: deps.providers, ipams: deps.ipams },
    openNebula: { openNebula: deps.openNebula },
    hostConfig: { hostConfigurator: deps.hostConfigurator },
    workflows: { workflows: deps.workflows },
    scheduling: { scheduler: deps.scheduler, eventRules: deps.eventRules },
  };
}

/** The front-end's session kept as a secret and read back the way a deployed function reads it. */
async function connectOpenNebula(
  secrets: FileSecretStore,
  connection: OpenNebulaConnection | undefined,
): Promise<() => Promise<OpenNebulaPort>> {
  if (!connection) throw new Error('the sandbox OpenNebula option returned neither a port nor a connection');
  const { endpoint, user, password, ...tuning } = connection;
  await secrets.put(SANDBOX_ONE_SECRET, { endpoint, user, password });
  return openNebulaFromSecret(secrets, `local:${SANDBOX_ONE_SECRET}`, tuning);
}

/** An execution that keeps dying with the sandbox is settled instead of resumed again. */
const MAX_RESUMES = 3;

/**
 * Picks up what executions were doing when the previous sandbox process
 * stopped or was killed, as Step Functions would have kept them running:
 * an execution still moving its provision (and holding its lock) is resumed;
 * one that was already compensating finishes its compensation here; one
 * whose provision has moved on since, or that was resumed too often, is
 * settled (the provision goes to ERROR with step `interrupted`, or `delete`).
 */
async function resumeInterrupted(deps: Deps, runner: LocalWorkflowRunner): Promise<void> {
  for (const exec of runner.executions.interrupted()) {
    const provisionId = exec.input['provisionId'];
    const p = typeof provisionId === 'string' ? await deps.store.get(provisionId).catch(() => undefined) : undefined;
    const reason = `execution ${exec.name} was interrupted: the sandbox stopped while it ran`;
    const holds = p !== undefined && (p.operation === undefined || p.operation.executionName === exec.name);
    const moving = p !== undefined && ['PENDING', 'PROVISIONING', 'SCALING', 'DELETING'].includes(p.state);
    // A day-2 operation is settled (its hosts FAILED, the provision live), not run again.
    const day2 = DAY2_MACHINES.includes(exec.machine);
    const settle = (id: string, why: string) =>
      recordExecutionInterrupted(deps, { provisionId: id, machine: exec.machine, reason: why, executionName: exec.name });
    try {
      if (!p || !holds || !moving || day2) {
        if (p && holds) await settle(p.id, reason);
      } else if (exec.machine === 'create-provision' && exec.failing) {
        await compensate(deps, {
          provisionId: p.id,
          step: 'interrupted',
          error: { Error: 'ExecutionInterrupted', Cause: `${reason}, after it had failed` },
          executionName: exec.name,
        });
      } else if ((exec.resumed ?? 0) < MAX_RESUMES) {
        runner.resume(exec);
        continue;
      } else {
        await settle(p.id, `${reason} ${MAX_RESUMES + 1} times`);
      }
    } catch {
      // Left for the operation lock to settle when someone next acts on the provision.
    }
    runner.executions.update(exec.executionId, { reconciled: true });
  }
}

async function ensureSshKey(secrets: FileSecretStore): Promise<void> {
  try {
    await secrets.get(SANDBOX_SSH_KEY);
  } catch {
    const pair = generateSshKeyPair('edge-provisioner-sandbox');
    await secrets.put(SANDBOX_SSH_KEY, { privateKey: pair.private, publicKey: pair.public });
  }
  try {
    await secrets.get(SANDBOX_FRONTEND_KEY);
  } catch {
    const pair = generateSshKeyPair('oneadmin@sim-frontend');
    await secrets.put(SANDBOX_FRONTEND_KEY, { frontendPublicKey: pair.public });
  }
}
