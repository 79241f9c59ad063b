import { Ec2ClientCache } from './providers/aws-ec2/client';
import { MemoryDriverStateStore } from './memory-driver-state';
import { SimCloud } from './providers/sim/sim-cloud';
import { createIpamRegistry } from './ipam';
import type { IpamDriver } from '../provisioning/ports/ipam';
import { createProviderRegistry, type ProviderRegistryDeps } from './providers';
import type { ProviderDriver } from '../provisioning/ports/provider';
import type { DriverRegistry } from '../provisioning/ports/driver-registry';

/**
 * Both registries over one set of shared dependencies: one EC2 client per
 * connection, one driver state store, one sim cloud, so an address the IPAM
 * leases and the host the provider made live in the same world.
 */
export function createDriverRegistries(deps: ProviderRegistryDeps = {}): {
  providers: DriverRegistry<ProviderDriver>;
  ipams: DriverRegistry<IpamDriver>;
} {
  const shared: ProviderRegistryDeps = {
    ...deps,
    ec2Clients: deps.ec2Clients ?? new Ec2ClientCache(),
    driverState: deps.driverState ?? new MemoryDriverStateStore(),
    sim: deps.sim ?? new SimCloud(),
  };
  return { providers: createProviderRegistry(shared), ipams: createIpamRegistry(shared) };
}
