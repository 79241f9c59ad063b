import { createProvision, deleteProvision, newProvisionId, retryProvision } from '../../lambdas/provisioning/commands';
import { endOperation, UNSTARTED_GRACE_MS } from '../../lambdas/provisioning/lock/operation-lock';
import { acquireOperation, startOperation } from '../../lambdas/provisioning/lock/start-operation';
import { OperationInProgressError } from '../../lambdas/shared/errors';
import { manualWorkflows } from '../fakes/manual-workflows';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

describe('operation lock', () => {
  let s: S;
  let workflows: ReturnType<typeof manualWorkflows>;
  beforeEach(async () => {
    s = await startMemorySandbox();
    // Executions are told apart by hand: RUNNING until a test ends them.
    workflows = manualWorkflows();
    s.deps.workflows = workflows;
  });
  afterEach(async () => {
    await s.close();
  });

  /** A provision at rest (RUNNING) with no lock, as a finished creation leaves it. */
  async function resting() {
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
    await s.deps.store.transition(p.id, ['PENDING'], 'RUNNING');
    await endOperation(s.deps, p.id, { executionName: `create-${p.id}` }, 'SUCCEEDED');
    return (await s.deps.store.get(p.id))!;
  }

  const scaleRequest = { kind: 'scale-out', summary: 'add 1 host', machine: 'create-provision', inStates: ['RUNNING'] } as const;

  it('is born with a creation and released by its end, which keeps it in the history', async () => {
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
    expect(p.operation).toMatchObject({ kind: 'create', executionName: `create-${p.id}`, executionId: `manual:create-${p.id}` });
    expect(await endOperation(s.deps, p.id, { executionName: 'create-someone-else' }, 'SUCCEEDED')).toBe(false);
    expect(await endOperation(s.deps, p.id, { executionName: `create-${p.id}` }, 'SUCCEEDED')).toBe(true);
    expect(await endOperation(s.deps, p.id, { executionName: `create-${p.id}` }, 'SUCCEEDED')).toBe(false);
    const after = await s.deps.store.get(p.id);
    expect(after?.operation).toBeUndefined();
    expect(after?.operations).toEqual([
      expect.objectContaining({ id: p.operation?.id, kind: 'create', outcome: 'SUCCEEDED', executionId: `manual:create-${p.id}` }),
    ]);
  });

  it('refuses a second operation while the first one’s execution runs, naming it', async () => {
    const p = await resting();
    const first = await startOperation(s.deps, p.id, scaleRequest);
    const second = startOperation(s.deps, p.id, { ...scaleRequest, kind: 'configure', summary: 'configure' });
    await expect(second).rejects.toBeInstanceOf(OperationInProgressError);
    await expect(second).rejects.toMatchObject({
      operation: { id: first.operation.id, kind: 'scale-out', summary: 'add 1 host', executionId: first.executionId },
      message: expect.stringContaining(first.operation.id),
    });
    // Delete and retry meet the same lock.
    await expect(deleteProvision(s.deps, { owner: 'alice', id: p.id, cleanup: true })).rejects.toMatchObject({
      name: 'OperationInProgressError',
    });
    expect((await s.deps.store.get(p.id))?.operation?.id).toBe(first.operation.id);
  });

  it('lets exactly one of two simultaneous requests take it', async () => {
    const p = await resting();
    const results = await Promise.allSettled([startOperation(s.deps, p.id, scaleRequest), startOperation(s.deps, p.id, scaleRequest)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { name: 'OperationInProgressError' } });
  });

  it('does not block when the holder’s execution was aborted: the provision it moved goes to ERROR and retry can take it', async () => {
    const p = await resting();
    const first = await startOperation(s.deps, p.id, scaleRequest);
    await s.deps.store.transition(p.id, ['RUNNING'], 'SCALING');
    workflows.statuses.set(first.operation.executionName, 'ABORTED');

    await expect(startOperation(s.deps, p.id, { ...scaleRequest, inStates: ['RUNNING', 'DEGRADED'] })).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    const after = await s.deps.store.get(p.id);
    expect([after?.state, after?.failedStep, after?.operation]).toEqual(['ERROR', 'interrupted', undefined]);
    expect(after?.operations?.[0]).toMatchObject({ id: first.operation.id, outcome: 'INTERRUPTED', error: { step: 'interrupted' } });
    expect((await s.deps.store.log(p.id)).items.map((e) => e.type)).toContain('Operation Interrupted');

    const retried = await retryProvision(s.deps, { owner: 'alice', id: p.id });
    expect(retried.provision.operation).toMatchObject({ kind: 'retry' });
  });

  it('waits for a holder whose execution has not started yet, and takes over once that is overdue', async () => {
    const p = await resting();
    const started = new Date();
    await acquireOperation(s.deps, p.id, scaleRequest);
    await expect(acquireOperation(s.deps, p.id, scaleRequest)).rejects.toMatchObject({ name: 'OperationInProgressError' });
    s.deps.now = () => new Date(started.getTime() + UNSTARTED_GRACE_MS + 1000);
    const { operation } = await acquireOperation(s.deps, p.id, scaleRequest);
    expect((await s.deps.store.get(p.id))?.operation?.id).toBe(operation.id);
  });

  it('is released when the start fails or the checks under the lock refuse', async () => {
    const p = await resting();
    await expect(
      startOperation(s.deps, p.id, scaleRequest, async () => {
        throw new Error('refused under the lock');
      }),
    ).rejects.toThrow('refused under the lock');
    expect((await s.deps.store.get(p.id))?.operation).toBeUndefined();
    s.deps.workflows = { ...workflows, start: async () => Promise.reject(new Error('StartExecution failed')) };
    await expect(startOperation(s.deps, p.id, scaleRequest)).rejects.toThrow('StartExecution failed');
    expect((await s.deps.store.get(p.id))?.operation).toBeUndefined();
  });

  it('checks the state in the same write that takes it', async () => {
    const p = await resting();
    await expect(startOperation(s.deps, p.id, { ...scaleRequest, inStates: ['ERROR'] })).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    await expect(startOperation(s.deps, 'p-000000000000', scaleRequest)).rejects.toMatchObject({ name: 'NotFoundError' });
    expect((await s.deps.store.get(p.id))?.operation).toBeUndefined();
  });

  it('keeps the last ten operations, newest first', async () => {
    const p = await resting();
    for (let i = 0; i < 12; i += 1) {
      const { operation } = await startOperation(s.deps, p.id, { ...scaleRequest, summary: `op ${i}` });
      await endOperation(s.deps, p.id, { operationId: operation.id }, i % 2 ? 'FAILED' : 'SUCCEEDED');
    }
    const ops = (await s.deps.store.get(p.id))?.operations ?? [];
    expect(ops.map((o) => o.summary)).toEqual(['op 11', 'op 10', 'op 9', 'op 8', 'op 7', 'op 6', 'op 5', 'op 4', 'op 3', 'op 2']);
  });
});

