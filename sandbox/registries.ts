import { createDriverRegistries } from '../lambdas/drivers';
import type { IpamDriver } from '../lambdas/provisioning/ports/ipam';
import { SimIpamDriver } from '../lambdas/drivers/ipam/sim/sim-ipam';
import { SUPPORTED_PROVIDERS } from '../lambdas/provisioning/provider-names';
import type { ProviderDriver } from '../lambdas/provisioning/ports/provider';
import { ExplicitDriverRegistry } from '../lambdas/drivers/providers/registry';
import type { DriverRegistry } from '../lambdas/provisioning/ports/driver-registry';
import type { SimCloud } from '../lambdas/drivers/providers/sim/sim-cloud';
import { SimProviderDriver, simConnectionSchema } from '../lambdas/drivers/providers/sim/sim-provider';

/** Environment switch of the sandbox's local mode: real providers next to the simulated ones. */
export const REAL_PROVIDERS_ENV = 'EDGE_REAL_PROVIDERS';

/**
 * The sandbox's driver registries. By default only `sim` works: `aws`, `ec2`
 * and `onprem` reach real machines and accounts, so they answer a clear
 * error until local mode is switched on (`EDGE_REAL_PROVIDERS=1`), when the
 * registries are exactly the deployed ones.
 */
export function sandboxRegistries(
  cloud: SimCloud,
  env: NodeJS.ProcessEnv = process.env,
): { providers: DriverRegistry<ProviderDriver>; ipams: DriverRegistry<IpamDriver> } {
  if (env[REAL_PROVIDERS_ENV] === '1') return createDriverRegistries({ sim: cloud });
  const refused = Object.fromEntries(
    SUPPORTED_PROVIDERS.filter((n) => n !== 'sim').map((name) => [
      name,
      `provider '${name}' reaches real infrastructure; the sandbox simulates only 'sim' unless started with ${REAL_PROVIDERS_ENV}=1 (local mode)`,
    ]),
  );
  return {
    providers: new ExplicitDriverRegistry<ProviderDriver>(
      'provider',
      { sim: { schema: simConnectionSchema, create: () => new SimProviderDriver(cloud) } },
      refused,
    ),
    ipams: new ExplicitDriverRegistry<IpamDriver>(
      'IPAM',
      { sim: { schema: simConnectionSchema, create: () => new SimIpamDriver(cloud) } },
      refused,
    ),
  };
}
