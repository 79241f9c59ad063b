import { createProvision, newProvisionId, retryProvision } from '../../lambdas/provisioning/commands';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { simHosts, simOpenNebula } from '../../sandbox/defaults';
import { simEdgePlan } from '../support/plans';
import { startMemorySandbox } from '../support/memory-sandbox';
import { RecordingConfigurator } from '../fakes/recording-configurator';

const TIME_SCALE = 0.0002;

/**
 * Retries against real SSH: the simulated hosts present their own host keys,
 * so a key pinned on a released machine would refuse the new one.
 */
describe('retry after a rollback, with SSH hosts', () => {
  let s: Sandbox;
  beforeEach(async () => {
    s = await startSandbox({ timeScale: TIME_SCALE, openNebula: simOpenNebula(TIME_SCALE), hostConfigurator: simHosts() });
  });
  afterEach(async () => {
    await s.close();
  });

  it('pins the new machines’ keys instead of the released ones’ and buys only what was released', async () => {
    s.cloud.injectFault('edge-host1', 'capacity');
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
    await s.runner.wait(p.executionId ?? '');
    const failed = await s.deps.store.get(p.id);
    expect(failed?.state).toBe('ERROR');
    // host0 was configured (its key pinned) before the failure policy rolled everything back.
    expect(failed?.hosts[0]?.state).toBe('RELEASED');
    expect(s.cloud.liveMachines()).toHaveLength(0);
    const bought = s.cloud.machines.length;

    s.cloud.clearFaults();
    const { executionId } = await retryProvision(s.deps, { owner: 'alice', id: p.id });
    await s.runner.wait(executionId);
    const after = await s.deps.store.get(p.id);
    expect([after?.state, after?.error?.errorName]).toEqual(['RUNNING', undefined]);
    expect(s.cloud.machines.length - bought).toBe(2);
    expect(s.cloud.liveMachines(p.id)).toHaveLength(2);
    const live = new Map(s.cloud.liveMachines(p.id).map((m) => [m.providerId, s.fleet?.get(m.providerId)?.hostKey]));
    for (const h of after?.hosts ?? []) expect(h.hostKey).toBe(live.get(h.providerId ?? ''));
  });

  it('replaces a machine that never became ready instead of waiting on it again', async () => {
    s.cloud.injectFault('edge-host1', 'never-boots', 1);
    s.deps.settings.hostReadyTimeoutSeconds = 1.5;
    const plan = simEdgePlan({ failurePolicy: { onError: 'keep' } });
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan });
    await s.runner.wait(p.executionId ?? '');
    const failed = await s.deps.store.get(p.id);
    expect(failed?.hosts[1]).toMatchObject({ state: 'FAILED', failedStep: 'waitReady' });
    const stuckMachine = failed?.hosts[1]?.providerId;

    const { executionId } = await retryProvision(s.deps, { owner: 'alice', id: p.id });
    await s.runner.wait(executionId);
    const after = await s.deps.store.get(p.id);
    expect(after?.state).toBe('RUNNING');
    expect(after?.hosts[1]?.providerId).not.toBe(stuckMachine);
    expect(s.cloud.machines.find((m) => m.providerId === stuckMachine)?.status).toBe('terminated');
    // host0 was kept as it was: the same machine, configured once.
    expect(after?.hosts[0]?.providerId).toBe(failed?.hosts[0]?.providerId);
    expect(s.cloud.machines).toHaveLength(3);
  });
});

describe('a registered host unreachable when the overlay converges', () => {
  it('fails only that host (DEGRADED under min_healthy_hosts: 1), and retry converges it without undoing the healthy one', async () => {
    const s = await startMemorySandbox({
      configurator: new RecordingConfigurator({ rolesPerCall: 8, unreachableForPeers: 'edge-host1', unreachablePeersTimes: 1 }),
    });
    try {
      const plan = simEdgePlan({ failurePolicy: { minHealthyHosts: 1 } });
      const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan });
      await s.runner.wait(p.executionId ?? '');
      const degraded = await s.deps.store.get(p.id);
      expect(degraded?.state).toBe('DEGRADED');
      expect(degraded?.hosts.map((h) => [h.state, h.failedStep])).toEqual([
        ['RUNNING', undefined],
        ['FAILED', 'converge'],
      ]);
      expect(degraded?.hosts[1]?.error?.errorName).toBe('HostUnreachableError');
      expect(s.cloud.liveMachines(p.id)).toHaveLength(2);

      // Once the policy does not tolerate it (here: recorded ERROR), retry converges the failed host again.
      await s.deps.store.transition(p.id, ['DEGRADED'], 'ERROR', { failedStep: 'converge' });
      const { executionId } = await retryProvision(s.deps, { owner: 'alice', id: p.id });
      await s.runner.wait(executionId);
      const after = await s.deps.store.get(p.id);
      expect(after?.state).toBe('RUNNING');
      expect(after?.hosts.map((h) => h.providerId)).toEqual(degraded?.hosts.map((h) => h.providerId));
      expect(s.cloud.machines).toHaveLength(2);
    } finally {
      await s.close();
    }
  });
});
