import { openNebulaFromSecret, splitSession } from '../../lambdas/opennebula';
import type { SimOned } from '../../sandbox/oned';
import { startFastSim } from './helpers';

describe('openNebulaFromSecret', () => {
  let sim: SimOned;
  beforeAll(async () => {
    sim = await startFastSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('reads the secret again after a failed read instead of caching the failure', async () => {
    let reads = 0;
    const factory = openNebulaFromSecret(
      async () => {
        reads += 1;
        if (reads === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        return { endpoint: sim.url, user: 'oneadmin', password: 'opennebula' };
      },
      { timeoutMs: 5000 },
    );
    await expect(factory()).rejects.toThrow('Rate exceeded');
    const port = await factory();
    expect(await port.version()).toBe('7.4.0');
    expect(await factory()).toBe(port);
    expect(reads).toBe(2);
    port.close();
  });

  it('accepts a session string user:password, split on its first colon as oned does', async () => {
    const factory = openNebulaFromSecret(async () => ({ endpoint: sim.url, session: 'oneadmin:opennebula' }), { timeoutMs: 5000 });
    const port = await factory();
    expect(await port.version()).toBe('7.4.0');
    port.close();
    expect(splitSession('oneadmin:pa:ss')).toEqual({ user: 'oneadmin', password: 'pa:ss' });
    expect(splitSession('no-colon')).toBeUndefined();
  });
});
