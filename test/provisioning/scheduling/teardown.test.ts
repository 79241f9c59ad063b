import { teardownPatterns } from '../../../infra/constructs/teardown-rules';
import { TEARDOWN_PATTERNS } from '../../../lambdas/provisioning/events/teardown-patterns';
import { createProvision, deleteProvision, newProvisionId } from '../../../lambdas/provisioning/commands';
import { ttlScheduleName } from '../../../lambdas/provisioning/scheduling/names';
import { EXPIRY_POSTPONE_SECONDS, teardownProvision } from '../../../lambdas/provisioning/scheduling/teardown';
import type { ProvisionPlanInput } from '../../../lambdas/provisioning/plan';
import { startMemorySandbox } from '../../support/memory-sandbox';
import { simEdgePlan } from '../../support/plans';
import { until } from '../../support/until';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

async function running(s: S, overrides: Partial<ProvisionPlanInput> = {}, faults: Array<Record<string, string>> = []) {
  const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan(overrides, faults) });
  await s.runner.wait(p.executionId ?? '');
  return (await s.deps.store.get(p.id))!;
}

/** Waits for the provision to settle after a teardown, and for the execution that moved it to end. */
async function settled(s: S, id: string) {
  const p = await until(
    () => s.deps.store.get(id),
    (x) => x?.state === 'DELETED' || x?.state === 'ERROR',
  );
  await s.runner.idle();
  return p;
}
const typesOf = (s: S, id: string) => s.bus.events.filter((e) => e.detail['provisionId'] === id).map((e) => e['detail-type']);
const teardownRuns = (s: S, id: string) => s.runner.executions.list().filter((e) => e.name.startsWith(`teardown-${id}`));

const GAME_OVER = { source: ['game.events'], 'detail-type': ['Tournament Finished'], detail: { edge: ['fra-1'] } };

