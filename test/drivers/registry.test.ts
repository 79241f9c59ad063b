import { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { createIpamRegistry } from '../../lambdas/drivers/ipam';
import { AwsEipIpamDriver } from '../../lambdas/drivers/ipam/aws-eip/aws-eip-ipam';
import { OnpremIpamDriver } from '../../lambdas/drivers/ipam/onprem/onprem-ipam';
import { createProviderRegistry } from '../../lambdas/drivers/providers';
import { AwsEc2ProviderDriver } from '../../lambdas/drivers/providers/aws-ec2/aws-ec2-provider';
import { Ec2ClientCache } from '../../lambdas/drivers/providers/aws-ec2/client';
import { OnpremProviderDriver } from '../../lambdas/drivers/providers/onprem/onprem-provider';
import { SimProviderDriver } from '../../lambdas/drivers/providers/sim/sim-provider';
import type { SecretStore } from '../../lambdas/provisioning/ports/secrets';
import { REGISTRY_NAMES } from '../../lambdas/provisioning/provider-names';

const mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'eu-central-1' });

beforeEach(() => {
  mock.reset();
});

describe('createProviderRegistry', () => {
  const registry = createProviderRegistry({ ec2 });

  it('builds aws (also as ec2), onprem and sim drivers', async () => {
    expect(registry.names().sort()).toEqual(['aws', 'ec2', 'onprem', 'sim']);
    // GET /providers lists these names without building the registry.
    expect(registry.names()).toEqual(REGISTRY_NAMES.providers);
    expect(createIpamRegistry({ ec2 }).names()).toEqual(REGISTRY_NAMES.ipams);
    expect(await registry.create({ name: 'aws', settings: { region: 'eu-central-1' } })).toBeInstanceOf(AwsEc2ProviderDriver);
    expect(await registry.create({ name: 'ec2', settings: { region: 'eu-central-1' } })).toBeInstanceOf(AwsEc2ProviderDriver);
    expect(await registry.create({ name: 'onprem', settings: {} })).toBeInstanceOf(OnpremProviderDriver);
    expect(await registry.create({ name: 'sim', settings: {} })).toBeInstanceOf(SimProviderDriver);
  });

  it('throws UnknownProviderError naming the supported providers', async () => {
    await expect(registry.create({ name: 'hetzner', settings: {} })).rejects.toMatchObject({
      name: 'UnknownProviderError',
      message: expect.stringContaining('aws, ec2, onprem, sim'),
    });
  });

  it.each(['packet', 'equinix'])('throws RetiredProviderError for %s', async (name) => {
    await expect(registry.create({ name, settings: {} })).rejects.toMatchObject({
      name: 'RetiredProviderError',
      message: expect.stringContaining('2026-06-30'),
    });
  });

  it('throws ProviderConfigError for aws without a region, before any AWS call', async () => {
    await expect(registry.create({ name: 'aws', settings: {} })).rejects.toMatchObject({
      name: 'ProviderConfigError',
      message: expect.stringContaining('region'),
    });
    expect(mock.calls()).toHaveLength(0);
  });

  it('throws ProviderConfigError for half a key pair or a malformed setting', async () => {
    await expect(
      registry.create({ name: 'aws', settings: { region: 'eu-central-1', access_key: 'AKIAEXAMPLEEXAMPLE01' } }),
    ).rejects.toMatchObject({
      name: 'ProviderConfigError',
      message: expect.stringContaining('secret_key'),
    });
    await expect(registry.create({ name: 'aws', settings: { region: 'Frankfurt' } })).rejects.toMatchObject({
      name: 'ProviderConfigError',
    });
    await expect(registry.create({ name: 'onprem', settings: { public_ips: '198.51.100.10,nope' } })).rejects.toMatchObject({
      name: 'ProviderConfigError',
      message: expect.stringContaining('public_ips'),
    });
  });

  it('reads keys from the referenced secret and validates the merged connection', async () => {
    const secrets: SecretStore = { get: async () => ({ region: 'eu-west-1' }), put: async () => 'ref', delete: async () => undefined };
    await expect(registry.create({ name: 'aws', connectionRef: 'aws-prod', settings: {} }, secrets)).resolves.toBeInstanceOf(
      AwsEc2ProviderDriver,
    );
  });
});

describe('createIpamRegistry', () => {
  const registry = createIpamRegistry({ ec2 });

  it('builds aws (also as ec2) and onprem IPAMs and checks their keys', async () => {
    expect(registry.names().sort()).toEqual(['aws', 'ec2', 'onprem', 'sim']);
    expect(await registry.create({ name: 'ec2', settings: { region: 'eu-central-1' } })).toBeInstanceOf(AwsEipIpamDriver);
    expect(await registry.create({ name: 'onprem', settings: { public_ips: '198.51.100.10' } })).toBeInstanceOf(OnpremIpamDriver);
    await expect(registry.create({ name: 'onprem', settings: {} })).rejects.toMatchObject({ name: 'ProviderConfigError' });
    await expect(registry.create({ name: 'aws', settings: {} })).rejects.toMatchObject({ name: 'ProviderConfigError' });
    await expect(registry.create({ name: 'packet', settings: {} })).rejects.toMatchObject({ name: 'RetiredProviderError' });
  });
});

describe('Ec2ClientCache', () => {
  it('builds one client per connection', async () => {
    const cache = new Ec2ClientCache();
    const a = await cache.get({ region: 'eu-central-1' });
    expect(await cache.get({ region: 'eu-central-1' })).toBe(a);
    expect(await cache.get({ region: 'eu-west-1' })).not.toBe(a);
  });
});