describe('operation lock with the machines', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('is released by the create machine’s finalize and by the delete machine’s end, refusal included', async () => {
    const created = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
    await s.runner.wait(created.executionId ?? '');
    const running = await s.deps.store.get(created.id);
    expect([running?.state, running?.operation, running?.operations?.[0]?.outcome]).toEqual(['RUNNING', undefined, 'SUCCEEDED']);

    s.memoryOne.vms.push({ id: 9, name: 'late-vm', hostId: running?.hosts[0]?.oneId, state: 3, lcmState: 3 });
    // VMs appear after the API's check: the machine refuses, and the lock is released all the same.
    const refused = await startOperation(
      s.deps,
      created.id,
      { kind: 'delete', summary: 'delete', machine: 'delete-provision', inStates: ['RUNNING'] },
      async () => ({ cleanup: false }),
    );
    await s.runner.wait(refused.executionId);
    const kept = await s.deps.store.get(created.id);
    expect([kept?.state, kept?.operation, kept?.operations?.[0]?.outcome]).toEqual(['RUNNING', undefined, 'REFUSED']);

    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id: created.id, cleanup: true });
    await s.runner.wait(executionId ?? '');
    const deleted = await s.deps.store.get(created.id);
    expect([deleted?.state, deleted?.operation]).toEqual(['DELETED', undefined]);
    expect(deleted?.operations?.map((o) => `${o.kind}:${o.outcome}`)).toEqual(['delete:SUCCEEDED', 'delete:REFUSED', 'create:SUCCEEDED']);
  });

  it('is released by the compensation of a failed creation, with the failed step', async () => {
    s.cloud.injectFault('edge-host1', 'capacity');
    const created = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
    await s.runner.wait(created.executionId ?? '');
    const failed = await s.deps.store.get(created.id);
    expect([failed?.state, failed?.operation]).toEqual(['ERROR', undefined]);
    expect(failed?.operations?.[0]).toMatchObject({ kind: 'create', outcome: 'FAILED', error: { errorName: 'ProviderCapacityError' } });
  });
});
