import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { hostAction } from '../../lambdas/provisioning/day2/host-action';
import { ProviderAuthError } from '../../lambdas/shared/errors';
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

describe('host-action machine', () => {
  let s: S;
  beforeEach(async () => {
    s = await startMemorySandbox();
  });
  afterEach(async () => {
    await s.close();
  });

  it('powers a host off and resumes it through the provider and OpenNebula; reboots it softly and hard', async () => {
    const p = await running(s);
    const host = p.hosts[1]!;
    const act = async (action: 'poweroff' | 'reboot' | 'resume', extra: { hard?: boolean } = {}) => {
      const { executionId } = await hostAction(s.deps, { owner: 'alice', id: p.id, host: 'edge-host1', action, ...extra });
      expect((await s.runner.wait(executionId))?.status).toBe('SUCCEEDED');
      return (await s.deps.store.get(p.id))!;
    };

    const off = await act('poweroff');
    expect([off.state, off.hosts[1]?.state, off.operation]).toEqual(['RUNNING', 'OFF', undefined]);
    expect(s.cloud.machines.find((m) => m.providerId === host.providerId)?.status).toBe('stopped');
    expect(await s.memoryOne.hostState(host.oneId!)).toBe('OFFLINE');
    expect(eventsOf(s, p.id, 'Host Powered Off')).toEqual([expect.objectContaining({ host: 'edge-host1', vmsPoweredOff: [] })]);
    await expect(hostAction(s.deps, { owner: 'alice', id: p.id, host: 'edge-host1', action: 'poweroff' })).rejects.toMatchObject({
      name: 'InvalidStateError',
      message: 'host edge-host1 is OFF; poweroff needs a RUNNING host',
    });

    const back = await act('resume');
    expect(back.hosts[1]?.state).toBe('RUNNING');
    expect(s.cloud.machines.find((m) => m.providerId === host.providerId)?.status).toBe('running');
    expect(await s.memoryOne.hostState(host.oneId!)).toBe('MONITORED');
    expect(eventsOf(s, p.id, 'Host Resumed')).toHaveLength(1);
    await expect(hostAction(s.deps, { owner: 'alice', id: p.id, host: '1', action: 'resume' })).rejects.toMatchObject({
      message: 'host edge-host1 is RUNNING; resume needs an OFF host',
    });

    const stops = () => s.cloud.calls.get('StopInstances') ?? 0;
    const before = stops();
    expect((await act('reboot')).hosts[1]?.state).toBe('RUNNING');
    expect(stops()).toBe(before);
    expect((await act('reboot', { hard: true })).hosts[1]?.state).toBe('RUNNING');
    expect(stops()).toBe(before + 1);
    expect(eventsOf(s, p.id, 'Host Rebooted').map((d) => d['hard'])).toEqual([false, true]);
    expect(s.memoryOne.calls.filter((c) => c === `status ${host.oneId} offline`)).toHaveLength(3);
  });

  it('refuses to power off a host running VMs unless forced, then pauses them and resumes them with the host', async () => {
    const p = await running(s);
    const host = p.hosts[0]!;
    s.memoryOne.vms.push({ id: 21, name: 'db', hostId: host.oneId, state: 3, lcmState: 3 });
    await expect(hostAction(s.deps, { owner: 'alice', id: p.id, host: 'edge-host0', action: 'poweroff' })).rejects.toMatchObject({
      name: 'VmsRunningError',
      message: expect.stringContaining('21 (db)'),
    });
    const off = await hostAction(s.deps, { owner: 'alice', id: p.id, host: 'edge-host0', action: 'poweroff', force: true });
    expect((await s.runner.wait(off.executionId))?.status).toBe('SUCCEEDED');
    expect(s.memoryOne.vms[0]).toMatchObject({ state: 8 });
    expect((await s.deps.store.get(p.id))?.hosts[0]).toMatchObject({ state: 'OFF', pausedVms: [21] });
    expect(eventsOf(s, p.id, 'Host Powered Off')[0]).toMatchObject({ vmsPoweredOff: [21] });

    const on = await hostAction(s.deps, { owner: 'alice', id: p.id, host: 'edge-host0', action: 'resume' });
    expect((await s.runner.wait(on.executionId))?.status).toBe('SUCCEEDED');
    expect(s.memoryOne.vms[0]).toMatchObject({ state: 3 });
    expect((await s.deps.store.get(p.id))?.hosts[0]?.pausedVms).toBeUndefined();
    expect(eventsOf(s, p.id, 'Host Resumed')[0]).toMatchObject({ vmsResumed: [21] });
  });

  it('puts a host back as the provider sees it when the provider refuses midway: RUNNING and enabled', async () => {
    const p = await running(s);
    const host = p.hosts[1]!;
    s.cloud.injectApiFault('StopInstances', () => new ProviderAuthError('not allowed to stop instances'));
    const { executionId } = await hostAction(s.deps, { owner: 'alice', id: p.id, host: 'edge-host1', action: 'poweroff' });
    expect((await s.runner.wait(executionId))?.status).toBe('FAILED');
    const after = (await s.deps.store.get(p.id))!;
    expect([after.state, after.hosts[1]?.state, after.operation]).toEqual(['RUNNING', 'RUNNING', undefined]);
    expect(s.memoryOne.calls).toEqual(expect.arrayContaining([`status ${host.oneId} disabled`, `status ${host.oneId} enabled`]));
    expect(await s.memoryOne.hostState(host.oneId!)).toBe('MONITORED');
    expect(after.operations?.[0]).toMatchObject({ kind: 'host-action', outcome: 'FAILED', error: { errorName: 'ProviderAuthError' } });
    expect(eventsOf(s, p.id, 'Operation Failed')[0]).toMatchObject({ undone: true, step: 'power' });
  });
});
