import { registrationName } from '../../lambdas/provisioning/steps/host-register';
import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { scaleIn, scaleOut } from '../../lambdas/provisioning/day2/scale';
import { ProviderAuthError } from '../../lambdas/shared/errors';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { until } from '../support/until';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

async function running(s: S) {
  const p = await createProvision(s.deps, {
    id: newProvisionId(),
    owner: 'alice',
    plan: simEdgePlan({ failurePolicy: { minHealthyHosts: 1 } }),
  });
  await s.runner.wait(p.executionId ?? '');
  return (await s.deps.store.get(p.id))!;
}

/** The whole provision log (role output makes it longer than one page). */
async function logOf(s: S, id: string) {
  const items = [];
  let after: string | undefined;
  for (;;) {
    const page = await s.deps.store.log(id, { after, limit: 1000 });
    items.push(...page.items);
    if (!page.cursor) return items;
    after = page.cursor;
  }
}
const logTypes = async (s: S, id: string) => (await logOf(s, id)).map((e) => e.type);
const eventsOf = (s: S, id: string) => s.bus.events.filter((e) => e.detail['provisionId'] === id);
const typesOf = (s: S, id: string) => eventsOf(s, id).map((e) => e['detail-type']);

/** Each host's VXLAN peers are exactly the other live hosts. */
async function expectFullMesh(s: S, id: string) {
  const p = (await s.deps.store.get(id))!;
  const live = p.hosts.filter((h) => h.state === 'RUNNING');
  for (const h of live) {
    const others = live.filter((o) => o.index !== h.index).map((o) => o.privateIp);
    expect({ host: h.name, peers: s.configurator.peerSets.get(h.name) }).toEqual({ host: h.name, peers: others.sort() });
  }
}

describe('scale-provision machine: scale out', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('adds a host through the create pipeline and gives every host the others as peers', async () => {
    const p = await running(s);
    const { executionId, operation } = await scaleOut(s.deps, { owner: 'alice', id: p.id, count: 1 });
    expect((await s.runner.wait(executionId))?.status).toBe('SUCCEEDED');
    const after = (await s.deps.store.get(p.id))!;
    expect(after.state).toBe('RUNNING');
    expect(after.hosts.map((h) => `${h.name}:${h.state}`)).toEqual(['edge-host0:RUNNING', 'edge-host1:RUNNING', 'edge-host2:RUNNING']);
    expect(after.plan.hosts.map((h) => h.name)).toEqual(['edge-host0', 'edge-host1', 'edge-host2']);
    await expectFullMesh(s, p.id);
    expect(s.memoryOne.count('host')).toBe(3);
    expect(s.cloud.liveMachines(p.id)).toHaveLength(3);
    // The descriptor's 2 public IPs are both held: the new host gets none.
    expect(after.hosts[2]?.publicIps).toEqual([]);
    expect([after.operation, after.operations?.[0]]).toEqual([
      undefined,
      expect.objectContaining({ id: operation.id, kind: 'scale-out', outcome: 'SUCCEEDED', summary: 'add 1 host(s)' }),
    ]);
    expect(typesOf(s, p.id).slice(-2)).toEqual(['Host Added', 'Operation Succeeded']);
    expect(typesOf(s, p.id)).toContain('Operation Started');
  });

  it('releases every host it bought when one of them fails, leaving the provision as it was', async () => {
    const p = await running(s);
    s.cloud.injectFault('edge-host3', 'capacity');
    const { executionId } = await scaleOut(s.deps, { owner: 'alice', id: p.id, count: 2 });
    expect((await s.runner.wait(executionId))?.status).toBe('FAILED');
    const after = (await s.deps.store.get(p.id))!;
    expect(after.state).toBe('RUNNING');
    expect(after.hosts.map((h) => `${h.name}:${h.state}`)).toEqual([
      'edge-host0:RUNNING',
      'edge-host1:RUNNING',
      'edge-host2:RELEASED',
      'edge-host3:RELEASED',
    ]);
    expect(
      s.cloud
        .liveMachines(p.id)
        .map((m) => m.name)
        .sort(),
    ).toEqual(['edge-host0', 'edge-host1']);
    expect(s.cloud.liveAddresses(p.id)).toHaveLength(2);
    expect(s.memoryOne.count('host')).toBe(2);
    await expectFullMesh(s, p.id);
    expect(after.operation).toBeUndefined();
    expect(after.operations?.[0]).toMatchObject({
      kind: 'scale-out',
      outcome: 'FAILED',
      error: { step: 'allocate', errorName: 'ProviderCapacityError' },
    });
    const failed = eventsOf(s, p.id).find((e) => e['detail-type'] === 'Operation Failed');
    expect(failed?.detail).toMatchObject({ errorName: 'ProviderCapacityError', undone: true, state: 'RUNNING' });
  });
});

