import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { RecordingConfigurator } from '../fakes/recording-configurator';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

/** Runs the create machine again on an ERROR provision, as `retry` does. */
async function rerun(s: S, id: string) {
  const { executionId } = await s.deps.workflows.start('create-provision', `create-${id}`, { provisionId: id });
  await s.runner.wait(executionId);
  return s.deps.store.get(id);
}

describe('create-provision machine run again on an ERROR provision', () => {
  let s: S;
  afterEach(async () => {
    await s.close();
  });

  it('starts over after a rollback and reaches RUNNING with fresh hosts', async () => {
    s = await startMemorySandbox();
    s.cloud.injectFault('edge-host1', 'capacity');
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
    await s.runner.wait(p.executionId ?? '');
    const failed = await s.deps.store.get(p.id);
    expect([failed?.state, failed?.cluster]).toEqual(['ERROR', undefined]);
    expect(s.cloud.liveMachines()).toHaveLength(0);

    s.cloud.clearFaults();
    const after = await rerun(s, p.id);
    expect(after?.state).toBe('RUNNING');
    expect(after?.hosts.map((h) => h.state)).toEqual(['RUNNING', 'RUNNING']);
    expect(s.cloud.liveMachines(p.id)).toHaveLength(2);
    expect(s.cloud.duplicateAllocations()).toEqual([]);
  });

  it('resumes a kept host at its failed role without redoing finished steps', async () => {
    s = await startMemorySandbox({
      configurator: new RecordingConfigurator({ rolesPerCall: 3, failHost: 'edge-host1', failRole: 'firewall', failTimes: 1 }),
    });
    const p = await createProvision(s.deps, {
      id: newProvisionId(),
      owner: 'alice',
      plan: simEdgePlan({ failurePolicy: { onError: 'keep' } }),
    });
    await s.runner.wait(p.executionId ?? '');
    const failed = await s.deps.store.get(p.id);
    expect(failed?.state).toBe('ERROR');
    expect(failed?.hosts[1]).toMatchObject({ state: 'FAILED', failedStep: 'configure', nextRole: 'firewall' });
    const machineBefore = failed?.hosts[1]?.providerId;

    const after = await rerun(s, p.id);
    expect(after?.state).toBe('RUNNING');
    expect(after?.hosts[1]?.providerId).toBe(machineBefore);
    expect(s.cloud.machines).toHaveLength(2);
    const host1Calls = s.configurator.configured.filter((c) => c.target.hostName === 'edge-host1');
    expect(host1Calls[host1Calls.length - 2]?.fromRole).toBe('firewall');
  });
});
