import { createProviderRegistry } from '../../lambdas/drivers/providers';
import { REGISTRY_NAMES } from '../../lambdas/provisioning/provider-names';
import { nameOnlyRegistry } from '../../lambdas/wiring/build/name-only-registry';

describe('nameOnlyRegistry', () => {
  const names = nameOnlyRegistry('provider', REGISTRY_NAMES.providers);
  const full = createProviderRegistry();

  it('lists and accepts exactly the names the full registry builds', () => {
    expect(names.names()).toEqual(full.names());
    for (const name of full.names()) expect(names.refusal(name)).toBeUndefined();
  });

  it('refuses unknown and retired providers with the full registry’s words', () => {
    for (const name of ['packet', 'equinix', 'vultr', '']) {
      expect(names.refusal(name)).toBeDefined();
      expect(names.refusal(name)).toBe(full.refusal(name));
    }
  });

  it('builds no driver: a function holding it only checks names', async () => {
    await expect(names.create({ name: 'sim', settings: {} })).rejects.toMatchObject({ name: 'ProviderConfigError' });
  });
});
