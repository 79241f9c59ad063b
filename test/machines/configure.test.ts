import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { configureProvision } from '../../lambdas/provisioning/day2/configure';
import { RecordingConfigurator } from '../fakes/recording-configurator';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

async function created(s: S, plan = simEdgePlan()) {
  const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan });
  await s.runner.wait(p.executionId ?? '');
  return (await s.deps.store.get(p.id))!;
}

const eventsOf = (s: S, id: string, type: string) =>
  s.bus.events.filter((e) => e.detail['provisionId'] === id && e['detail-type'] === type).map((e) => e.detail);

describe('configure-provision machine', () => {
  let s: S;
  afterEach(async () => {
    await s.close();
  });

  it('runs every role again on live hosts with force, and refuses without it when every host is configured', async () => {
    s = await startMemorySandbox();
    const p = await created(s);
    await expect(configureProvision(s.deps, { owner: 'alice', id: p.id })).rejects.toMatchObject({
      name: 'InvalidStateError',
      message: expect.stringContaining('configure with force'),
    });
    const calls = s.configurator.configured.length;
    const { executionId } = await configureProvision(s.deps, { owner: 'alice', id: p.id, force: true, hosts: ['edge-host1'] });
    expect((await s.runner.wait(executionId))?.status).toBe('SUCCEEDED');
    const reconfigured = s.configurator.configured.slice(calls);
    expect(reconfigured.map((c) => c.target.hostName)).toEqual(['edge-host1', 'edge-host1', 'edge-host1']);
    expect(reconfigured[0]?.fromRole).toBeUndefined();
    const after = (await s.deps.store.get(p.id))!;
    expect([after.state, after.hosts.map((h) => h.state), after.operation]).toEqual(['RUNNING', ['RUNNING', 'RUNNING'], undefined]);
    expect(eventsOf(s, p.id, 'Host Configured').filter((d) => d['host'] === 'edge-host1')).toHaveLength(2);
    expect(eventsOf(s, p.id, 'Operation Succeeded')[0]).toMatchObject({ kind: 'configure', state: 'RUNNING' });
  });

  it('resumes a host whose configuration failed at its failed role, and the provision is RUNNING again', async () => {
    s = await startMemorySandbox({
      configurator: new RecordingConfigurator({ rolesPerCall: 3, failHost: 'edge-host1', failRole: 'firewall', failTimes: 1 }),
    });
    const p = await created(s, simEdgePlan({ failurePolicy: { minHealthyHosts: 1 } }));
    expect([p.state, p.hosts[1]?.state, p.hosts[1]?.failedStep, p.hosts[1]?.nextRole]).toEqual([
      'DEGRADED',
      'FAILED',
      'configure',
      'firewall',
    ]);
    const calls = s.configurator.configured.length;
    const { executionId } = await configureProvision(s.deps, { owner: 'alice', id: p.id });
    expect((await s.runner.wait(executionId))?.status).toBe('SUCCEEDED');
    expect(s.configurator.configured[calls]).toMatchObject({ target: { hostName: 'edge-host1' }, fromRole: 'firewall' });
    const after = (await s.deps.store.get(p.id))!;
    expect([after.state, after.hosts[1]?.state, after.hosts[1]?.oneId]).toEqual(['RUNNING', 'RUNNING', expect.any(Number)]);
    expect(s.configurator.peerSets.get('edge-host0')).toEqual([after.hosts[1]?.privateIp]);
  });

  it('records a host that fails reconfiguration as FAILED and the provision DEGRADED', async () => {
    const configurator = new RecordingConfigurator({ rolesPerCall: 8 });
    s = await startMemorySandbox({ configurator });
    const p = await created(s);
    configurator.failFrom('edge-host0', 'overlay');
    const { executionId } = await configureProvision(s.deps, { owner: 'alice', id: p.id, force: true });
    expect((await s.runner.wait(executionId))?.status).toBe('FAILED');
    const after = (await s.deps.store.get(p.id))!;
    expect([after.state, after.hosts[0]?.state, after.hosts[0]?.failedStep, after.hosts[1]?.state]).toEqual([
      'DEGRADED',
      'FAILED',
      'configure',
      'RUNNING',
    ]);
    expect(eventsOf(s, p.id, 'Operation Failed')[0]).toMatchObject({ errorName: 'RoleFailedError', step: 'configure', undone: false });
    expect(after.operations?.[0]).toMatchObject({ kind: 'configure', outcome: 'FAILED' });
  });
});
