import { createSshHostConfigurator, type SshHostConfiguratorOptions } from '../../lambdas/hostconfig/configurator';
import { generateSshKeyPair } from '../../lambdas/hostconfig/keys';
import type { ConfigureRequest, HostTarget, RoleOutputLine } from '../../lambdas/provisioning/ports/host-configurator';
import type { SimHost } from '../../sandbox/hosts/sim-host';

/** The configurator's key pair, as the secret store would hold it. */
export const clientKey = generateSshKeyPair();
/** The front-end's oneadmin key the roles authorize. */
export const frontendKey = `${generateSshKeyPair().public.trim().split(' ').slice(0, 2).join(' ')} oneadmin@frontend`;

/** A configurator tuned for loopback hosts: short timeouts, small budgets. */
export function fastConfigurator(overrides: Partial<SshHostConfiguratorOptions> = {}) {
  return createSshHostConfigurator({
    privateKey: clientKey.private,
    connectTimeoutMs: 2_000,
    reachableWithinMs: 3_000,
    retryDelayMs: 100,
    maxRetryDelayMs: 300,
    ...overrides,
  });
}

export function targetOf(host: Pick<SimHost, 'port' | 'name'> & { address: string }, extra: Partial<HostTarget> = {}): HostTarget {
  return { provisionId: 'p-1', hostName: host.name, address: host.address, port: host.port, user: 'root', ...extra };
}

export function requestFor(target: HostTarget, extra: Partial<ConfigureRequest> = {}): ConfigureRequest {
  return {
    target,
    params: { EDGE_FRONTEND_PUBKEY: frontendKey, EDGE_HOST_INDEX: '0' },
    peers: [],
    overlay: { mode: 'vxlan', vni: 4242 },
    deadlineMs: 600_000,
    ...extra,
  };
}

/** Collects streamed output lines. */
export function collector(): { lines: RoleOutputLine[]; log: (line: RoleOutputLine) => void } {
  const lines: RoleOutputLine[] = [];
  return { lines, log: (line) => lines.push(line) };
}

/** Awaits a promise expected to reject and returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}
