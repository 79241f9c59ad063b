import { runScheduledCreate } from '../../lambdas/provisioning/scheduling/recurring';
import { recurringScheduleName } from '../../lambdas/provisioning/scheduling/names';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { apiEvent, call } from './api-events';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;
const BOB = 'arn:aws:sts::123456789012:assumed-role/edge-operators/bob';

/** A plan whose names carry the provision id, as overlapping runs need. */
function perRunPlan() {
  return {
    ...simEdgePlan({ name: 'daily', cluster: { name: 'daily-${provision_id}', attributes: {} } }),
    hosts: [{ index: 0, name: 'daily-h0-${provision_id}', provision: { plan: 'metal.small' } }],
    datastores: [],
    networks: [],
  };
}

function post(s: S, body: unknown, headers: Record<string, string> = {}, owner?: string) {
  return call(s.deps, apiEvent({ method: 'POST', path: '/schedules', body: JSON.stringify(body), headers, owner }));
}

// Schedules in 2099: the sandbox's fast clock must not run them during these tests.
describe('schedules API', () => {
  let s: S;
  beforeAll(async () => {
    s = await startMemorySandbox();
  });
  afterAll(async () => {
    await s.close();
  });

  it('creates, lists, shows and deletes a recurring schedule, and keeps it from other callers', async () => {
    const res = await post(s, { cron: '0 8 ? * MON-FRI 2099', timezone: 'Europe/Berlin', ttl: '10h', plan: perRunPlan() });
    expect(res.statusCode).toBe(201);
    expect(res.json).toMatchObject({
      cron: 'cron(0 8 ? * MON-FRI 2099)',
      timezone: 'Europe/Berlin',
      ttlSeconds: 36000,
      hosts: 1,
      lastRun: null,
      nextRun: expect.any(String),
    });
    const id = String(res.json['id']);
    expect(s.scheduling.scheduler.names()).toContain(recurringScheduleName(id));
    const list = await call(s.deps, apiEvent({ method: 'GET', path: '/schedules' }));
    expect(list.json.items?.map((x) => x['id'])).toEqual([id]);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: '/schedules', owner: BOB }))).json.items).toEqual([]);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: `/schedules/${id}`, owner: BOB }))).statusCode).toBe(404);
    expect((await call(s.deps, apiEvent({ method: 'DELETE', path: `/schedules/${id}`, owner: BOB }))).statusCode).toBe(404);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: '/schedules', query: { cursor: 'x' } }))).statusCode).toBe(400);
    expect((await call(s.deps, apiEvent({ method: 'DELETE', path: `/schedules/${id}` }))).statusCode).toBe(200);
    expect(s.scheduling.scheduler.names()).not.toContain(recurringScheduleName(id));
    expect((await call(s.deps, apiEvent({ method: 'GET', path: `/schedules/${id}` }))).statusCode).toBe(404);
  });

  it.each([
    [{ cron: '0 8 * * MON-FRI *', ttl: '1h' }, 'cron'],
    [{ cron: '0 8 ? * MON-FRI *', ttl: '1h', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ cron: '0 8 ? * MON-FRI *' }, 'ttl'],
    [{ cron: '0 8 ? * MON-FRI *', ttl: '10 fortnights' }, 'ttl'],
    [{ cron: '0 8 ? * MON-FRI 2020', ttl: '1h' }, 'cron'],
  ])('refuses %j with a 422 naming %s', async (fields, path) => {
    const res = await post(s, { ...fields, plan: perRunPlan() });
    expect(res.statusCode).toBe(422);
    expect((res.json['errors'] as Array<{ path: string }>).map((e) => e.path)).toContain(path);
  });

  it('refuses overlapping runs whose OpenNebula names would collide', async () => {
    const res = await post(s, { cron: '0 * ? * * 2099', ttl: '2h', plan: simEdgePlan() });
    expect(res.statusCode).toBe(422);
    expect((res.json['errors'] as Array<{ path: string }>).map((e) => e.path)).toEqual(
      expect.arrayContaining(['plan.cluster.name', 'plan.hosts.0.name']),
    );
    // Runs that never overlap may keep fixed names.
    expect((await post(s, { cron: '0 8 ? * MON 2099', ttl: '2h', plan: simEdgePlan() })).statusCode).toBe(201);
  });

  it('answers a retried create with the same Idempotency-Key with the same schedule', async () => {
    const body = { cron: '0 9 ? * * 2099', ttl: 3600, plan: perRunPlan() };
    const a = await post(s, body, { 'idempotency-key': 'sched-1' });
    const b = await post(s, body, { 'idempotency-key': 'sched-1' });
    expect(b.json['id']).toBe(a.json['id']);
    expect((await post(s, { ...body, ttl: 60 }, { 'idempotency-key': 'sched-1' })).statusCode).toBe(422);
    expect((await post(s, { ...body, descriptor: 'name: x' })).statusCode).toBe(422);
  });

  it('creates one provision per run, even when the run is delivered twice, with the schedule’s TTL and its own names', async () => {
    const res = await post(s, { cron: '0 8 ? * MON-FRI 2099', ttl: '10h', plan: perRunPlan() });
    const scheduleId = String(res.json['id']);
    const run = { scheduleId, scheduledTime: '2026-11-26T07:00:00Z' };
    const first = await runScheduledCreate(s.deps, run);
    const again = await runScheduledCreate(s.deps, run);
    expect(again.provisionId).toBe(first.provisionId);
    const p = await s.deps.store.get(first.provisionId ?? '');
    expect(p?.plan.ttlSeconds).toBe(36000);
    expect(p?.plan.cluster.name).toBe(`daily-${first.provisionId}`);
    expect(p?.owner).toBe('arn:aws:sts::123456789012:assumed-role/edge-operators/alice');
    const next = await runScheduledCreate(s.deps, { ...run, scheduledTime: '2026-11-27T07:00:00Z' });
    expect(next.provisionId).not.toBe(first.provisionId);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: `/schedules/${scheduleId}` }))).json['lastRun']).toEqual({
      at: '2026-11-27T07:00:00Z',
      provisionId: next.provisionId,
    });
    await call(s.deps, apiEvent({ method: 'DELETE', path: `/schedules/${scheduleId}` }));
    expect(await runScheduledCreate(s.deps, run)).toMatchObject({ skipped: expect.any(String) });
    await s.runner.idle();
  });
});
