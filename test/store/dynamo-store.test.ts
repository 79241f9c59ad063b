import { DynamoProvisionStore } from '../../lambdas/store/dynamo-store';
import type { HostRecord, Provision } from '../../lambdas/provisioning/model';
import { startLocalDynamo, type LocalDynamo } from '../../sandbox/local-dynamo';
import { simEdgePlan } from '../support/plans';

function provision(id: string, owner = 'alice'): Provision {
  const at = new Date().toISOString();
  const hosts: HostRecord[] = [0, 1].map((index) => ({
    index,
    name: `h${index}`,
    state: 'PENDING',
    publicIps: [],
    version: 1,
    updatedAt: at,
  }));
  return {
    id,
    owner,
    name: 'edge',
    state: 'PENDING',
    plan: simEdgePlan(),
    hosts,
    datastores: [],
    networks: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

describe('DynamoProvisionStore (on dynalite)', () => {
  let db: LocalDynamo;
  let store: DynamoProvisionStore;
  beforeAll(async () => {
    db = await startLocalDynamo();
    store = new DynamoProvisionStore(db.client, db.tableName);
  });
  afterAll(async () => {
    await db.close();
  });

  it('round-trips a provision with its hosts', async () => {
    await store.create(provision('p-000000000001'));
    const p = await store.get('p-000000000001');
    expect(p?.hosts.map((h) => h.name)).toEqual(['h0', 'h1']);
    expect(p?.plan.networks).toHaveLength(3);
  });

  it('refuses to create the same id twice', async () => {
    await store.create(provision('p-000000000002'));
    await expect(store.create(provision('p-000000000002'))).rejects.toMatchObject({ name: 'InvalidStateError' });
  });

  it('moves state only from an expected state, and bumps the version', async () => {
    await store.create(provision('p-000000000003'));
    const p = await store.transition('p-000000000003', ['PENDING'], 'PROVISIONING');
    expect([p.state, p.version]).toEqual(['PROVISIONING', 2]);
    await expect(store.transition('p-000000000003', ['PENDING'], 'PROVISIONING')).rejects.toMatchObject({ name: 'InvalidStateError' });
    await expect(store.transition('p-999999999999', ['PENDING'], 'PROVISIONING')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('lets exactly one of two concurrent writers move a host', async () => {
    await store.create(provision('p-000000000004'));
    const results = await Promise.allSettled([
      store.updateHost('p-000000000004', 0, ['PENDING'], 'ALLOCATING'),
      store.updateHost('p-000000000004', 0, ['PENDING'], 'ALLOCATING'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('keeps the event log in order and pages it', async () => {
    await store.create(provision('p-000000000005'));
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.appendLog('p-000000000005', 'Test', { i })));
    const first = await store.log('p-000000000005', { limit: 5 });
    expect(first.items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const rest = await store.log('p-000000000005', { after: first.cursor });
    expect(rest.items.map((e) => e.seq)).toEqual([6, 7, 8, 9, 10, 11, 12]);
  });

  it('lists a caller’s provisions by state and no one else’s', async () => {
    await store.create(provision('p-000000000006', 'bob'));
    await store.create(provision('p-000000000007', 'bob'));
    await store.transition('p-000000000007', ['PENDING'], 'ERROR');
    expect((await store.list({ owner: 'bob' })).items.map((p) => p.id).sort()).toEqual(['p-000000000006', 'p-000000000007']);
    expect((await store.list({ owner: 'bob', state: 'ERROR' })).items.map((p) => p.id)).toEqual(['p-000000000007']);
    expect((await store.list({ owner: 'carol' })).items).toEqual([]);
  });

  it('clears a recorded error when asked', async () => {
    await store.create(provision('p-000000000008'));
    const failure = { step: 'allocate', errorName: 'X', message: 'm', attempt: 1, at: new Date().toISOString() };
    await store.updateHost('p-000000000008', 1, ['PENDING'], 'FAILED', { failedStep: 'allocate', error: failure });
    const h = await store.updateHost('p-000000000008', 1, ['FAILED'], 'ALLOCATING', { clearError: true });
    expect([h.state, h.failedStep, h.error]).toEqual(['ALLOCATING', undefined, undefined]);
  });
});
