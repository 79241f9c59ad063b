import { createIpamRegistry } from '../../../lambdas/drivers/ipam';
import { createProviderRegistry } from '../../../lambdas/drivers/providers';
import { SimCloud } from '../../../lambdas/drivers/providers/sim/sim-cloud';
import { describeIpamContract } from '../contract/ipam-contract';
import { describeProviderContract, requestFor } from '../contract/provider-contract';

// Scaled so a simulated 7-minute boot takes a few milliseconds; the runtime
// stands in for the per-host SSH servers, which these tests never dial.
const newCloud = (): SimCloud =>
  new SimCloud({
    timeScale: 0.00001,
    addressQuota: 5,
    runtime: { start: async () => ({ address: '127.0.0.1', port: 2222 }), stop: async () => {} },
  });

describeProviderContract('sim', async () => ({
  driver: await createProviderRegistry({ sim: newCloud() }).create({ name: 'sim', settings: {} }),
  provision: () => ({}),
}));

describeIpamContract('sim', async () => {
  const sim = newCloud();
  const provider = await createProviderRegistry({ sim }).create({ name: 'sim', settings: {} });
  let n = 0;
  return {
    ipam: await createIpamRegistry({ sim }).create({ name: 'sim', settings: {} }),
    capacity: sim.addressQuota,
    host: () => {
      const h = { driver: provider, provision: () => ({}) };
      n += 1;
      return provider.allocate(requestFor(h, 'p-ip', n), `p-ip-host-${n}`);
    },
  };
});
