import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { addIps, removeIp } from '../../lambdas/provisioning/day2/ips';
import { IpamExhaustedError, ProviderAuthError } from '../../lambdas/shared/errors';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

async function running(s: S) {
  const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
  await s.runner.wait(p.executionId ?? '');
  return (await s.deps.store.get(p.id))!;
}

const eventsOf = (s: S, id: string, type: string) =>
  s.bus.events.filter((e) => e.detail['provisionId'] === id && e['detail-type'] === type).map((e) => e.detail);
const publicRanges = (s: S) => [...s.memoryOne.ranges(s.memoryOne.byName('network', 'sim-edge-public')!.id).values()].map((ar) => ar.ip);

describe('ip-action machine', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('adds a public IP as creation does and removes it again; the descriptor count follows', async () => {
    const p = await running(s);
    const added = await addIps(s.deps, { owner: 'alice', id: p.id, count: 1 });
    expect((await s.runner.wait(added.executionId))?.status).toBe('SUCCEEDED');
    const after = (await s.deps.store.get(p.id))!;
    const ips = after.hosts.flatMap((h) => h.publicIps);
    expect(ips).toHaveLength(3);
    const fresh = ips.find((ip) => ip.operationId === added.operation.id)!;
    expect(fresh.arId).toEqual(expect.any(Number));
    expect(publicRanges(s)).toContain(fresh.address);
    expect(s.cloud.liveAddresses(p.id)).toHaveLength(3);
    expect(after.plan.networks.find((n) => n.role === 'public')?.publicIps).toBe(3);
    expect(eventsOf(s, p.id, 'Ip Added')).toEqual([expect.objectContaining({ address: fresh.address, network: 'sim-edge-public' })]);

    const removed = await removeIp(s.deps, { owner: 'alice', id: p.id, address: fresh.address });
    expect((await s.runner.wait(removed.executionId))?.status).toBe('SUCCEEDED');
    const final = (await s.deps.store.get(p.id))!;
    expect(final.hosts.flatMap((h) => h.publicIps.map((ip) => ip.address))).not.toContain(fresh.address);
    expect(publicRanges(s)).not.toContain(fresh.address);
    expect(s.cloud.liveAddresses(p.id)).toHaveLength(2);
    expect(final.plan.networks.find((n) => n.role === 'public')?.publicIps).toBe(2);
    expect(eventsOf(s, p.id, 'Ip Removed')).toHaveLength(1);
    await expect(removeIp(s.deps, { owner: 'alice', id: p.id, address: fresh.address })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses to remove an IP leased to a VM', async () => {
    const p = await running(s);
    const ip = p.hosts[0]!.publicIps[0]!;
    const vnet = s.memoryOne.byName('network', 'sim-edge-public')!;
    s.memoryOne.vms.push({
      id: 5,
      name: 'web',
      hostId: p.hosts[0]!.oneId,
      state: 3,
      lcmState: 3,
      nics: [{ networkId: vnet.id, address: ip.address }],
    });
    await expect(removeIp(s.deps, { owner: 'alice', id: p.id, address: ip.address })).rejects.toMatchObject({
      name: 'IpInUseError',
      message: expect.stringContaining('VM 5'),
    });
    expect((await s.deps.store.get(p.id))?.operation).toBeUndefined();
  });

  it('releases what a failed ip add leased and leaves the others', async () => {
    const p = await running(s);
    s.cloud.injectApiFault('AssociateAddress', () => new IpamExhaustedError('no route for the address'));
    const { executionId } = await addIps(s.deps, { owner: 'alice', id: p.id, count: 2 });
    expect((await s.runner.wait(executionId))?.status).toBe('FAILED');
    const after = (await s.deps.store.get(p.id))!;
    expect(after.hosts.flatMap((h) => h.publicIps.map((ip) => ip.address)).sort()).toEqual(
      p.hosts.flatMap((h) => h.publicIps.map((ip) => ip.address)).sort(),
    );
    expect(s.cloud.liveAddresses(p.id)).toHaveLength(2);
    expect(publicRanges(s)).toHaveLength(2);
    expect(after.plan.networks.find((n) => n.role === 'public')?.publicIps).toBe(2);
    expect(eventsOf(s, p.id, 'Operation Failed')[0]).toMatchObject({ errorName: 'IpamExhaustedError', undone: true, step: 'ipAdd' });
  });

  it('puts an IP back on its vnet when its release fails after the range was removed', async () => {
    const p = await running(s);
    const ip = p.hosts[1]!.publicIps[0]!;
    s.cloud.injectApiFault('ReleaseAddress', () => new ProviderAuthError('credentials expired'));
    const { executionId } = await removeIp(s.deps, { owner: 'alice', id: p.id, address: ip.address });
    expect((await s.runner.wait(executionId))?.status).toBe('FAILED');
    const after = (await s.deps.store.get(p.id))!;
    const kept = after.hosts[1]!.publicIps.find((x) => x.address === ip.address);
    expect(kept?.arId).toEqual(expect.any(Number));
    expect(publicRanges(s)).toContain(ip.address);
    expect(s.cloud.liveAddresses(p.id).map((a) => a.address)).toContain(ip.address);
    expect(eventsOf(s, p.id, 'Operation Failed')[0]).toMatchObject({ errorName: 'ProviderAuthError', undone: true });
  });
});
