import { createIpamRegistry } from '../../../lambdas/drivers/ipam';
import { createProviderRegistry } from '../../../lambdas/drivers/providers';
import { MemoryDriverStateStore } from '../../../lambdas/drivers/memory-driver-state';
import type { PowerHook } from '../../../lambdas/drivers/providers/onprem/power-hook';
import { describeIpamContract } from '../contract/ipam-contract';
import { describeProviderContract, requestFor } from '../contract/provider-contract';

const POOL = '198.51.100.10,198.51.100.11,198.51.100.12,198.51.100.13,198.51.100.14';

/** Distinct documentation addresses per provision and host, stable across calls. */
function addressBook(): (provisionId: string, index: number) => Record<string, string> {
  const seen = new Map<string, number>();
  return (provisionId, index) => {
    const key = `${provisionId}/${index}`;
    if (!seen.has(key)) seen.set(key, seen.size + 10);
    return { address: `192.0.2.${seen.get(key)}` };
  };
}

function onprem() {
  const driverState = new MemoryDriverStateStore();
  const power: PowerHook = async () => {};
  const deps = { driverState, onpremProbe: async () => true, onpremPowerHook: power };
  return { providers: createProviderRegistry(deps), ipams: createIpamRegistry(deps) };
}

describeProviderContract('onprem', async () => ({
  driver: await onprem().providers.create({ name: 'onprem', settings: {} }),
  provision: addressBook(),
}));

describeIpamContract('onprem', async () => {
  const { providers, ipams } = onprem();
  const settings = { public_ips: POOL };
  const provider = await providers.create({ name: 'onprem', settings });
  const book = addressBook();
  let n = 0;
  return {
    ipam: await ipams.create({ name: 'onprem', settings }),
    capacity: 5,
    host: () => {
      n += 1;
      return provider.allocate(requestFor({ driver: provider, provision: book }, 'p-ip', n), `p-ip-host-${n}`);
    },
  };
});
