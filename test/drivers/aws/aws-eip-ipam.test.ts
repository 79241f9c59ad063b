import {
  AllocateAddressCommand,
  AssignPrivateIpAddressesCommand,
  AssociateAddressCommand,
  CreateTagsCommand,
  DescribeAccountAttributesCommand,
  DescribeAddressesCommand,
  DisassociateAddressCommand,
  EC2Client,
  ReleaseAddressCommand,
  UnassignPrivateIpAddressesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createDriverRegistries } from '../../../lambdas/drivers';
import { planElasticIpQuota } from '../../../lambdas/drivers/ipam/aws-eip/quota';
import type { IpamDriver } from '../../../lambdas/provisioning/ports/ipam';
import type { ProviderDriver, ProviderHost } from '../../../lambdas/provisioning/ports/provider';
import { HostPlanSchema } from '../../../lambdas/provisioning/plan';
import { FakeEc2, ec2Error } from '../support/fake-ec2';

const mock = mockClient(EC2Client);
let fake: FakeEc2;
let ipam: IpamDriver;
let provider: ProviderDriver;

async function setup(settings: Record<string, string> = {}): Promise<void> {
  const { providers, ipams } = createDriverRegistries({ ec2: new EC2Client({ region: 'eu-central-1' }) });
  const ref = { name: 'aws', settings: { region: 'eu-central-1', ...settings } };
  provider = await providers.create(ref);
  ipam = await ipams.create(ref);
}

async function host(index: number): Promise<ProviderHost> {
  const plan = HostPlanSchema.parse({ index, name: `p1-host-${index}`, provision: { instancetype: 'm5.metal', ami: 'ami-0bbb2222' } });
  return provider.allocate({ provisionId: 'p1', host: plan, infrastructure: { subnet_id: 'subnet-0abc' } }, `p1-host-${index}`);
}

beforeEach(async () => {
  mock.reset();
  fake = new FakeEc2().install(mock);
  await setup();
});

describe('AwsEipIpamDriver.requestAddresses', () => {
  it('looks up by key, then allocates VPC addresses tagged with provision, key and ordinal', async () => {
    const leases = await ipam.requestAddresses({ provisionId: 'p1', count: 2 }, 'p1-ip-public-0');

    expect(mock).toHaveReceivedNthSpecificCommandWith(1, DescribeAddressesCommand, {
      Filters: [{ Name: 'tag:edge-provisioner:idempotency-key', Values: ['p1-ip-public-0'] }],
    });
    expect(mock).toHaveReceivedCommandTimes(AllocateAddressCommand, 2);
    expect(mock).toHaveReceivedNthSpecificCommandWith(2, AllocateAddressCommand, {
      Domain: 'vpc',
      TagSpecifications: [
        {
          ResourceType: 'elastic-ip',
          Tags: expect.arrayContaining([
            { Key: 'edge-provisioner:provision', Value: 'p1' },
            { Key: 'edge-provisioner:idempotency-key', Value: 'p1-ip-public-0' },
            { Key: 'edge-provisioner:ordinal', Value: '1' },
          ]),
        },
      ],
    });
    expect(leases.map((l) => l.leaseId)).toEqual([...fake.addresses.keys()]);
  });

  it('does not allocate twice when retried after a lost AllocateAddress response', async () => {
    fake.failNext('AllocateAddress', ec2Error('RequestTimeout'), { after: true });
    await expect(ipam.requestAddresses({ provisionId: 'p1', count: 1 }, 'p1-ip-public-0')).rejects.toMatchObject({
      name: 'ProviderTransientError',
    });
    const [lease] = await ipam.requestAddresses({ provisionId: 'p1', count: 1 }, 'p1-ip-public-0');

    expect(fake.addresses.size).toBe(1);
    expect(lease?.leaseId).toBe([...fake.addresses.keys()][0]);
    expect(mock).toHaveReceivedCommandTimes(AllocateAddressCommand, 1);
  });

  it('refuses before allocating when the region quota cannot hold the request', async () => {
    for (let i = 0; i < 4; i += 1) await ipam.requestAddresses({ provisionId: 'other', count: 1 }, `other-${i}`);
    mock.resetHistory();

    const err = await ipam.requestAddresses({ provisionId: 'p1', count: 2 }, 'p1-ip-public-0').catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'ProviderQuotaError', quota: 'ec2.elastic-ips' });
    expect((err as Error).message).toBe(
      "6 Elastic IPs needed in eu-central-1 (4 in use + 2 requested) but the quota is 5: raise 'EC2-VPC Elastic IPs' (L-0263D0A3) in Service Quotas for eu-central-1 to at least 6, or release unused addresses",
    );
    expect(mock).toHaveReceivedCommandTimes(AllocateAddressCommand, 0);
  });

  it('takes the quota from the account, or from eip_quota without asking', async () => {
    fake.eipQuota = 8;
    await ipam.requestAddresses({ provisionId: 'p1', count: 6 }, 'p1-ip-public-0');
    expect(mock).toHaveReceivedCommandTimes(DescribeAccountAttributesCommand, 1);

    mock.resetHistory();
    await setup({ eip_quota: '8' });
    await ipam.requestAddresses({ provisionId: 'p1', count: 2 }, 'p1-ip-public-1');
    expect(mock).toHaveReceivedCommandTimes(DescribeAccountAttributesCommand, 0);
  });
});

