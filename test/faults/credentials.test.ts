import { createProvision, deleteProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { pendingSecretName } from '../../lambdas/provisioning/credentials';
import { createRecurringSchedule, deleteRecurringSchedule, runScheduledCreate } from '../../lambdas/provisioning/scheduling/recurring';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan, withPrefix } from '../support/plans';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

/** What `edgectl create` leaves in the local secret store before the API call: credentials in a pending secret. */
async function renderedWithCredentials(s: S, prefix: string, token: string) {
  const ref = await s.deps.secrets.put(pendingSecretName(), { token });
  return withPrefix(simEdgePlan({ provider: { name: 'sim', connectionRef: ref, settings: {} } }), prefix);
}

const secretExists = (s: S, ref: string | undefined) =>
  s.deps.secrets.get(ref ?? '').then(
    () => true,
    () => false,
  );

describe('credentials found inline in a descriptor', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('belong to each provision by id (two provisions of one name keep their own) and go with it', async () => {
    const first = await createProvision(s.deps, {
      id: newProvisionId(),
      owner: 'alice',
      plan: await renderedWithCredentials(s, 'a', 'one'),
    });
    const planB = { ...(await renderedWithCredentials(s, 'b', 'two')), name: first.name };
    const second = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: planB });
    await s.runner.idle();
    const refA = first.plan.provider.connectionRef;
    const refB = second.plan.provider.connectionRef;
    expect(refA).toContain(`/${first.id}/`);
    expect(refB).toContain(`/${second.id}/`);
    expect(await s.deps.secrets.get(refA ?? '')).toEqual({ token: 'one' });
    expect(await s.deps.secrets.get(refB ?? '')).toEqual({ token: 'two' });

    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id: first.id, cleanup: true });
    await s.runner.wait(executionId ?? '');
    expect((await s.deps.store.get(first.id))?.state).toBe('DELETED');
    expect(await secretExists(s, refA)).toBe(false);
    expect(await secretExists(s, refB)).toBe(true);
  });

  it('are not left behind by a create that is refused', async () => {
    const plan = await renderedWithCredentials(s, 'a', 'one');
    await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: { ...plan } });
    const pending = (await renderedWithCredentials(s, 'a', 'two')).provider.connectionRef;
    await expect(
      createProvision(s.deps, {
        id: newProvisionId(),
        owner: 'alice',
        plan: { ...plan, provider: { ...plan.provider, connectionRef: pending } },
      }),
    ).rejects.toMatchObject({ name: 'NameTakenError' });
    expect(await secretExists(s, pending)).toBe(false);
    await s.runner.idle();
  });

  it('of a recurring schedule are its own; each run copies them for its provision, and each goes with its owner', async () => {
    const plan = await renderedWithCredentials(s, '${provision_id}', 'sched');
    const pending = plan.provider.connectionRef;
    const schedule = await createRecurringSchedule(s.deps, { owner: 'alice', cron: '0 8 ? * MON-FRI *', ttlSeconds: 3600, plan });
    expect(schedule.plan.provider.connectionRef).toContain(`/${schedule.id}/`);
    expect(await secretExists(s, pending)).toBe(false);

    const run = await runScheduledCreate(s.deps, { scheduleId: schedule.id, scheduledTime: '2026-12-07T08:00:00Z' });
    const p = await s.deps.store.get(run.provisionId ?? '');
    expect(p?.plan.provider.connectionRef).toContain(`/${p?.id}/`);
    await s.runner.idle();

    await deleteRecurringSchedule(s.deps, 'alice', schedule.id);
    expect(await secretExists(s, schedule.plan.provider.connectionRef)).toBe(false);
    // The provision still reads its copy until it is deleted.
    expect(await s.deps.secrets.get(p?.plan.provider.connectionRef ?? '')).toEqual({ token: 'sched' });
    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id: p?.id ?? '', cleanup: true });
    await s.runner.wait(executionId ?? '');
    expect(await secretExists(s, p?.plan.provider.connectionRef)).toBe(false);
  });
});