describe('event-triggered teardown', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('deletes a provision with cleanup when its TTL expires, and drops the fired schedule', async () => {
    // 600 s at time scale 0.0002: 120 ms.
    const p = await running(s, { ttlSeconds: 600 });
    expect(p.state).toBe('RUNNING');
    const runningEvent = s.bus.events.find((e) => e['detail-type'] === 'Provision Running' && e.detail['provisionId'] === p.id);
    expect(runningEvent?.detail).toMatchObject({ ttlSeconds: 600, expiresAt: expect.any(String) });
    expect((await settled(s, p.id))?.state).toBe('DELETED');
    expect(typesOf(s, p.id)).toEqual(expect.arrayContaining(['Provision Expired', 'Provision Deleting']));
    expect(typesOf(s, p.id).at(-1)).toBe('Provision Deleted');
    expect(s.bus.events.find((e) => e['detail-type'] === 'Provision Deleting' && e.detail['provisionId'] === p.id)?.detail['cleanup']).toBe(
      true,
    );
    expect(s.scheduling.scheduler.names()).not.toContain(ttlScheduleName(p.id));
    expect(s.cloud.liveMachines(p.id)).toHaveLength(0);
    const log = (await s.deps.store.log(p.id)).items.map((e) => e.type);
    expect(log).toEqual(expect.arrayContaining(['Provision Expired', 'Teardown Requested', 'Provision Deleted']));
  });

  it('deletes a provision when an event matches its teardownOn pattern, once for duplicate events, and not for others', async () => {
    const p = await running(s, { teardownOn: GAME_OVER });
    expect(s.scheduling.rules.provisions()).toEqual([p.id]);
    const put = (edge: string) => s.bus.publish([{ Source: 'game.events', DetailType: 'Tournament Finished', Detail: { edge } }]);
    await put('fra-2');
    await s.bus.drain();
    expect((await s.deps.store.get(p.id))?.state).toBe('RUNNING');
    await put('fra-1');
    await put('fra-1');
    expect((await settled(s, p.id))?.state).toBe('DELETED');
    expect(teardownRuns(s, p.id)).toHaveLength(1);
    expect(s.scheduling.rules.provisions()).toEqual([]);
    // A late event after the rule is gone does nothing.
    await put('fra-1');
    await s.bus.drain();
    expect(teardownRuns(s, p.id)).toHaveLength(1);
  });

  it('tears down what a failed creation kept when its failure policy is teardown', async () => {
    s.cloud.injectFault('edge-host1', 'capacity');
    const p = await running(s, { failurePolicy: { onError: 'teardown' } });
    expect(p.state).toBe('ERROR');
    expect(s.bus.events.find((e) => e['detail-type'] === 'Provision Failed')?.detail).toMatchObject({
      onError: 'teardown',
      rolledBack: false,
    });
    expect(
      (
        await until(
          () => s.deps.store.get(p.id),
          (x) => x?.state === 'DELETED',
        )
      )?.state,
    ).toBe('DELETED');
    await s.runner.idle();
    expect(s.cloud.liveMachines()).toHaveLength(0);
    expect(s.cloud.liveAddresses()).toHaveLength(0);
  });

  it('removes the TTL schedule and the teardown rule when a provision is deleted early; a late expiry is a no-op', async () => {
    const p = await running(s, { ttlSeconds: 3600 * 24, teardownOn: GAME_OVER });
    expect(s.scheduling.scheduler.names()).toContain(ttlScheduleName(p.id));
    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id: p.id, cleanup: true });
    await s.runner.wait(executionId ?? '');
    expect((await s.deps.store.get(p.id))?.state).toBe('DELETED');
    expect(s.scheduling.scheduler.names()).not.toContain(ttlScheduleName(p.id));
    expect(s.scheduling.rules.provisions()).toEqual([]);
    const outcome = await teardownProvision(s.deps, {
      provisionId: p.id,
      trigger: 'event:Provision Expired',
      event: { source: 'edge-provisioner', 'detail-type': 'Provision Expired', detail: { provisionId: p.id } },
    });
    expect(outcome).toMatchObject({ action: 'skipped', reason: 'the provision is already DELETED' });
    expect(await teardownProvision(s.deps, { provisionId: 'p-000000000000', trigger: 'rule:x' })).toMatchObject({ action: 'skipped' });
  });

  it('postpones an expiry that finds the provision still being moved, and asks for redelivery of other triggers', async () => {
    const p = await running(s);
    await s.deps.store.transition(p.id, ['RUNNING'], 'SCALING');
    const expiry = {
      source: 'edge-provisioner',
      'detail-type': 'Provision Expired',
      detail: { version: '1', provisionId: p.id, name: p.name, owner: p.owner, ttlSeconds: 60, expiresAt: new Date().toISOString() },
    };
    // Kept, not fired: the postponed expiry is only looked at.
    s.scheduling.scheduler.stop();
    const before = Date.now();
    expect(await teardownProvision(s.deps, { provisionId: p.id, trigger: 'event:Provision Expired', event: expiry })).toMatchObject({
      action: 'postponed',
    });
    expect(s.scheduling.scheduler.names()).toContain(ttlScheduleName(p.id));
    await expect(teardownProvision(s.deps, { provisionId: p.id, trigger: 'rule:edge-teardown-x' })).rejects.toMatchObject({
      name: 'ProvisionBusyError',
      retryable: true,
    });
    const note = (await s.deps.store.log(p.id)).items.find((e) => e.type === 'Teardown Postponed');
    expect(Date.parse(String(note?.detail['until'])) - before).toBeGreaterThanOrEqual(EXPIRY_POSTPONE_SECONDS * 1000 - 1000);
  });
});

describe('teardown patterns', () => {
  it('are the patterns of the CDK teardown rules', () => {
    const cdk = Object.fromEntries(
      Object.entries(teardownPatterns('edge-provisioner')).map(([id, p]) => {
        const { detailType, ...rest } = p as Record<string, unknown>;
        return [id, { ...rest, 'detail-type': detailType }];
      }),
    );
    expect(cdk).toEqual(TEARDOWN_PATTERNS);
  });
});
