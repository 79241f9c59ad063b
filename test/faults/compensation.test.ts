import { createProvision, deleteProvision, newProvisionId, retryProvision } from '../../lambdas/provisioning/commands';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

const notEmpty = () =>
  Object.assign(new Error('[one.cluster.delete] Cannot delete cluster. Cluster 100 is not empty, it contains 1 hosts.'), {
    name: 'OneActionError',
  });

async function failedCreate(s: S) {
  s.cloud.injectFault('edge-host1', 'capacity');
  const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
  const exec = await s.runner.wait(p.executionId ?? '');
  return { id: p.id, exec };
}

describe('compensation that cannot undo everything', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('still ends in ERROR when OpenNebula refuses to delete the cluster, keeping the cluster recorded for delete', async () => {
    s.memoryOne.failNext('delete cluster', notEmpty);
    const { id, exec } = await failedCreate(s);
    expect(exec?.status).toBe('FAILED');
    const p = await s.deps.store.get(id);
    expect(p?.state).toBe('ERROR');
    expect(p?.failedStep).toBe('allocate');
    expect(p?.cluster?.name).toBe('sim-edge');
    expect(p?.leftovers).toEqual([
      expect.objectContaining({ object: expect.stringContaining('cluster sim-edge'), errorName: 'OneActionError' }),
    ]);
    // Paid resources went first: nothing is billed although OpenNebula refused.
    expect(s.cloud.liveMachines(id)).toHaveLength(0);
    expect(s.cloud.liveAddresses(id)).toHaveLength(0);
    const failed = s.bus.events.filter((e) => e['detail-type'] === 'Provision Failed').pop();
    expect(failed?.detail).toMatchObject({ rolledBack: false, undoErrors: [expect.stringContaining('not empty')] });

    // From ERROR, delete finishes the job.
    s.cloud.clearFaults();
    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id, cleanup: true });
    await s.runner.wait(executionId ?? '');
    expect((await s.deps.store.get(id))?.state).toBe('DELETED');
    expect(s.memoryOne.count('cluster')).toBe(0);
  });

  it('records ERROR through the machine’s last resort when compensation itself keeps failing', async () => {
    const transition = s.deps.store.transition.bind(s.deps.store);
    let refused = 0;
    // The table refuses compensation's final write (an error no Retry names).
    jest.spyOn(s.deps.store, 'transition').mockImplementation(async (pid, from, to, patch) => {
      if (to === 'ERROR' && patch?.datastores) {
        refused += 1;
        throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError' });
      }
      return transition(pid, from, to, patch);
    });
    const { id, exec } = await failedCreate(s);
    expect(exec?.status).toBe('FAILED');
    expect(refused).toBe(1);
    const p = await s.deps.store.get(id);
    expect(p?.state).toBe('ERROR');
    expect(p?.error).toMatchObject({ step: 'allocate', errorName: 'ProviderCapacityError' });
    expect(p?.leftovers?.[0]).toMatchObject({ object: 'rollback', errorName: 'InternalServerError' });
    // Nothing answers 409 any more: retry is accepted.
    s.cloud.clearFaults();
    jest.restoreAllMocks();
    const { executionId } = await retryProvision(s.deps, { owner: 'alice', id });
    await s.runner.wait(executionId);
    const after = await s.deps.store.get(id);
    expect([after?.state, after?.error]).toEqual(['RUNNING', undefined]);
  });

  it('records the failed host’s own error name and message, not another step’s message', async () => {
    const { id } = await failedCreate(s);
    const p = await s.deps.store.get(id);
    expect(p?.error).toMatchObject({
      step: 'allocate',
      errorName: 'ProviderCapacityError',
      message: expect.stringContaining('no capacity'),
    });
    expect(p?.error?.message).toContain('edge-host1');
    expect(p?.error?.message).not.toMatch(/hosts healthy/);
  });
});
