import { privateKeyFromSecret } from '../../lambdas/hostconfig/secrets';
import type { SecretStore } from '../../lambdas/provisioning/ports/secrets';

const store = (value: Record<string, string>): SecretStore & { reads: number } => {
  const s = {
    reads: 0,
    get: async () => {
      s.reads += 1;
      return value;
    },
    put: async (name: string) => name,
    delete: async () => undefined,
  };
  return s;
};

describe('privateKeyFromSecret', () => {
  it('reads the key from the store each time it is needed', async () => {
    const secrets = store({ privateKey: 'KEY' });
    const source = privateKeyFromSecret(secrets, 'ssh/edge');
    expect(secrets.reads).toBe(0);
    await expect(source()).resolves.toBe('KEY');
    await source();
    expect(secrets.reads).toBe(2);
  });

  it('names the secret and field when the key is missing', async () => {
    await expect(privateKeyFromSecret(store({}), 'ssh/edge')()).rejects.toThrow('secret ssh/edge has no field privateKey');
  });
});
