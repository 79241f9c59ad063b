import { splitSession, type OpenNebulaAdapter } from '../../lambdas/opennebula';
import type { SecretStore } from '../../lambdas/provisioning/ports/secrets';
import { openNebulaFromSecret } from '../../lambdas/wiring/build/opennebula';
import type { SimOned } from '../../sandbox/oned';
import { startFastSim } from './helpers';

/** A secret store answering `get` with `read`, counting the reads. */
function storeReading(read: () => Promise<Record<string, string>>): SecretStore & { reads: number } {
  const store = {
    reads: 0,
    get: async () => {
      store.reads += 1;
      return read();
    },
    put: async () => 'unused',
    delete: async () => undefined,
  };
  return store;
}

describe('openNebulaFromSecret', () => {
  let sim: SimOned;
  beforeAll(async () => {
    sim = await startFastSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('reads the secret again after a failed read instead of caching the failure', async () => {
    let calls = 0;
    const store = storeReading(async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return { endpoint: sim.url, user: 'oneadmin', password: 'opennebula' };
    });
    const factory = openNebulaFromSecret(store, 'one', { timeoutMs: 5000 });
    await expect(factory()).rejects.toThrow('Rate exceeded');
    const port = await factory();
    expect(await port.version()).toBe('7.4.0');
    expect(await factory()).toBe(port);
    expect(store.reads).toBe(2);
    (port as OpenNebulaAdapter).close();
  });

  it('accepts a session string user:password, split on its first colon as oned does', async () => {
    const factory = openNebulaFromSecret(
      storeReading(async () => ({ endpoint: sim.url, session: 'oneadmin:opennebula' })),
      'one',
      { timeoutMs: 5000 },
    );
    const port = await factory();
    expect(await port.version()).toBe('7.4.0');
    (port as OpenNebulaAdapter).close();
    expect(splitSession('oneadmin:pa:ss')).toEqual({ user: 'oneadmin', password: 'pa:ss' });
    expect(splitSession('no-colon')).toBeUndefined();
  });

  it('fails with ProviderConfigError naming the missing fields when the secret has no session nor user', async () => {
    const factory = openNebulaFromSecret(
      storeReading(async () => ({ endpoint: sim.url })),
      'arn:one',
      { timeoutMs: 5000 },
    );
    await expect(factory()).rejects.toMatchObject({
      name: 'ProviderConfigError',
      message: expect.stringContaining('lacks user, password'),
    });
  });
});