describe('AwsEipIpamDriver.attach', () => {
  it('assigns a secondary private address on the host interface and associates the address with it', async () => {
    const h = await host(0);
    const [lease] = await ipam.requestAddresses({ provisionId: 'p1', count: 1 }, 'p1-ip-public-0');
    if (!lease) throw new Error('no lease');
    const attached = await ipam.attach(lease, h);

    const eni = h.interfaceId;
    expect(mock).toHaveReceivedCommandWith(AssignPrivateIpAddressesCommand, { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 });
    expect(mock).toHaveReceivedCommandWith(CreateTagsCommand, {
      Resources: [lease.leaseId],
      Tags: [
        { Key: 'edge-provisioner:interface', Value: eni },
        { Key: 'edge-provisioner:private-ip', Value: attached.privateIp },
      ],
    });
    expect(mock).toHaveReceivedCommandWith(AssociateAddressCommand, {
      AllocationId: lease.leaseId,
      NetworkInterfaceId: eni,
      PrivateIpAddress: attached.privateIp,
      AllowReassociation: false,
    });
    expect(attached.privateIp).toMatch(/^10\.0\.1\./);
  });

  it('reuses the secondary address of an attempt that died before associating', async () => {
    const h = await host(0);
    const [lease] = await ipam.requestAddresses({ provisionId: 'p1', count: 1 }, 'p1-ip-public-0');
    if (!lease) throw new Error('no lease');
    fake.failNext('AssociateAddress', ec2Error('InternalError', 'x', 'server'));
    await expect(ipam.attach(lease, h)).rejects.toMatchObject({ name: 'ProviderTransientError' });
    const attached = await ipam.attach(lease, h);

    expect(mock).toHaveReceivedCommandTimes(AssignPrivateIpAddressesCommand, 1);
    expect(fake.liveInstances()[0]?.secondaryIps).toEqual([attached.privateIp]);
  });

  it('finds the interface from the instance when the host record lacks it', async () => {
    const h = await host(0);
    const [lease] = await ipam.requestAddresses({ provisionId: 'p1', count: 1 }, 'p1-ip-public-0');
    if (!lease) throw new Error('no lease');
    const { interfaceId, ...bare } = h;
    await ipam.attach(lease, bare);
    expect(mock).toHaveReceivedCommandWith(AssociateAddressCommand, { NetworkInterfaceId: interfaceId });
  });

  it("moves an address to another host, freeing the first host's secondary address", async () => {
    const a = await host(0);
    const b = await host(1);
    const [lease] = await ipam.requestAddresses({ provisionId: 'p1', count: 1 }, 'p1-ip-public-0');
    if (!lease) throw new Error('no lease');
    await ipam.attach(lease, a);
    const moved = await ipam.attach(lease, b);

    expect(moved.attachedTo).toBe(b.providerId);
    expect(mock).toHaveReceivedCommandWith(UnassignPrivateIpAddressesCommand, { NetworkInterfaceId: a.interfaceId });
    expect(fake.instances.get(a.providerId)?.secondaryIps).toEqual([]);
  });
});

describe('AwsEipIpamDriver.release', () => {
  it('disassociates, unassigns the secondary address and releases, in that order', async () => {
    const h = await host(0);
    const [lease] = await ipam.requestAddresses({ provisionId: 'p1', count: 1 }, 'p1-ip-public-0');
    if (!lease) throw new Error('no lease');
    const attached = await ipam.attach(lease, h);
    mock.resetHistory();
    await ipam.release(attached);

    const order = mock.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);
    expect(order).toEqual([
      'DescribeAddressesCommand',
      'DisassociateAddressCommand',
      'UnassignPrivateIpAddressesCommand',
      'ReleaseAddressCommand',
    ]);
    expect(mock).toHaveReceivedCommandWith(DisassociateAddressCommand, { AssociationId: expect.stringMatching(/^eipassoc-/) });
    expect(mock).toHaveReceivedCommandWith(UnassignPrivateIpAddressesCommand, {
      NetworkInterfaceId: h.interfaceId,
      PrivateIpAddresses: [attached.privateIp],
    });
    expect(mock).toHaveReceivedCommandWith(ReleaseAddressCommand, { AllocationId: lease.leaseId });
    expect(fake.addresses.size).toBe(0);
  });

  it('releases an address whose host is already terminated', async () => {
    const h = await host(0);
    const [lease] = await ipam.requestAddresses({ provisionId: 'p1', count: 1 }, 'p1-ip-public-0');
    if (!lease) throw new Error('no lease');
    await ipam.attach(lease, h);
    await provider.release([h.providerId]);
    await provider.describe([h.providerId]);
    await provider.describe([h.providerId]);
    await ipam.release(lease);
    expect(fake.addresses.size).toBe(0);
  });
});

describe('planElasticIpQuota', () => {
  it('says what quota a count needs in a region', () => {
    expect(planElasticIpQuota({ count: 3, region: 'eu-west-1' })).toMatchObject({ required: 3, quota: 5, sufficient: true });
    expect(planElasticIpQuota({ count: 7, region: 'eu-west-1' })).toMatchObject({
      required: 7,
      sufficient: false,
      message: expect.stringContaining('to at least 7'),
    });
    expect(planElasticIpQuota({ count: 2, region: 'us-east-1', inUse: 4, quota: 10 }).sufficient).toBe(true);
  });
});
