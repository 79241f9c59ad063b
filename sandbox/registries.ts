import type { DriverRegistry } from '../lambdas/provisioning/ports/driver-registry';
import type { DriverStateStore } from '../lambdas/provisioning/ports/driver-state';
import type { IpamDriver } from '../lambdas/provisioning/ports/ipam';
import type { ProviderDriver } from '../lambdas/provisioning/ports/provider';
import type { SimCloud } from '../lambdas/drivers/providers/sim/sim-cloud';
import { MemoryDriverStateStore } from '../lambdas/drivers/memory-driver-state';
import { driverRegistries } from '../lambdas/wiring/build/registries';

/** Environment switch of the sandbox's local mode: real providers next to the simulated ones. */
export const REAL_PROVIDERS_ENV = 'EDGE_REAL_PROVIDERS';

/**
 * The sandbox's driver registries: the deployed ones over the sandbox's sim
 * cloud and table. By default only `sim` works: `aws`, `ec2` and `onprem`
 * reach real machines and accounts, so they answer a clear error until local
 * mode is switched on (`EDGE_REAL_PROVIDERS=1`).
 */
export function sandboxRegistries(
  cloud: SimCloud,
  env: NodeJS.ProcessEnv = process.env,
  driverState: DriverStateStore = new MemoryDriverStateStore(),
): { providers: DriverRegistry<ProviderDriver>; ipams: DriverRegistry<IpamDriver> } {
  const local = env[REAL_PROVIDERS_ENV] === '1';
  return driverRegistries({
    sim: cloud,
    driverState,
    refuse: (name) =>
      local || name === 'sim'
        ? undefined
        : `provider '${name}' reaches real infrastructure; the sandbox simulates only 'sim' unless started with ${REAL_PROVIDERS_ENV}=1 (local mode)`,
  });
}
