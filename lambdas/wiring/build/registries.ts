import { createDriverRegistries } from '../../drivers';
import type { ProviderRegistryDeps } from '../../drivers/providers';
import type { DriverRegistry } from '../../provisioning/ports/driver-registry';
import type { DriverStateStore } from '../../provisioning/ports/driver-state';
import type { IpamDriver } from '../../provisioning/ports/ipam';
import type { ProviderDriver } from '../../provisioning/ports/provider';
import { ProviderConfigError } from '../../shared/errors';

/** What both registries are built from. */
export interface RegistryOptions extends Omit<ProviderRegistryDeps, 'driverState'> {
  /** Where on-prem records live: the provision table, so they outlive the function that wrote them. */
  driverState: DriverStateStore;
  /** Refuses a provider by name with the returned reason (the sandbox refuses real ones unless in local mode). */
  refuse?: (name: string) => string | undefined;
}

/**
 * The provider and IPAM registries over one set of shared dependencies (one
 * EC2 client per connection, one driver state store, one sim cloud), so an
 * address the IPAM leases and the host the provider made live in the same world.
 */
export function driverRegistries(options: RegistryOptions): {
  providers: DriverRegistry<ProviderDriver>;
  ipams: DriverRegistry<IpamDriver>;
} {
  const { refuse, ...deps } = options;
  const { providers, ipams } = createDriverRegistries(deps);
  return refuse ? { providers: refusing(providers, refuse), ipams: refusing(ipams, refuse) } : { providers, ipams };
}

function refusing<T>(registry: DriverRegistry<T>, refuse: (name: string) => string | undefined): DriverRegistry<T> {
  // Retired and unknown names keep their own errors.
  const refusedHere = (name: string) => (registry.names().includes(name) ? refuse(name) : undefined);
  return {
    names: () => registry.names().filter((name) => !refusedHere(name)),
    refusal: (name) => refusedHere(name) ?? registry.refusal(name),
    create(ref, secrets) {
      const reason = refusedHere(ref.name);
      if (reason) return Promise.reject(new ProviderConfigError(reason));
      return registry.create(ref, secrets);
    },
  };
}
