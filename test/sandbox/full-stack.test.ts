import { randomBytes } from 'node:crypto';
import { ApiClient, ApiError } from '../../cli/api-client';
import { loadDescriptorFile, MemorySecretStore } from '../../lambdas/descriptor';
import { startSandboxWithApi } from '../../sandbox/daemon';
import { DEMO_DESCRIPTOR } from '../../cli/commands/demo';
import { until } from '../support/until';

type Stack = Awaited<ReturnType<typeof startSandboxWithApi>>;

/**
 * The whole sandbox as a user meets it: HTTP API with a bearer token, the
 * real ASL on aws-local-stepfunctions, dynalite, the simulated oned over
 * XML-RPC and the role scripts over SSH on simulated hosts.
 */
describe('sandbox with simulated oned and SSH hosts', () => {
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    const token = randomBytes(8).toString('hex');
    stack = await startSandboxWithApi({ token });
    api = ApiClient.withToken(stack.api.url, token);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('creates the demo edge, refuses to delete it while a VM runs, and deletes it with cleanup leaving nothing behind', async () => {
    const loaded = await loadDescriptorFile(DEMO_DESCRIPTOR, { secretStore: new MemorySecretStore() });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const created = await api.createProvision(loaded.plan);
    expect(created.state).toBe('PENDING');

    const running = await until(
      () => api.getProvision(created.id),
      (p) => ['RUNNING', 'DEGRADED', 'ERROR'].includes(p.state),
    );
    expect(running.state).toBe('RUNNING');
    expect(running.hosts.map((h) => [h.state, h.publicIps.length])).toEqual([
      ['RUNNING', 1],
      ['RUNNING', 1],
    ]);
    expect(running.networks.every((n) => n.oneId !== null)).toBe(true);

    // The simulated oned holds what was registered, tagged with the provision.
    const one = await stack.sandbox.one.findByProvision(created.id);
    expect([one.clusters.length, one.datastores.length, one.networks.length, one.hosts.length]).toEqual([1, 2, 3, 2]);

    // The roles really ran over SSH on each simulated host.
    const host0 = stack.sandbox.cloud.liveMachines(created.id)[0];
    const sim = stack.sandbox.fleet?.get(host0?.providerId ?? '');
    expect(sim).toBeDefined();

    const vmHost = running.hosts[0]?.oneId as number;
    stack.sandbox.oned?.seedVm(vmHost);
    const refused = await api.deleteProvision(created.id, false).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(409);
    expect((refused as ApiError).problem.detail).toMatch(/VM/);
    expect((await api.getProvision(created.id)).state).toBe('RUNNING');

    await api.deleteProvision(created.id, true);
    const deleted = await until(
      () => api.getProvision(created.id),
      (p) => ['DELETED', 'ERROR'].includes(p.state),
    );
    expect(deleted.state).toBe('DELETED');
    expect(stack.sandbox.cloud.liveMachines()).toHaveLength(0);
    expect(stack.sandbox.cloud.liveAddresses()).toHaveLength(0);
    const left = await stack.sandbox.one.findByProvision(created.id);
    expect([left.clusters, left.datastores, left.networks, left.hosts].flat()).toEqual([]);

    // The state changes before its event is published: wait for the event, not the state.
    const events = await until(
      () => api.events(created.id),
      (page) => page.items.some((e) => e.type === 'Provision Deleted'),
    );
    const types = events.items.map((e) => e.type).filter((t) => t !== 'Role Output');
    expect(types[0]).toBe('Provision Requested');
    expect(types).toContain('Provision Running');
    expect(types[types.length - 1]).toBe('Provision Deleted');
  });

  it('answers 401 without the token and 404 for a provision that does not exist', async () => {
    const anonymous = ApiClient.withToken(stack.api.url, 'wrong');
    await expect(anonymous.listProvisions()).rejects.toMatchObject({ status: 401 });
    await expect(api.getProvision('p-000000000000')).rejects.toMatchObject({ status: 404 });
  });
});
