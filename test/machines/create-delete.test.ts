import { createProvision, deleteProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

async function runCreate(s: S, plan = simEdgePlan()) {
  const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan });
  const exec = await s.runner.wait(p.executionId ?? '');
  return { p: await s.deps.store.get(p.id), exec };
}

describe('create-provision machine', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('reaches RUNNING with every host registered and its public IP when nothing fails', async () => {
    const { p, exec } = await runCreate(s);
    expect(exec?.status).toBe('SUCCEEDED');
    expect(p?.state).toBe('RUNNING');
    expect(p?.hosts.map((h) => h.state)).toEqual(['RUNNING', 'RUNNING']);
    expect(p?.hosts.every((h) => h.publicIps.length === 1 && h.oneId !== undefined && h.hostKey)).toBe(true);
    expect(s.memoryOne.count('host')).toBe(2);
    expect(s.memoryOne.count('network')).toBe(3);
    expect(s.memoryOne.count('datastore')).toBe(2);
    expect(s.cloud.liveMachines(p?.id)).toHaveLength(2);
    expect(s.cloud.liveAddresses(p?.id)).toHaveLength(2);
    // The configure loop resumed at the next role: 8 roles at 3 per call = 3 calls per host.
    expect(s.configurator.configured.filter((c) => c.target.hostName === 'edge-host0')).toHaveLength(3);
    // ConvergeOverlay gave each host the other as its VXLAN peer.
    expect(s.configurator.peerSets.get('edge-host0')).toEqual([p?.hosts[1]?.privateIp]);
    // ${updates.*} values were filled in once hosts reported facts.
    expect(s.memoryOne.byName('network', 'sim-edge-private')?.attributes['PHYDEV']).toBe('eth0');
  });

  it('emits the lifecycle events in order and logs them on the provision', async () => {
    const { p } = await runCreate(s);
    const types = s.bus.events.filter((e) => e.detail['provisionId'] === p?.id).map((e) => e['detail-type']);
    expect(types[0]).toBe('Provision Requested');
    expect(types[types.length - 1]).toBe('Provision Running');
    for (const t of ['Host Allocated', 'Ip Assigned', 'Host Configured', 'Host Registered']) {
      expect(types.filter((x) => x === t)).toHaveLength(2);
    }
    const log = await s.deps.store.log(p?.id ?? '');
    expect(log.items.map((e) => e.type)).toEqual(expect.arrayContaining(types));
  });

  it('fails at prepare with ProviderQuotaError, buying nothing, when the public IPs exceed the address quota', async () => {
    await s.close();
    s = await startMemorySandbox({ addressQuota: 1 });
    const { p, exec } = await runCreate(s);
    expect(exec?.status).toBe('FAILED');
    expect(p?.state).toBe('ERROR');
    expect(p?.failedStep).toBe('prepare');
    expect(p?.error).toMatchObject({ errorName: 'ProviderQuotaError', message: expect.stringMatching(/2 addresses needed .* quota is 1/) });
    expect(s.cloud.machines).toHaveLength(0);
    expect(s.cloud.addresses).toHaveLength(0);
    expect(s.bus.events.map((e) => e['detail-type'])).not.toContain('Host Allocated');
  });

  it('compensates to zero hosts and zero IPs when a host fails allocation', async () => {
    const { p, exec } = await runCreate(s, simEdgePlan({}, [{}, { sim_fault: 'capacity' }]));
    expect(exec?.status).toBe('FAILED');
    expect(p?.state).toBe('ERROR');
    expect(p?.failedStep).toBe('allocate');
    expect(p?.error?.errorName).toBe('ProviderCapacityError');
    expect(p?.hosts[1]?.failedStep).toBe('allocate');
    expect(s.cloud.liveMachines()).toHaveLength(0);
    expect(s.cloud.liveAddresses()).toHaveLength(0);
    expect(s.memoryOne.count('host') + s.memoryOne.count('network') + s.memoryOne.count('datastore') + s.memoryOne.count('cluster')).toBe(
      0,
    );
    const types = s.bus.events.map((e) => e['detail-type']);
    expect(types).toContain('Host Failed');
    expect(types[types.length - 1]).toBe('Provision Failed');
  });

  it('never allocates twice when the provider loses the response to an allocation', async () => {
    const { p } = await runCreate(s, simEdgePlan({}, [{ sim_fault: 'lost-response' }, { sim_fault: 'throttle-once' }]));
    expect(p?.state).toBe('RUNNING');
    expect(s.cloud.machines).toHaveLength(2);
    expect(s.cloud.duplicateAllocations()).toEqual([]);
  });

  it('ends DEGRADED when a host fails but the failure policy tolerates it', async () => {
    const { p } = await runCreate(s, simEdgePlan({ failurePolicy: { minHealthyHosts: 1 } }, [{}, { sim_fault: 'never-boots' }]));
    expect(p?.state).toBe('DEGRADED');
    expect(p?.hosts[1]).toMatchObject({ state: 'FAILED', failedStep: 'waitReady' });
    expect(p?.hosts[1]?.error?.errorName).toBe('HostNotReadyTimeoutError');
  });
});

describe('delete-provision machine', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('is refused while VMs run and succeeds with cleanup, releasing everything', async () => {
    const { p } = await runCreate(s);
    const id = p?.id ?? '';
    const hostId = p?.hosts[0]?.oneId ?? -1;
    s.memoryOne.vms.push({ id: 7, name: 'game-server', hostId, state: 3, lcmState: 3 });

    await expect(deleteProvision(s.deps, { owner: 'alice', id, cleanup: false })).rejects.toMatchObject({ name: 'VmsRunningError' });
    expect((await s.deps.store.get(id))?.state).toBe('RUNNING');

    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id, cleanup: true });
    const exec = await s.runner.wait(executionId ?? '');
    expect(exec?.status).toBe('SUCCEEDED');
    const after = await s.deps.store.get(id);
    expect(after?.state).toBe('DELETED');
    expect(after?.hosts.map((h) => h.state)).toEqual(['RELEASED', 'RELEASED']);
    expect(s.memoryOne.calls).toContain('terminate 7');
    expect(s.cloud.liveMachines()).toHaveLength(0);
    expect(s.cloud.liveAddresses()).toHaveLength(0);
    expect(s.memoryOne.objects.size).toBe(0);
    const types = s.bus.events.map((e) => e['detail-type']);
    expect(types.slice(-1)).toEqual(['Provision Deleted']);
    expect(types.filter((t) => t === 'Host Released')).toHaveLength(2);
  });

  it('refuses in the machine too when VMs appear after the API check', async () => {
    const { p } = await runCreate(s);
    const id = p?.id ?? '';
    s.memoryOne.vms.push({ id: 8, name: 'late', hostId: p?.hosts[1]?.oneId, state: 3, lcmState: 3 });
    const { executionId } = await s.deps.workflows.start('delete-provision', `delete-${id}`, { provisionId: id, cleanup: false });
    const exec = await s.runner.wait(executionId);
    expect(exec?.status).toBe('FAILED');
    expect((await s.deps.store.get(id))?.state).toBe('RUNNING');
  });
});