describe('scale-provision machine: scale in', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('refuses a host running VMs unless drained; a forced drain terminates them and removes the host everywhere', async () => {
    const p = await running(s);
    const host1 = p.hosts[1]!;
    s.memoryOne.vms.push({ id: 7, name: 'game-server', hostId: host1.oneId, state: 3, lcmState: 3 });
    await expect(scaleIn(s.deps, { owner: 'alice', id: p.id, hosts: ['edge-host1'] })).rejects.toMatchObject({
      name: 'VmsRunningError',
      message: expect.stringContaining('7 (game-server)'),
    });
    expect((await s.deps.store.get(p.id))?.operation).toBeUndefined();

    const { executionId } = await scaleIn(s.deps, { owner: 'alice', id: p.id, hosts: ['edge-host1'], drain: true, force: true });
    expect((await s.runner.wait(executionId))?.status).toBe('SUCCEEDED');
    const after = (await s.deps.store.get(p.id))!;
    expect(after.state).toBe('RUNNING');
    expect(after.hosts.map((h) => `${h.name}:${h.state}`)).toEqual(['edge-host0:RUNNING', 'edge-host1:RELEASED']);
    expect(s.memoryOne.calls).toEqual(
      expect.arrayContaining([`status ${host1.oneId} disabled`, 'terminate 7', `delete host ${host1.oneId}`]),
    );
    expect(s.memoryOne.count('host')).toBe(1);
    expect(s.cloud.liveMachines(p.id).map((m) => m.name)).toEqual(['edge-host0']);
    expect(s.cloud.liveAddresses(p.id).map((a) => a.address)).toEqual(after.hosts[0]?.publicIps.map((ip) => ip.address));
    expect(s.configurator.peerSets.get('edge-host0')).toEqual([]);
    const removed = eventsOf(s, p.id).find((e) => e['detail-type'] === 'Host Removed');
    expect(removed?.detail).toMatchObject({ host: 'edge-host1', vmsTerminated: [7] });

    // The last host goes only when asked to empty the provision.
    await expect(scaleIn(s.deps, { owner: 'alice', id: p.id, count: 1 })).rejects.toMatchObject({
      name: 'InvalidStateError',
      message: expect.stringContaining('allow empty'),
    });
  });

  it('waits for VMs to leave a drained host before removing it', async () => {
    const p = await running(s);
    const [host0, host1] = p.hosts;
    s.memoryOne.vms.push({ id: 8, name: 'moving', hostId: host1!.oneId, state: 3, lcmState: 3 });
    const { executionId } = await scaleIn(s.deps, {
      owner: 'alice',
      id: p.id,
      hosts: ['edge-host1'],
      drain: true,
      drainTimeoutSeconds: 86_400,
    });
    // Asked to move: OpenNebula's scheduler would migrate it.
    const types = await until(
      () => logTypes(s, p.id),
      (t) => t.includes('Drain Waiting'),
    );
    expect(types).toContain('Drain Waiting');
    expect(s.memoryOne.calls).toContain('resched 8');
    expect((await s.deps.store.get(p.id))?.state).toBe('SCALING');
    // OpenNebula's scheduler migrates it.
    s.memoryOne.vms[0]!.hostId = host0!.oneId;
    expect((await s.runner.wait(executionId))?.status).toBe('SUCCEEDED');
    const after = (await s.deps.store.get(p.id))!;
    expect([after.state, after.hosts[1]?.state]).toEqual(['RUNNING', 'RELEASED']);
    expect(s.memoryOne.calls).not.toContain('terminate 8');
  });

  it('restores a host whose drain timed out: enabled again, registered, with its machine and IP', async () => {
    const p = await running(s);
    const host1 = p.hosts[1]!;
    s.memoryOne.vms.push({ id: 9, name: 'stubborn', hostId: host1.oneId, state: 3, lcmState: 3 });
    const { executionId } = await scaleIn(s.deps, { owner: 'alice', id: p.id, hosts: ['1'], drain: true, drainTimeoutSeconds: 1 });
    expect((await s.runner.wait(executionId))?.status).toBe('FAILED');
    const after = (await s.deps.store.get(p.id))!;
    expect([after.state, after.hosts[1]?.state]).toEqual(['RUNNING', 'RUNNING']);
    expect(after.hosts[1]?.publicIps.map((ip) => ip.address)).toEqual(host1.publicIps.map((ip) => ip.address));
    expect(s.memoryOne.calls).toEqual(expect.arrayContaining([`status ${host1.oneId} disabled`, `status ${host1.oneId} enabled`]));
    expect(s.memoryOne.count('host')).toBe(2);
    expect(s.cloud.liveMachines(p.id)).toHaveLength(2);
    expect(after.operations?.[0]).toMatchObject({ kind: 'scale-in', outcome: 'FAILED', error: { errorName: 'DrainTimeoutError' } });
    expect(eventsOf(s, p.id).find((e) => e['detail-type'] === 'Operation Failed')?.detail).toMatchObject({ undone: true });
  });

  it('puts a host back when its machine cannot be released after deregistration: registered, never half', async () => {
    const p = await running(s);
    const host1 = p.hosts[1]!;
    s.cloud.injectApiFault('TerminateInstances', () => new ProviderAuthError('credentials expired'), 1);
    const { executionId } = await scaleIn(s.deps, { owner: 'alice', id: p.id, hosts: ['edge-host1'] });
    expect((await s.runner.wait(executionId))?.status).toBe('FAILED');
    const after = (await s.deps.store.get(p.id))!;
    expect(after.hosts[1]).toMatchObject({ state: 'RUNNING', providerId: host1.providerId });
    // Registered again under the address the front-end reaches it by, as create registers hosts.
    expect(s.memoryOne.byName('host', registrationName(after.hosts[1]!))).toBeDefined();
    expect(s.cloud.liveMachines(p.id)).toHaveLength(2);
    // Its IP was released before the failure: it is not put back on the vnet.
    expect(after.hosts[1]?.publicIps).toEqual([]);
    expect(s.cloud.liveAddresses(p.id)).toHaveLength(1);
    expect(after.operations?.[0]).toMatchObject({ outcome: 'FAILED', error: { errorName: 'ProviderAuthError' } });
    expect((await logOf(s, p.id)).find((e) => e.type === 'Host Restored')?.detail).toMatchObject({
      host: 'edge-host1',
      outcome: 'registered',
      step: 'release',
    });
  });
});
