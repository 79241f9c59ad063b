import { createProvision, deleteProvision, newProvisionId, retryProvision } from '../../lambdas/provisioning/commands';
import { checkDeletable } from '../../lambdas/provisioning/steps/delete';
import { recordInterrupted } from '../../lambdas/provisioning/steps/compensate';
import { releaseHost } from '../../lambdas/provisioning/steps/teardown';
import { registrationName } from '../../lambdas/provisioning/steps/host-register';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { until } from '../support/until';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

async function running(s: S) {
  const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
  await s.runner.wait(p.executionId ?? '');
  const r = await s.deps.store.get(p.id);
  expect(r?.state).toBe('RUNNING');
  return p.id;
}

function nothingLeft(s: S, id: string) {
  expect(s.cloud.liveMachines(id)).toHaveLength(0);
  expect(s.cloud.liveAddresses(id)).toHaveLength(0);
  expect(s.memoryOne.objects.size).toBe(0);
}

describe('delete --force', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('stops a running create and removes everything it had made', async () => {
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
    await until(
      () => s.deps.store.get(p.id),
      (x) => (x?.hosts ?? []).some((h) => h.state === 'BOOTING'),
      20_000,
      5,
    );
    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id: p.id, cleanup: true, force: true });
    expect((await s.runner.executions.get(p.executionId ?? ''))?.status).toBe('ABORTED');
    await s.runner.wait(executionId ?? '');
    const after = await s.deps.store.get(p.id);
    expect([after?.state, after?.leftovers]).toEqual(['DELETED', undefined]);
    nothingLeft(s, p.id);
    const types = s.bus.events.filter((e) => e.detail['provisionId'] === p.id).map((e) => e['detail-type']);
    expect(types[types.length - 1]).toBe('Provision Deleted');
  });

  it('finds an OpenNebula host whose tag and id never reached the store, which a plain delete cannot remove', async () => {
    const id = await running(s);
    // The host exists in OpenNebula, untagged, and the store lost its id (the tagging call failed).
    const host = (await s.deps.store.get(id))?.hosts[0];
    if (!host) throw new Error('no host recorded');
    s.memoryOne.untag('host', registrationName(host));
    expect(s.memoryOne.byName('host', registrationName(host))?.provisionId).toBeUndefined();
    await s.deps.store.updateHost(id, 0, ['RUNNING'], undefined, { remove: ['oneId'] });

    const plain = await deleteProvision(s.deps, { owner: 'alice', id, cleanup: true });
    await s.runner.wait(plain.executionId ?? '');
    const stuck = await s.deps.store.get(id);
    expect([stuck?.state, stuck?.failedStep]).toEqual(['ERROR', 'delete']);
    expect(s.memoryOne.count('host')).toBe(1);

    const forced = await deleteProvision(s.deps, { owner: 'alice', id, cleanup: true, force: true });
    await s.runner.wait(forced.executionId ?? '');
    expect((await s.deps.store.get(id))?.state).toBe('DELETED');
    nothingLeft(s, id);
  });

  it('reports what it could not remove and stays ERROR, after releasing everything billed', async () => {
    const id = await running(s);
    s.memoryOne.failNext('delete network', () => Object.assign(new Error('driver refused'), { name: 'OneActionError' }), 1_000);
    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id, cleanup: true, force: true });
    await s.runner.wait(executionId ?? '');
    const after = await s.deps.store.get(id);
    expect(after?.state).toBe('ERROR');
    expect(after?.error?.errorName).toBe('TeardownIncomplete');
    expect(after?.leftovers?.map((l) => l.object).sort()).toEqual([
      expect.stringMatching(/^OpenNebula network sim-edge-mgmt/),
      expect.stringMatching(/^OpenNebula network sim-edge-private/),
      expect.stringMatching(/^OpenNebula network sim-edge-public/),
    ]);
    expect(s.cloud.liveMachines(id)).toHaveLength(0);
    expect(s.cloud.liveAddresses(id)).toHaveLength(0);
  });

  it('works on a provision stuck in a moving state that no operation holds', async () => {
    const id = await running(s);
    await s.deps.store.transition(id, ['RUNNING'], 'PROVISIONING', { executionId: 'arn:gone' });
    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id, cleanup: true, force: true });
    await s.runner.wait(executionId ?? '');
    expect((await s.deps.store.get(id))?.state).toBe('DELETED');
    nothingLeft(s, id);
  });
});

describe('a provision stuck in a moving state', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('is retryable once the execution holding it has ended', async () => {
    const id = await running(s);
    // An operation holds the provision, but its execution is gone (a killed process).
    await s.deps.store.acquireOperation(
      id,
      {
        id: 'op-00000000dead',
        kind: 'retry',
        summary: 'retry',
        machine: 'create-provision',
        executionName: 'gone',
        startedAt: '2026-01-01T00:00:00Z',
      },
      { inStates: ['RUNNING'] },
    );
    await s.deps.store.transition(id, ['RUNNING'], 'PROVISIONING');
    const { executionId } = await retryProvision(s.deps, { owner: 'alice', id });
    await s.runner.wait(executionId);
    expect((await s.deps.store.get(id))?.state).toBe('RUNNING');
    expect(s.cloud.machines).toHaveLength(2);
  });
});

describe('retry of an interrupted delete', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('continues the delete instead of creating the provision again', async () => {
    const id = await running(s);
    await checkDeletable(s.deps, { provisionId: id, cleanup: true });
    await releaseHost(s.deps, { provisionId: id, index: 0 });
    await recordInterrupted(s.deps, { provisionId: id, reason: 'the sandbox stopped' });
    const interrupted = await s.deps.store.get(id);
    expect([interrupted?.state, interrupted?.failedStep]).toEqual(['ERROR', 'delete']);

    const { executionId } = await retryProvision(s.deps, { owner: 'alice', id });
    await s.runner.wait(executionId);
    expect((await s.deps.store.get(id))?.state).toBe('DELETED');
    expect(s.cloud.machines).toHaveLength(2);
    nothingLeft(s, id);
  });
});

describe('releasing a host twice at once', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('announces each address once', async () => {
    const id = await running(s);
    await checkDeletable(s.deps, { provisionId: id, cleanup: true });
    const results = await Promise.allSettled([0, 1, 2, 3].map(() => releaseHost(s.deps, { provisionId: id, index: 0 })));
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    const released = s.bus.events.filter((e) => e['detail-type'] === 'Ip Released' && e.detail['provisionId'] === id);
    expect(released).toHaveLength(1);
  });
});
