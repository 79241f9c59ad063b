import { createProvision, newProvisionId, retryProvision } from '../../lambdas/provisioning/commands';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { simHosts, simOpenNebula } from '../../sandbox/defaults';
import { simEdgePlan } from '../support/plans';

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
