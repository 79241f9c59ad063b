import { join } from 'node:path';
import { sshConfiguratorFromSecret } from '../lambdas/wiring/build/host-config';
import { startSimOned } from './oned/server';
import { createSimHostFleet } from './hosts';
import { DEFAULT_TIME_SCALE, SANDBOX_SSH_KEY, type SandboxOptions } from './sandbox';

/** Credentials of the sandbox's simulated oned (OpenNebula's packaged defaults). */
export const SIM_ONED_USER = 'oneadmin';
export const SIM_ONED_PASSWORD = 'opennebula';

/**
 * The sandbox's default OpenNebula: a simulated oned speaking real XML-RPC on
 * loopback, reached through the same client as a real front-end. Its vnet and
 * host transitions run in scaled time.
 */
export function simOpenNebula(timeScale = DEFAULT_TIME_SCALE): SandboxOptions['openNebula'] {
  return async ({ home }) => {
    const oned = await startSimOned({
      user: SIM_ONED_USER,
      password: SIM_ONED_PASSWORD,
      // oned takes ~30 s to make a vnet READY and ~60 s to monitor a new host.
      vnetReadyDelayMs: Math.max(5, 30_000 * timeScale),
      hostMonitorDelayMs: Math.max(5, 60_000 * timeScale),
      vmTerminateDelayMs: Math.max(5, 20_000 * timeScale),
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
    return { connection, oned, close: () => oned.close() };
  };
}

/**
 * The sandbox's default host configuration: the real SSH runner and role
 * scripts against one `ssh2` server per simulated machine, started when the
 * sim provider boots it.
 */
export function simHosts(): SandboxOptions['hostConfigurator'] {
  return async ({ secrets, home }) => {
    const key = await secrets.get(SANDBOX_SSH_KEY);
    // Under the sandbox's data directory, hosts outlive a daemon restart as machines would.
    const fleet = createSimHostFleet({ authorizedKey: key['publicKey'] ?? '', ...(home ? { home: join(home, 'hosts') } : {}) });
    // The key read from the secret store at each connection, as a deployed function reads it.
    const configurator = sshConfiguratorFromSecret(secrets, `local:${SANDBOX_SSH_KEY}`, {
      connectTimeoutMs: 5_000,
      reachableWithinMs: 20_000,
      retryDelayMs: 50,
      maxRetryDelayMs: 500,
    });
    return { configurator, runtime: fleet, fleet, close: () => fleet.stopAll() };
  };
}
