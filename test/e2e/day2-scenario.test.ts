import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProvisionView } from '../../lambdas/api/views';
import type { HostInfo } from '../../lambdas/provisioning/day2/hosts';
import { SANDBOX_SSH_KEY } from '../../sandbox/sandbox';
import { expectEventsMatchSchemas } from '../support/event-schemas';
import { until } from '../support/until';
import { startStack } from './e2e-support';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'sim-edge.yml');

/**
 * The day-2 scenario on the full sandbox (simulated oned over XML-RPC,
 * simulated SSH hosts running the real roles), driven through edgectl:
 * create, scale out, power off and resume, add an IP, refuse and then
 * force-drain a scale-in of a host running a VM, delete.
 */
describe('day-2 operations end to end', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
    expectEventsMatchSchemas(stack.sandbox.bus.events);
  });

  // One provision goes through the steps in order.
  let id = '';
  const run = async (...argv: string[]) => {
    const res = await stack.edgectl(...argv);
    if (res.code !== 0) throw new Error(`edgectl ${argv.join(' ')} exited ${res.code}: ${res.stderr}`);
    return res;
  };
  const show = async () => JSON.parse((await run('show', id, '--json')).stdout) as ProvisionView;
  const hosts = async () => JSON.parse((await run('host', 'list', id, '--json')).stdout) as HostInfo[];

  it('creates the example and scales it out: 3 RUNNING hosts, each with the other two as FDB peers', async () => {
    const { sandbox } = stack;
    const created = await run('create', EXAMPLE, '--wait');
    id = created.stdout.trim().split('\n').at(-1) as string;
    expect((await show()).state).toBe('RUNNING');

    // Scale out by one: 3 RUNNING hosts, each with the other two as unicast VXLAN peers.
    const scaled = await run('scale', id, '--add', '1', '--wait');
    expect(scaled.stdout).toMatch(/edge-host2: RUNNING/);
    expect(scaled.stdout).toMatch(/SUCCEEDED; provision p-[0-9a-f]{12} is RUNNING/);
    const three = await show();
    expect(three.hosts.map((h) => `${h.name}:${h.state}`)).toEqual(['edge-host0:RUNNING', 'edge-host1:RUNNING', 'edge-host2:RUNNING']);
    const keyFile = join(mkdtempSync(join(tmpdir(), 'edge-key-')), 'id');
    writeFileSync(keyFile, (await sandbox.deps.secrets.get(`local:${SANDBOX_SSH_KEY}`))['privateKey'] ?? '', { mode: 0o600 });
    // The overlay device takes OpenNebula's vxlan name, <PHYDEV>.<VNI>; a simulated host's underlay NIC is eth0.
    for (const h of three.hosts) {
      const fdb = await run('host', 'ssh', id, h.name, '--identity', keyFile, '--', 'bridge', 'fdb', 'show', 'dev', 'eth0.4242');
      const peers = fdb.stdout.split('\n').map((line) => /dst (\S+)/.exec(line)?.[1]);
      const others = three.hosts.filter((o) => o.index !== h.index).map((o) => o.privateIp);
      expect({ host: h.name, peers: peers.filter(Boolean).sort() }).toEqual({ host: h.name, peers: others.sort() });
    }
  });

  it('powers a host off and resumes it: OFF and OFFLINE in OpenNebula, then RUNNING and MONITORED', async () => {
    await run('host', 'poweroff', id, 'edge-host2', '--wait');
    expect((await hosts()).find((h) => h.name === 'edge-host2')).toMatchObject({ state: 'OFF', oneState: 'OFFLINE' });
    await run('host', 'resume', id, 'edge-host2', '--wait');
    expect((await hosts()).find((h) => h.name === 'edge-host2')).toMatchObject({ state: 'RUNNING', oneState: 'MONITORED' });
  });

  it('adds a public IP as a size-1 address range on the public vnet', async () => {
    const { sandbox } = stack;
    const before = (await show()).hosts.flatMap((h) => h.publicIps);
    await run('ip', 'add', id, '1', '--wait');
    const withIp = await show();
    const added = withIp.hosts.flatMap((h) => h.publicIps).filter((ip) => !before.includes(ip));
    expect(added).toHaveLength(1);
    const publicNet = withIp.networks.find((n) => n.role === 'public');
    const vnet = sandbox.oned?.snapshot().vnets.find((v) => v.id === publicNet?.oneId);
    expect(vnet?.addressRanges.map((ar) => new Map(ar.attributes).get('IP'))).toContain(added[0]);
  });

  it('refuses to scale in a host running a VM; drained with force, the host goes with its machine and IPs', async () => {
    const { edgectl, sandbox } = stack;
    const withIp = await show();
    const host1 = withIp.hosts.find((h) => h.name === 'edge-host1') as ProvisionView['hosts'][number];
    const vmId = sandbox.oned?.seedVm(host1.oneId as number, { name: 'game-server' });
    const refused = await edgectl('scale', id, '--remove', 'edge-host1', '--wait');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${vmId} (game-server)`);
    const drained = await run('scale', id, '--remove', 'edge-host1', '--drain', '--force', '--wait');
    expect(drained.stdout).toMatch(/edge-host1: RELEASED/);
    const two = await show();
    expect(two.state).toBe('RUNNING');
    expect(two.hosts.filter((h) => h.state !== 'RELEASED').map((h) => `${h.name}:${h.state}`)).toEqual([
      'edge-host0:RUNNING',
      'edge-host2:RUNNING',
    ]);
    expect(sandbox.cloud.machines.find((m) => m.providerId === host1.providerId)?.status).toBe('terminated');
    const live = sandbox.cloud.liveAddresses(id).map((a) => a.address);
    for (const ip of host1.publicIps) expect(live).not.toContain(ip);
    expect(sandbox.oned?.snapshot().vms.find((vm) => vm.id === vmId)?.state).toBe(6);
    // show lists the recent operations, newest first, the refused one not among them.
    const shown = (await run('show', id)).stdout;
    expect(shown).toMatch(/operation: {2}-/);
    const ops = shown
      .split('recent operations:\n')[1]
      ?.split('\n')
      .map((l) => l.trim().split(/\s+/).slice(1).join(' '));
    expect(ops).toEqual([
      'SUCCEEDED remove edge-host1',
      'SUCCEEDED add 1 public IP(s)',
      'SUCCEEDED resume edge-host2',
      'SUCCEEDED poweroff edge-host2',
      'SUCCEEDED add 1 host(s)',
    ]);
  });

  it('deletes with cleanup to nothing at the provider, the IPAM or OpenNebula; the events tell each operation', async () => {
    const { sandbox } = stack;
    await run('delete', id, '--cleanup', '--wait');
    expect((await show()).state).toBe('DELETED');
    expect(sandbox.cloud.liveMachines(id)).toEqual([]);
    expect(sandbox.cloud.liveAddresses(id)).toEqual([]);
    const left = sandbox.oned?.snapshot();
    expect([left?.hosts.length, left?.vnets.length, left?.clusters.filter((c) => c.id >= 100).length]).toEqual([0, 0, 0]);
    // The state changes a moment before the event announcing it is logged.
    const types = await until(
      async () => new Set((await stack.client.events(id, { limit: 1000 })).items.map((e) => e.type)),
      (seen) => seen.has('Provision Deleted'),
    );
    for (const t of [
      'Host Added',
      'Host Powered Off',
      'Host Resumed',
      'Ip Added',
      'Host Removed',
      'Operation Succeeded',
      'Provision Deleted',
    ]) {
      expect(types).toContain(t);
    }
  });
});
