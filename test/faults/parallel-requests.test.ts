import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { until } from '../support/until';
import { apiEvent, call } from '../api/api-events';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

const ALICE = 'arn:aws:sts::123456789012:assumed-role/edge-operators/alice';
const BOB = 'arn:aws:sts::123456789012:assumed-role/edge-operators/bob';

const create = (s: S, owner = ALICE) =>
  call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body: JSON.stringify({ plan: simEdgePlan() }), owner }));

describe('parallel requests on one provision or one name', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('runs one of 20 concurrent deletes, answers the others 409 naming it, and releases each address once', async () => {
    const created = await create(s);
    const id = String(created.json['id']);
    await until(
      () => s.deps.store.get(id),
      (p) => p?.state === 'RUNNING',
    );
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(s.deps, apiEvent({ method: 'DELETE', path: `/provisions/${id}`, query: { cleanup: 'true' }, owner: ALICE })),
      ),
    );
    const started = answers.filter((a) => a.statusCode === 202);
    expect(started).toHaveLength(1);
    const refused = answers.filter((a) => a.statusCode === 409);
    expect(refused).toHaveLength(19);
    const runningOperation = (started[0]?.json['operation'] as { id?: string } | null)?.id;
    for (const r of refused) expect(JSON.stringify(r.json)).toContain(String(runningOperation));
    await until(
      () => s.deps.store.get(id),
      (p) => p?.state === 'DELETED' && !p.operation,
    );
    await s.runner.idle();
    const deletes = s.runner.executions.list().filter((e) => e.machine === 'delete-provision');
    expect(deletes).toHaveLength(1);
    const released = s.bus.events.filter((e) => e['detail-type'] === 'Ip Released').map((e) => e.detail['address']);
    expect(released.sort()).toEqual([...new Set(released)].sort());
    expect(released).toHaveLength(2);
  });

  it('lets one of 20 concurrent creates with the same names buy hosts; the others get 409 before anything is bought', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => create(s)));
    expect(answers.filter((a) => a.statusCode === 202)).toHaveLength(1);
    const refused = answers.filter((a) => a.statusCode === 409);
    expect(refused).toHaveLength(19);
    expect(refused.every((r) => r.json['type'] === 'https://edge-provisioner.dev/problems/name-taken')).toBe(true);
    await s.runner.idle();
    expect(s.cloud.machines).toHaveLength(2);
    const list = await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', owner: ALICE }));
    expect(list.json['items']).toHaveLength(1);
  });

  it('never tells another owner whose provision holds a name, and frees the names once deleted', async () => {
    const first = await create(s, ALICE);
    const id = String(first.json['id']);
    await s.runner.idle();
    const mine = await create(s, ALICE);
    expect(mine.statusCode).toBe(409);
    expect(String(mine.json['detail'])).toContain(id);
    const theirs = await create(s, BOB);
    expect(theirs.statusCode).toBe(409);
    expect(theirs.body).not.toContain(id);
    expect(String(theirs.json['detail'])).toMatch(/used by another provision/);

    await call(s.deps, apiEvent({ method: 'DELETE', path: `/provisions/${id}`, query: { cleanup: 'true' }, owner: ALICE }));
    await until(
      () => s.deps.store.get(id),
      (p) => p?.state === 'DELETED' && !p.operation,
    );
    expect((await create(s, BOB)).statusCode).toBe(202);
  });
});
