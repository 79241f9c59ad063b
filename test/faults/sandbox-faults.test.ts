import { createProvision, newProvisionId, retryProvision } from '../../lambdas/provisioning/commands';
import { SimCloud } from '../../lambdas/drivers/providers/sim/sim-cloud';
import { ConcurrentUpdateError } from '../../lambdas/shared/errors';
import { ConflictingStore } from '../../sandbox/conflicting-store';
import { FaultController } from '../../sandbox/fault-controller';
import { startLocalApi, type LocalApiServer } from '../../sandbox/http-server';
import { clientOf, startFastSim } from '../opennebula/helpers';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { edgectl as runEdgectl } from '../support/edgectl';
import { REHEARSABLE_IPAM_FAULTS, REHEARSABLE_PROVIDER_FAULTS } from '../../lambdas/api/sandbox-faults';
import { SIM_FAULTS, SIM_IPAM_FAULTS } from '../../lambdas/drivers/providers/sim/faults';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

describe('edgectl sandbox faults', () => {
  let s: S;
  let api: LocalApiServer;
  beforeAll(async () => {
    s = await startMemorySandbox();
    api = await startLocalApi({ token: 'tok' });
  });
  afterAll(async () => {
    await api.close();
    await s.close();
  });
  afterEach(() => {
    s.faults.clear();
  });

  const edgectl = (...argv: string[]) => runEdgectl(api.url, ...argv);

  it('arms a provider fault that fails a create, shows it, and heals so that retry runs', async () => {
    const armed = await edgectl(
      'sandbox',
      'faults',
      'arm',
      '--provider',
      'edge-host0=quota:1',
      '--ipam',
      'throttle:1',
      '--store-conflicts',
      '2',
    );
    expect({ code: armed.code, err: armed.err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(armed.out)).toMatchObject({
      provider: { 'edge-host0': { fault: 'quota', remaining: 1 } },
      ipam: { fault: 'throttle', remaining: 1 },
      storeConflicts: 2,
    });

    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'local', plan: simEdgePlan() });
    await s.runner.wait(p.executionId ?? '');
    const failed = await s.deps.store.get(p.id);
    expect(failed?.state).toBe('ERROR');
    expect(failed?.error?.message).toMatch(/quota/i);

    // The provider fault hit its one call; the others healed the same way.
    const shown = JSON.parse((await edgectl('sandbox', 'faults', 'show')).out) as Record<string, unknown>;
    expect(shown['provider']).toEqual({});
    expect(shown['storeConflicts']).toBe(0);

    const { executionId } = await retryProvision(s.deps, { owner: 'local', id: p.id });
    await s.runner.wait(executionId ?? '');
    expect((await s.deps.store.get(p.id))?.state).toBe('RUNNING');
  });

  it('accepts exactly the faults the sim provider and IPAM can inject', () => {
    expect([...REHEARSABLE_PROVIDER_FAULTS]).toEqual([...SIM_FAULTS]);
    expect([...REHEARSABLE_IPAM_FAULTS]).toEqual([...SIM_IPAM_FAULTS]);
  });

  it('clears what is armed', async () => {
    await edgectl('sandbox', 'faults', 'arm', '--provider', 'edge-host9=never-boots');
    const cleared = await edgectl('sandbox', 'faults', 'clear');
    expect(cleared.code).toBe(0);
    expect(JSON.parse(cleared.out)).toMatchObject({ provider: {}, storeConflicts: 0 });
  });

  it('refuses a fault the sandbox cannot take, and a malformed flag, naming what is wrong', async () => {
    const oned = await edgectl('sandbox', 'faults', 'arm', '--oned', 'one.cluster.allocate=fail-8192');
    expect(oned.code).not.toBe(0);
    expect(oned.err).toMatch(/oned \(the sandbox uses a real OpenNebula\)/);

    const ssh = await edgectl('sandbox', 'faults', 'arm', '--ssh', 'edge-host0=explode');
    expect(ssh.code).toBe(2);
    expect(ssh.err).toMatch(/--ssh edge-host0=explode: expected refuse-auth/);

    const unknown = await edgectl('sandbox', 'faults', 'arm', '--provider', 'edge-host0=meteor');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/provider\.edge-host0\.fault/);
  });
});

describe('FaultController', () => {
  it('arms oned failures, an unreachable oned and a stalled vnet driver on the simulated oned', async () => {
    const sim = await startFastSim();
    const one = clientOf(sim, { timeoutMs: 2000 });
    const inner = { patch: jest.fn(async () => undefined), updateHost: jest.fn(async () => undefined) };
    const store = new ConflictingStore(inner as never);
    const controller = new FaultController({ cloud: new SimCloud(), oned: sim, store });
    try {
      controller.arm({ oned: [{ method: 'one.cluster.allocate', action: 'fail', code: 0x2000, message: 'injected refusal', times: 1 }] });
      expect(controller.armed()['oned']).toEqual([expect.objectContaining({ method: 'one.cluster.allocate', left: 1 })]);
      await expect(one.cluster.allocate('c1')).rejects.toThrow(/injected refusal/);
      expect(await one.cluster.allocate('c1')).toBeGreaterThanOrEqual(100);

      controller.arm({ vnetStallMs: 60_000 });
      const vn = await one.vn.allocate('NAME = "n"\nVN_MAD = "bridge"\nBRIDGE = "br0"', -1);
      await new Promise((r) => setTimeout(r, 50));
      expect((await one.vn.info(vn)).stateName).toBe('LOCK_CREATE');
      controller.clear();
      await new Promise((r) => setTimeout(r, 50));
      expect((await one.vn.info(vn)).stateName).toBe('READY');

      controller.arm({ onedUnreachableMs: 60_000 });
      expect(controller.armed()['onedUnreachableUntil']).toEqual(expect.any(String));
      await expect(one.cluster.info(100)).rejects.toThrow();
      controller.clear();
      expect((await one.cluster.info(100)).name).toBe('c1');

      controller.arm({ storeConflicts: 1 });
      await expect(store.patch('p1', ['RUNNING'], {})).rejects.toBeInstanceOf(ConcurrentUpdateError);
      await store.patch('p1', ['RUNNING'], {});
      expect(inner.patch).toHaveBeenCalledTimes(2);
    } finally {
      one.close();
      await sim.close();
    }
  });
});
