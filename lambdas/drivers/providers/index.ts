import { ec2ClientFor, Ec2ClientCache, type AwsClientDeps } from './aws-ec2/client';
import { awsConnectionSchema, parseAwsConnection } from './aws-ec2/connection';
import { onpremConnectionSchema } from './onprem/connection';
import { OnpremProviderDriver } from './onprem/onprem-provider';
import type { PowerHook } from './onprem/power-hook';
import { tcpProbe, type ReachabilityProbe } from './onprem/probe';
import type { DriverStateStore } from '../../provisioning/ports/driver-state';
import { MemoryDriverStateStore } from '../memory-driver-state';
import type { ProviderDriver } from '../../provisioning/ports/provider';
import { ExplicitDriverRegistry, type DriverEntry } from './registry';
import type { DriverRegistry } from '../../provisioning/ports/driver-registry';
import { SimCloud } from './sim/sim-cloud';
import { SimProviderDriver, simConnectionSchema } from './sim/sim-provider';

/** What the provider drivers are built from; everything is optional. */
export interface ProviderRegistryDeps extends AwsClientDeps {
  /** The simulated cloud of the `sim` entry; share it with the IPAM registry. One is made on first use when omitted. */
  sim?: SimCloud;
  /** Records of on-prem hosts and address claims; share it with the IPAM registry. In-memory (this process only) when omitted. */
  driverState?: DriverStateStore;
  /** Reachability check of on-prem hosts; a bounded TCP connect when omitted. */
  onpremProbe?: ReachabilityProbe;
  /** Power control of on-prem hosts, set by the deployment (never by a provision's settings). */
  onpremPowerHook?: PowerHook;
}

/**
 * The provider registry: `aws` (alias `ec2`), `onprem` and `sim`. Clients,
 * stores and the sim cloud are built once here and shared by every driver
 * the registry creates, so a warm Lambda reuses them.
 */
export function createProviderRegistry(deps: ProviderRegistryDeps = {}): DriverRegistry<ProviderDriver> {
  const clients = new Ec2ClientCache();
  const store = deps.driverState ?? new MemoryDriverStateStore();
  let sim = deps.sim;

  const aws: DriverEntry<ProviderDriver> = {
    schema: awsConnectionSchema,
    async create(connection) {
      const parsed = parseAwsConnection(connection);
      // Loaded with the first driver: checking names and connections needs no SDK.
      const { AwsEc2ProviderDriver } = await import('./aws-ec2/aws-ec2-provider');
      return new AwsEc2ProviderDriver(await ec2ClientFor(deps, clients, parsed), parsed);
    },
  };
  return new ExplicitDriverRegistry<ProviderDriver>('provider', {
    aws,
    ec2: aws,
    onprem: {
      schema: onpremConnectionSchema,
      create(connection) {
        const timeout = connection['probe_timeout_ms'];
        return new OnpremProviderDriver({
          store,
          probe: deps.onpremProbe ?? tcpProbe,
          ...(deps.onpremPowerHook ? { powerHook: deps.onpremPowerHook } : {}),
          ...(timeout ? { probeTimeoutMs: Number(timeout) } : {}),
        });
      },
    },
    sim: {
      schema: simConnectionSchema,
      create() {
        sim ??= new SimCloud();
        return new SimProviderDriver(sim);
      },
    },
  });
}
