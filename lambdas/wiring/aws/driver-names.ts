import type { IpamDriver } from '../../provisioning/ports/ipam';
import type { ProviderDriver } from '../../provisioning/ports/provider';
import { REGISTRY_NAMES } from '../../provisioning/provider-names';
import { nameOnlyRegistry } from '../build/name-only-registry';
import type { PortGroup } from '../port-groups';

/**
 * The `drivers` ports for a function that only checks names (the API: `GET
 * /providers`, refusing a plan whose provider this deployment does not build).
 * The sandbox gives it its own registries, which also refuse real providers.
 */
export const driverNames: PortGroup<'drivers'> = {
  name: 'drivers',
  aws: () => ({
    providers: nameOnlyRegistry<ProviderDriver>('provider', REGISTRY_NAMES.providers),
    ipams: nameOnlyRegistry<IpamDriver>('IPAM', REGISTRY_NAMES.ipams),
  }),
};
