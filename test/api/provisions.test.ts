import { readFileSync } from 'node:fs';
import { DEMO_DESCRIPTOR } from '../../cli/commands/demo';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { RecordingConfigurator } from '../fakes/recording-configurator';
import { apiEvent, call, until } from './api-events';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

const ALICE = 'arn:aws:sts::123456789012:assumed-role/edge-operators/alice';
const BOB = 'arn:aws:sts::123456789012:assumed-role/edge-operators/bob';

/** A plan whose OpenNebula names differ per provision, so several can run at once. */
function uniquePlan(name = 'api-edge', extra: Record<string, unknown> = {}) {
  return {
    ...simEdgePlan({ name, cluster: { name: `${name}-\${provision_id}`, attributes: {} } }),
    hosts: [{ index: 0, name: `${name}-h0-\${provision_id}`, provision: { plan: 'metal.small' } }],
    datastores: [],
    networks: [],
    ...extra,
  };
}

function create(s: S, body: unknown, owner = ALICE, headers: Record<string, string> = {}) {
  return call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body: JSON.stringify(body), owner, headers }));
}

describe('provisions API', () => {
  let s: S;
  beforeAll(async () => {
    s = await startMemorySandbox();
  });
  afterAll(async () => {
    await s.close();
  });

  it('creates from a rendered plan, shows it to its owner and hides it from another caller', async () => {
    const res = await create(s, { plan: uniquePlan() });
    expect(res.statusCode).toBe(202);
    const id = String(res.json['id']);
    expect(res.headers?.['location']).toBe(`/provisions/${id}`);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: `/provisions/${id}` }))).json['state']).toMatch(
      /PENDING|PROVISIONING|RUNNING/,
    );
    const foreign = await call(s.deps, apiEvent({ method: 'GET', path: `/provisions/${id}`, owner: BOB }));
    expect(foreign.statusCode).toBe(404);
    expect(foreign.headers?.['content-type']).toBe('application/problem+json');
    expect((await call(s.deps, apiEvent({ method: 'DELETE', path: `/provisions/${id}`, owner: BOB }))).statusCode).toBe(404);
    expect((await call(s.deps, apiEvent({ method: 'POST', path: `/provisions/${id}/retry`, owner: BOB }))).statusCode).toBe(404);
    const running = await until(
      () => s.deps.store.get(id),
      (p) => p?.state === 'RUNNING',
    );
    expect(running?.state).toBe('RUNNING');
    expect(running?.cluster?.name).toBe(`api-edge-${id}`);
  });

  it('creates from a YAML descriptor body', async () => {
    const text = readFileSync(DEMO_DESCRIPTOR, 'utf8').replace("name: 'sim-edge'", "name: 'yaml-edge'");
    const res = await call(
      s.deps,
      apiEvent({ method: 'POST', path: '/provisions', body: text, headers: { 'content-type': 'application/yaml' } }),
    );
    expect(res.statusCode).toBe(202);
    expect(res.json['name']).toBe('yaml-edge');
    await until(
      () => s.deps.store.get(String(res.json['id'])),
      (p) => p?.state === 'RUNNING' || p?.state === 'ERROR',
    );
  });

  it('returns the same provision for a retried POST with the same Idempotency-Key', async () => {
    const body = { plan: uniquePlan('idem-edge') };
    const first = await create(s, body, ALICE, { 'idempotency-key': 'k-1' });
    const again = await create(s, body, ALICE, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.json['id']).toBe(first.json['id']);
    expect(first.headers?.['idempotent-replayed']).toBeUndefined();
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    // The key is the caller's: another caller with the same key gets its own provision.
    const bobs = await create(s, body, BOB, { 'idempotency-key': 'k-1' });
    expect(bobs.json['id']).not.toBe(first.json['id']);
  });

  it('refuses the same Idempotency-Key with a different body with a 422 problem', async () => {
    await create(s, { plan: uniquePlan('idem-a') }, ALICE, { 'idempotency-key': 'k-2' });
    const res = await create(s, { plan: uniquePlan('idem-b') }, ALICE, { 'idempotency-key': 'k-2' });
    expect(res.statusCode).toBe(422);
    expect(res.json).toMatchObject({ type: 'https://edge-provisioner.dev/problems/idempotency-key-reused', status: 422 });
    expect(res.json['errors']).toEqual([expect.objectContaining({ path: 'headers.idempotency-key' })]);
    const bad = await create(s, { plan: uniquePlan('idem-c') }, ALICE, { 'idempotency-key': 'has spaces' });
    expect(bad.statusCode).toBe(400);
  });

  it('lists in pages with a cursor, filters by state, and answers 400 to a malformed or foreign cursor', async () => {
    const all = await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', query: { limit: '100' } }));
    expect(all.json.items?.length).toBeGreaterThanOrEqual(4);
    const first = await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', query: { limit: '2' } }));
    expect(first.json.items).toHaveLength(2);
    const cursor = String(first.json['cursor']);
    const second = await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', query: { limit: '2', cursor } }));
    expect(second.statusCode).toBe(200);
    const ids = [...(first.json.items ?? []), ...(second.json.items ?? [])].map((p) => p['id']);
    expect(new Set(ids).size).toBe(ids.length);

    for (const bad of ['garbage', Buffer.from('{"PK":1}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      const res = await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', query: { cursor: bad } }));
      expect(res.statusCode).toBe(400);
      expect(res.json['errors']).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
    }
    // Alice's cursor is not Bob's, and a cursor of one state is not another's.
    expect((await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', query: { cursor }, owner: BOB }))).statusCode).toBe(400);
    const running = await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', query: { state: 'RUNNING', limit: '1' } }));
    expect(running.json.items?.every((p) => p['state'] === 'RUNNING')).toBe(true);
    if (running.json['cursor']) {
      const other = await call(
        s.deps,
        apiEvent({ method: 'GET', path: '/provisions', query: { state: 'ERROR', cursor: String(running.json['cursor']) } }),
      );
      expect(other.statusCode).toBe(400);
    }
    expect((await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', query: { state: 'SLEEPING' } }))).statusCode).toBe(400);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', query: { limit: '0' } }))).statusCode).toBe(400);
  });

  it('pages through the event log with after', async () => {
    const created = await create(s, { plan: uniquePlan('log-edge') });
    const id = String(created.json['id']);
    await until(
      () => s.deps.store.get(id),
      (p) => p?.state === 'RUNNING',
    );
    const page1 = await call(s.deps, apiEvent({ method: 'GET', path: `/provisions/${id}/events`, query: { limit: '3' } }));
    expect(page1.json.items).toHaveLength(3);
    expect(page1.json.items?.[0]?.['type']).toBe('Provision Requested');
    const after = String(page1.json.items?.[2]?.['seq']);
    const page2 = await call(s.deps, apiEvent({ method: 'GET', path: `/provisions/${id}/events`, query: { after } }));
    expect(page2.json.items?.[0]?.['seq']).toBe(Number(after) + 1);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: `/provisions/${id}/events`, query: { after: 'x' } }))).statusCode).toBe(400);
  });

  it('deletes with cleanup, answers 409 to retry of a provision not in ERROR, and 422 to a scale-out without a count', async () => {
    const created = await create(s, { plan: uniquePlan('del-edge') });
    const id = String(created.json['id']);
    await until(
      () => s.deps.store.get(id),
      (p) => p?.state === 'RUNNING',
    );
    const retry = await call(s.deps, apiEvent({ method: 'POST', path: `/provisions/${id}/retry` }));
    expect(retry.statusCode).toBe(409);
    expect(retry.json['type']).toBe('https://edge-provisioner.dev/problems/conflict');
    const scale = await call(s.deps, apiEvent({ method: 'POST', path: `/provisions/${id}/hosts`, body: '{}' }));
    expect(scale.statusCode).toBe(422);
    expect(scale.json['type']).toBe('https://edge-provisioner.dev/problems/invalid-request');
    expect((await call(s.deps, apiEvent({ method: 'DELETE', path: `/provisions/${id}`, query: { cleanup: 'maybe' } }))).statusCode).toBe(
      400,
    );
    const del = await call(s.deps, apiEvent({ method: 'DELETE', path: `/provisions/${id}`, query: { cleanup: 'true' } }));
    expect(del.statusCode).toBe(202);
    expect(del.json['executionId']).toEqual(expect.any(String));
    expect(
      (
        await until(
          () => s.deps.store.get(id),
          (p) => p?.state === 'DELETED',
        )
      )?.state,
    ).toBe('DELETED');
  });

  it('refuses a teardownOn that is not a usable event pattern, naming the field', async () => {
    const res = await create(s, {
      plan: uniquePlan('bad-pattern', { teardownOn: { source: ['game.events'], detail: { edge: 'fra-1' } } }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json['errors']).toEqual([expect.objectContaining({ path: 'teardownOn.detail.edge' })]);
  });

  it('answers problem JSON for bad bodies, media types, sizes, methods, routes and callers', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body, headers }));
    expect((await post('{"plan": ')).statusCode).toBe(400);
    expect((await post('')).statusCode).toBe(400);
    expect((await post('x', { 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect((await post(`{"plan":"${'x'.repeat(1_100_000)}"}`)).statusCode).toBe(413);
    const invalid = await post(JSON.stringify({ plan: { name: 'x' } }));
    expect(invalid.statusCode).toBe(422);
    expect((invalid.json['errors'] as Array<{ path: string }>).map((e) => e.path)).toEqual(
      expect.arrayContaining(['provider', 'cluster', 'hosts']),
    );
    expect((await post('name: [', { 'content-type': 'application/yaml' })).statusCode).toBe(400);
    const descriptor = await post('name: x\nhosts: 3\n', { 'content-type': 'application/yaml' });
    expect(descriptor.statusCode).toBe(422);
    expect(descriptor.json['type']).toBe('https://edge-provisioner.dev/problems/invalid-descriptor');
    expect((await call(s.deps, apiEvent({ method: 'PATCH', path: '/provisions' }))).statusCode).toBe(405);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: '/nothing/here' }))).statusCode).toBe(404);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: '/provisions/%E0%A4%A' }))).statusCode).toBe(404);
    expect((await call(s.deps, apiEvent({ method: 'GET', path: '/provisions', owner: null }))).statusCode).toBe(401);
  });
});

describe('retry', () => {
  it('resumes a creation that failed with the keep policy and ends RUNNING', async () => {
    const configurator = new RecordingConfigurator({ rolesPerCall: 8, failHost: 'keep-h0-x', failRole: 'packages', failTimes: 1 });
    const s = await startMemorySandbox({ configurator });
    try {
      const plan = { ...uniquePlan('keep', { failurePolicy: { onError: 'keep' } }) };
      plan.hosts = [{ index: 0, name: 'keep-h0-x', provision: { plan: 'metal.small' } }] as typeof plan.hosts;
      const res = await create(s, { plan });
      const id = String(res.json['id']);
      expect(
        (
          await until(
            () => s.deps.store.get(id),
            (p) => p?.state === 'ERROR',
          )
        )?.failedStep,
      ).toBe('configure');
      const retry = await call(s.deps, apiEvent({ method: 'POST', path: `/provisions/${id}/retry` }));
      expect(retry.statusCode).toBe(202);
      expect(retry.json['executionId']).toEqual(expect.any(String));
      expect(
        (
          await until(
            () => s.deps.store.get(id),
            (p) => p?.state === 'RUNNING',
          )
        )?.state,
      ).toBe('RUNNING');
    } finally {
      await s.close();
    }
  });
});
