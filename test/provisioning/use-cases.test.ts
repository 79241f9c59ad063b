import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { allocateHost, checkHostReady } from '../../lambdas/provisioning/steps/host-allocate';
import { compensate } from '../../lambdas/provisioning/steps/compensate';
import { checkDeletable, finalizeDelete } from '../../lambdas/provisioning/steps/delete';
import { prepareProvision } from '../../lambdas/provisioning/steps/prepare';
import { armTeardownTriggers } from '../../lambdas/provisioning/scheduling/teardown-triggers';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { manualWorkflows } from '../fakes/manual-workflows';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

/** Use cases called directly with in-memory ports; no state machine runs them. */
describe('provisioning use cases', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
    // Keep executions from moving the provisions these tests move by hand.
    s.deps.workflows = manualWorkflows();
  });
  afterEach(async () => {
    await s.close();
  });

  async function pending(plan = simEdgePlan()) {
    return createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan });
  }

  it('allocates a host once even when the step runs twice', async () => {
    const p = await pending();
    await prepareProvision(s.deps, { provisionId: p.id });
    await allocateHost(s.deps, { provisionId: p.id, index: 0 });
    await allocateHost(s.deps, { provisionId: p.id, index: 0 });
    expect(s.cloud.machines).toHaveLength(1);
    expect((await s.deps.store.getHost(p.id, 0))?.state).toBe('BOOTING');
  });

  it('reads the provision metadata and its own host item in a host step, never every host', async () => {
    const p = await pending();
    await prepareProvision(s.deps, { provisionId: p.id });
    const get = jest.spyOn(s.deps.store, 'get');
    const getMeta = jest.spyOn(s.deps.store, 'getMeta');
    const getHost = jest.spyOn(s.deps.store, 'getHost');
    await allocateHost(s.deps, { provisionId: p.id, index: 1 });
    await checkHostReady(s.deps, { provisionId: p.id, index: 1 });
    expect(get).not.toHaveBeenCalled();
    expect(getMeta).toHaveBeenCalledTimes(2);
    expect(getHost.mock.calls).toEqual([
      [p.id, 1],
      [p.id, 1],
    ]);
  });

  it('reports a host not ready until the provider says it runs', async () => {
    // A boot long enough (a few seconds) that a loaded machine still polls before it ends.
    await s.close();
    s = await startMemorySandbox({ timeScale: 0.01 });
    s.deps.workflows = manualWorkflows();
    const p = await pending();
    await prepareProvision(s.deps, { provisionId: p.id });
    await allocateHost(s.deps, { provisionId: p.id, index: 1 });
    expect((await checkHostReady(s.deps, { provisionId: p.id, index: 1 })).ready).toBe(false);
    await new Promise((r) => setTimeout(r, s.cloud.bootDurationMs('edge-host1') + 20));
    expect((await checkHostReady(s.deps, { provisionId: p.id, index: 1 })).ready).toBe(true);
  });

  it('keeps allocated hosts when the failure policy is keep, and records ERROR with the failed step', async () => {
    const p = await pending(simEdgePlan({ failurePolicy: { onError: 'keep' } }));
    await prepareProvision(s.deps, { provisionId: p.id });
    await allocateHost(s.deps, { provisionId: p.id, index: 0 });
    const out = await compensate(s.deps, { provisionId: p.id, step: 'hosts', error: { Error: 'ProviderQuotaError', Cause: 'quota' } });
    expect(out.state).toBe('ERROR');
    expect(s.cloud.liveMachines(p.id)).toHaveLength(1);
    const after = await s.deps.store.get(p.id);
    expect([after?.failedStep, after?.error?.errorName]).toEqual(['hosts', 'ProviderQuotaError']);
  });

  it('rolls back allocated hosts when the failure policy is rollback', async () => {
    const p = await pending();
    await prepareProvision(s.deps, { provisionId: p.id });
    await allocateHost(s.deps, { provisionId: p.id, index: 0 });
    await compensate(s.deps, { provisionId: p.id, step: 'hosts', error: { Error: 'ProviderQuotaError', Cause: 'quota' } });
    expect(s.cloud.liveMachines(p.id)).toHaveLength(0);
  });

  it('disarms the TTL schedule and teardown rule on rollback, as nothing is left for them to tear down', async () => {
    const p = await pending(simEdgePlan({ ttlSeconds: 3600, teardownOn: { source: ['game.events'] } }));
    await prepareProvision(s.deps, { provisionId: p.id });
    await armTeardownTriggers(s.deps, (await s.deps.store.get(p.id))!);
    const removed = jest.spyOn(s.deps.scheduler, 'remove');
    const ruleRemoved = jest.spyOn(s.deps.eventRules, 'removeTeardownRule');
    await compensate(s.deps, { provisionId: p.id, step: 'finalize', error: { Error: 'ProvisionFailedError', Cause: 'x' } });
    expect(removed).toHaveBeenCalledWith(expect.stringContaining(p.id));
    expect(ruleRemoved).toHaveBeenCalledWith(p.id);
  });

  it('treats deleting a DELETED provision as done', async () => {
    const p = await pending();
    await checkDeletable(s.deps, { provisionId: p.id, cleanup: true });
    await finalizeDelete(s.deps, { provisionId: p.id });
    const again = await checkDeletable(s.deps, { provisionId: p.id });
    expect(again).toMatchObject({ alreadyDeleted: true, hosts: [] });
  });

  it('refuses to start a delete while the create machine moves the provision', async () => {
    const p = await pending();
    await prepareProvision(s.deps, { provisionId: p.id });
    await expect(checkDeletable(s.deps, { provisionId: p.id, cleanup: true })).rejects.toMatchObject({ name: 'InvalidStateError' });
  });
});
