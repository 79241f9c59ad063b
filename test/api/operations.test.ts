import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import type { WorkflowStarter } from '../../lambdas/provisioning/ports/workflow';
import { manualWorkflows } from '../fakes/manual-workflows';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan, withPrefix } from '../support/plans';
import { apiEvent, call } from './api-events';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;
const ALICE = 'arn:aws:sts::123456789012:assumed-role/edge-operators/alice';
const PROBLEM = 'https://edge-provisioner.dev/problems/';

describe('day-2 routes', () => {
  let s: S;
  let id: string;
  let strict: string;
  let real: WorkflowStarter;
  beforeAll(async () => {
    s = await startMemorySandbox();
    real = s.deps.workflows;
    const [p, q] = await Promise.all([
      createProvision(s.deps, { id: newProvisionId(), owner: ALICE, plan: simEdgePlan() }),
      createProvision(s.deps, {
        id: newProvisionId(),
        owner: ALICE,
        // Its own OpenNebula names: names are reserved per live provision.
        plan: withPrefix(simEdgePlan({ failurePolicy: { onError: 'rollback', minHealthyHosts: 2 } }), 'strict'),
      }),
    ]);
    await Promise.all([s.runner.wait(p.executionId ?? ''), s.runner.wait(q.executionId ?? '')]);
    id = p.id;
    strict = q.id;
    // From here on nothing executes: each accepted operation keeps the lock.
    s.deps.workflows = manualWorkflows();
  });
  afterAll(async () => {
    s.deps.workflows = real;
    await s.close();
  });

  /** Ends whatever operation holds the lock, as its machine would. */
  async function release(of = id) {
    const held = (await s.deps.store.get(of))?.operation;
    if (held) await s.deps.store.releaseOperation(of, { operationId: held.id });
  }

  const post = (path: string, body?: unknown) =>
    call(s.deps, apiEvent({ method: 'POST', path, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  const del = (path: string, query?: Record<string, string>) => call(s.deps, apiEvent({ method: 'DELETE', path, query }));

  it('lists the hosts with their OpenNebula state, VMs and SSH endpoint', async () => {
    const res = await call(s.deps, apiEvent({ method: 'GET', path: `/provisions/${id}/hosts` }));
    expect(res.statusCode).toBe(200);
    expect(res.json.items).toEqual([
      expect.objectContaining({
        name: 'edge-host0',
        state: 'RUNNING',
        oneState: 'MONITORED',
        vms: [],
        ssh: expect.objectContaining({ user: 'root' }),
      }),
      expect.objectContaining({ name: 'edge-host1', state: 'RUNNING' }),
    ]);
  });

  it('accepts a scale-out with 202, the running operation and its execution; a second operation is a 409 naming it', async () => {
    const res = await post(`/provisions/${id}/hosts`, { count: 1 });
    expect(res.statusCode).toBe(202);
    expect(res.headers?.['location']).toBe(`/provisions/${id}`);
    const operation = res.json['operation'] as { id: string; kind: string };
    expect(operation).toMatchObject({ kind: 'scale-out', summary: 'add 1 host(s)' });
    expect(res.json['executionId']).toMatch(/^manual:scale-out-/);
    const second = await post(`/provisions/${id}/configure`, { force: true });
    expect(second.statusCode).toBe(409);
    expect(second.json).toMatchObject({ type: `${PROBLEM}operation-in-progress`, operation: { id: operation.id, kind: 'scale-out' } });
    await release();
  });

  it('answers 422 for a malformed scale-out and 400 for a malformed scale-in query', async () => {
    for (const body of [
      {},
      { count: 0 },
      { count: 41 },
      { hosts: [] },
      { hosts: [{ name: 'bad name' }] },
      { count: 1, hosts: [{ name: 'x' }] },
    ]) {
      const res = await post(`/provisions/${id}/hosts`, body);
      expect({ body, status: res.statusCode, type: res.json['type'] }).toEqual({
        body,
        status: 422,
        type: expect.stringMatching(/invalid-request$/),
      });
    }
    const taken = await post(`/provisions/${id}/hosts`, { hosts: [{ name: 'edge-host0' }] });
    expect(taken.json['errors']).toEqual([{ path: 'hosts.0.name', message: "'edge-host0' is taken" }]);
    // A host name another live provision holds in OpenNebula: refused before anything is bought, and the lock is free again.
    const elsewhere = await post(`/provisions/${id}/hosts`, { hosts: [{ name: 'strict-edge-host0' }] });
    expect([elsewhere.statusCode, elsewhere.json['type']]).toEqual([409, `${PROBLEM}name-taken`]);
    expect(elsewhere.json['detail']).toContain(`'strict-edge-host0' is used by your provision ${strict}`);
    expect((await s.deps.store.get(id))?.operation).toBeUndefined();
    expect((await del(`/provisions/${id}/hosts/edge-host1`, { drainTimeout: 'soon' })).statusCode).toBe(400);
    const neither = await del(`/provisions/${id}/hosts`);
    expect([neither.statusCode, neither.json['errors']]).toEqual([400, [expect.objectContaining({ path: 'query.hosts' })]]);
    expect((await del(`/provisions/${id}/hosts/edge-host1`, { force: 'true' })).statusCode).toBe(422);
  });

  it('refuses a scale-in of a host running VMs with 409 vms-running naming them, and takes it with drain', async () => {
    const host1 = (await s.deps.store.get(id))!.hosts[1]!;
    s.memoryOne.vms.push({ id: 31, name: 'cache', hostId: host1.oneId, state: 3, lcmState: 3 });
    const refused = await del(`/provisions/${id}/hosts/edge-host1`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json).toMatchObject({ type: `${PROBLEM}vms-running`, detail: expect.stringContaining('31 (cache)') });
    const drained = await del(`/provisions/${id}/hosts`, { hosts: 'edge-host1', drain: 'true', drainTimeout: '60' });
    expect(drained.statusCode).toBe(202);
    expect(drained.json['operation']).toMatchObject({ kind: 'scale-in', summary: 'remove edge-host1' });
    await release();
    s.memoryOne.vms.pop();
    const none = await del(`/provisions/${id}/hosts/edge-host9`);
    expect([none.statusCode, none.json['detail']]).toEqual([404, expect.stringContaining('its hosts: edge-host0, edge-host1')]);
  });

  it('refuses a scale-in below min_healthy_hosts or to no host with 409, and takes it with allowEmpty', async () => {
    const below = await del(`/provisions/${strict}/hosts/strict-edge-host1`);
    expect([below.statusCode, below.json['type'], below.json['detail']]).toEqual([
      409,
      `${PROBLEM}conflict`,
      'removing strict-edge-host1 would leave 1 healthy host(s), below min_healthy_hosts 2; allow empty to do it',
    ]);
    const empty = await del(`/provisions/${id}/hosts`, { count: '2' });
    expect([empty.statusCode, empty.json['detail']]).toEqual([409, expect.stringContaining('with no healthy host; allow empty')]);
    expect((await s.deps.store.get(id))?.operation).toBeUndefined();
    const allowed = await del(`/provisions/${strict}/hosts/strict-edge-host1`, { allowEmpty: 'true' });
    expect([allowed.statusCode, (allowed.json['operation'] as { kind: string }).kind]).toEqual([202, 'scale-in']);
    await release(strict);
  });

  it('answers 404 for an unknown host action and 409 for one the host state makes meaningless', async () => {
    const unknown = await post(`/provisions/${id}/hosts/edge-host0/explode`);
    expect([unknown.statusCode, unknown.json['detail']]).toEqual([404, "no host action 'explode': use poweroff, reboot, resume"]);
    const resume = await post(`/provisions/${id}/hosts/edge-host0/resume`);
    expect([resume.statusCode, resume.json['type'], resume.json['detail']]).toEqual([
      409,
      `${PROBLEM}conflict`,
      'host edge-host0 is RUNNING; resume needs an OFF host',
    ]);
    expect((await post(`/provisions/${id}/hosts/edge-host0/poweroff`, { hard: true })).statusCode).toBe(422);
    const reboot = await post(`/provisions/${id}/hosts/0/reboot`, { hard: true });
    expect([reboot.statusCode, (reboot.json['operation'] as { summary: string }).summary]).toEqual([202, 'reboot --hard edge-host0']);
    await release();
  });

  it('adds public IPs, refuses to remove one leased to a VM (409 ip-in-use) and one it does not hold (404)', async () => {
    const added = await post(`/provisions/${id}/ips`, { count: 2 });
    expect([added.statusCode, (added.json['operation'] as { kind: string }).kind]).toEqual([202, 'ip-add']);
    await release();
    expect((await post(`/provisions/${id}/ips`, { network: 'sim-edge-private' })).statusCode).toBe(422);
    const p = (await s.deps.store.get(id))!;
    const ip = p.hosts[0]!.publicIps[0]!;
    const vnet = s.memoryOne.byName('network', 'sim-edge-public')!;
    s.memoryOne.vms.push({
      id: 32,
      name: 'web',
      hostId: p.hosts[0]!.oneId,
      state: 3,
      lcmState: 3,
      nics: [{ networkId: vnet.id, address: ip.address }],
    });
    const leased = await del(`/provisions/${id}/ips/${ip.address}`);
    expect([leased.statusCode, leased.json['type']]).toEqual([409, `${PROBLEM}ip-in-use`]);
    s.memoryOne.vms.pop();
    expect((await del(`/provisions/${id}/ips/198.51.100.200`)).statusCode).toBe(404);
    expect((await s.deps.store.get(id))?.operation).toBeUndefined();
  });

  it('refuses a configure without force when every host is configured, and hides another caller’s provision', async () => {
    const res = await post(`/provisions/${id}/configure`);
    expect([res.statusCode, res.json['detail']]).toEqual([409, expect.stringContaining('configure with force')]);
    const bob = 'arn:aws:sts::123456789012:assumed-role/edge-operators/bob';
    const foreign = await call(s.deps, apiEvent({ method: 'POST', path: `/provisions/${id}/hosts`, body: '{"count":1}', owner: bob }));
    expect(foreign.statusCode).toBe(404);
  });
});
