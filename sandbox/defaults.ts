import { join } from 'node:path';
import { sshConfiguratorFromSecret } from '../lambdas/wiring/build/host-config';
import { startSimOned } from './oned/server';
import { createSimHostFleet } from './hosts';
import { DEFAULT_TIME_SCALE, SANDBOX_SSH_KEY, type SandboxOptions } from './sandbox';
import type { LatencyModel } from './latency-model';

/** Credentials of the sandbox's simulated oned (OpenNebula's packaged defaults). */
export const SIM_ONED_USER = 'oneadmin';
export const SIM_ONED_PASSWORD = 'opennebula';

/**
 * The sandbox's default OpenNebula: a simulated oned speaking real XML-RPC on
 * loopback, reached through the same client as a real front-end. Its vnet and
 * host transitions run in scaled time; with a calibrated `model`, they and
 * every call take the model's (measured on a real oned) latencies.
 */
export function simOpenNebula(timeScale = DEFAULT_TIME_SCALE, model?: LatencyModel): SandboxOptions['openNebula'] {
  return async ({ home }) => {
    const oned = await startSimOned({
      user: SIM_ONED_USER,
      password: SIM_ONED_PASSWORD,
      // oned takes ~30 s to make a vnet READY and ~60 s to monitor a new host.
      vnetReadyDelayMs: Math.max(5, 30_000 * timeScale),
      hostMonitorDelayMs: Math.max(5, 60_000 * timeScale),
      vmTerminateDelayMs: Math.max(5, 20_000 * timeScale),
      // The dummy VMM deploys in about a second; a KVM host boots a VM in about 20 s.
      vmDeployDelayMs: Math.max(5, 20_000 * timeScale),
      imageDelayMs: Math.max(5, 10_000 * timeScale),
      ...model?.onedDelays(),
      callLatencyMs: model ? (method) => model.onedCallMs(method) : undefined,
      statePath: home ? join(home, 'oned.json') : undefined,
    });
    const connection = {
      endpoint: oned.url,
      user: SIM_ONED_USER,
      password: SIM_ONED_PASSWORD,
      timeoutMs: 10_000,
      pollIntervalMs: Math.max(5, 1000 * timeScale),
      waitTimeoutMs: 60_000,
    };
    return {
      connection,
      oned,
      frontend: { endpoint: oned.url, user: SIM_ONED_USER, simulated: true, source: 'simulated' },
      close: () => oned.close(),
    };
  };
}

/**
 * Hosts one sandbox configures at once. In AWS every ConfigureHost runs in
 * its own Lambda invocation, so nothing but the Map's MaxConcurrency bounds
 * them; the sandbox's one configurator must not be the bottleneck either.
 */
export const SANDBOX_CONFIGURE_CONCURRENCY = 256;

/**
 * The sandbox's default host configuration: the real SSH runner and role
 * scripts against one `ssh2` server per simulated machine, started when the
 * sim provider boots it. With a calibrated `model`, each host answers with
 * the round trips of its location and takes its roles' real work time.
 */
export function simHosts(model?: LatencyModel): SandboxOptions['hostConfigurator'] {
  return async ({ secrets, home }) => {
    const key = await secrets.get(SANDBOX_SSH_KEY);
    const fleet = createSimHostFleet({
      authorizedKey: key['publicKey'] ?? '',
      latencyFor: model ? (name, location) => model.sshHost(name, location) : undefined,
      // Under the sandbox's data directory, hosts outlive a daemon restart as machines would.
      ...(home ? { home: join(home, 'hosts') } : {}),
    });
    // The key read from the secret store at each connection, as a deployed function reads it.
    const configurator = sshConfiguratorFromSecret(secrets, `local:${SANDBOX_SSH_KEY}`, {
      connectTimeoutMs: 5_000,
      reachableWithinMs: 20_000,
      retryDelayMs: 50,
      maxRetryDelayMs: 500,
      maxConcurrency: SANDBOX_CONFIGURE_CONCURRENCY,
    });
    return { configurator, runtime: fleet, fleet, close: () => fleet.stopAll() };
  };
}
