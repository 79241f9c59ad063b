import { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { createDriverRegistries } from '../../../lambdas/drivers';
import { describeIpamContract } from '../contract/ipam-contract';
import { describeProviderContract, requestFor } from '../contract/provider-contract';
import { FakeEc2 } from '../support/fake-ec2';

const mock = mockClient(EC2Client);
const settings = { region: 'eu-central-1' };
const provision = (): Record<string, string> => ({ instancetype: 'c8i.large', ami: 'ami-0bbb2222', root_size: '64' });

/** Registries over a fresh fake account; the mock is reset so no behaviour leaks between tests. */
function account() {
  mock.reset();
  const fake = new FakeEc2().install(mock);
  return { fake, ...createDriverRegistries({ ec2: new EC2Client({ region: settings.region }) }) };
}

describeProviderContract('aws', async () => ({
  driver: await account().providers.create({ name: 'aws', settings }),
  provision,
}));

describeIpamContract('aws', async () => {
  const { fake, providers, ipams } = account();
  const provider = await providers.create({ name: 'ec2', settings });
  const infra = await provider.ensureInfrastructure('p-ip');
  let n = 0;
  return {
    ipam: await ipams.create({ name: 'aws', settings }),
    capacity: fake.eipQuota,
    host: () => {
      n += 1;
      return provider.allocate(requestFor({ driver: provider, provision }, 'p-ip', n, infra), `p-ip-host-${n}`);
    },
  };
});
