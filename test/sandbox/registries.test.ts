import { SimCloud } from '../../lambdas/drivers/providers/sim/sim-cloud';
import { sandboxRegistries } from '../../sandbox/registries';

describe('sandboxRegistries', () => {
  it('builds sim drivers and refuses real providers unless local mode is on', async () => {
    const { providers, ipams } = sandboxRegistries(new SimCloud(), {});
    await expect(providers.create({ name: 'sim', settings: {} })).resolves.toMatchObject({ name: 'sim' });
    await expect(providers.create({ name: 'aws', settings: { region: 'eu-central-1' } })).rejects.toMatchObject({
      name: 'ProviderConfigError',
      message: expect.stringContaining('EDGE_REAL_PROVIDERS=1'),
    });
    await expect(ipams.create({ name: 'onprem', settings: {} })).rejects.toMatchObject({ name: 'ProviderConfigError' });
    await expect(providers.create({ name: 'equinix', settings: {} })).rejects.toMatchObject({ name: 'RetiredProviderError' });
    // What it refuses it neither lists nor accepts.
    expect([providers.names(), ipams.names()]).toEqual([['sim'], ['sim']]);
    expect(providers.refusal('aws')).toContain('EDGE_REAL_PROVIDERS=1');
    expect(providers.refusal('packet')).toContain('retired');
    expect(providers.refusal('sim')).toBeUndefined();
  });

  it('is the deployed registry set in local mode', async () => {
    const { providers } = sandboxRegistries(new SimCloud(), { EDGE_REAL_PROVIDERS: '1' });
    expect(providers.names()).toEqual(expect.arrayContaining(['aws', 'ec2', 'onprem', 'sim']));
  });
});
