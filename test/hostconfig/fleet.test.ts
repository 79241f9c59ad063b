import { existsSync } from 'node:fs';

import type { HostTarget } from '../../lambdas/provisioning/ports/host-configurator';
import { createSimHostFleet } from '../../sandbox/hosts/fleet';
import { readFdbPeers } from '../../sandbox/hosts/root';
import { clientKey, fastConfigurator, requestFor } from './helpers';

const fleet = createSimHostFleet({ authorizedKey: clientKey.public });
afterAll(() => fleet.stopAll());

const ids = ['i-1', 'i-2', 'i-3', 'i-4'];
const underlay = (id: string) => fleet.get(id)?.underlay ?? 'not started';

async function targets(count: number): Promise<HostTarget[]> {
  return Promise.all(
    ids.slice(0, count).map(async (id, i) => {
      const endpoint = await fleet.start(id, `edge-${i}`);
      return {
        provisionId: 'p-1',
        hostName: `edge-${i}`,
        address: endpoint.address,
        port: endpoint.port,
        user: 'root',
        hostKey: endpoint.hostKey,
      };
    }),
  );
}

describe('SimHostFleet', () => {
  it('starts one host per provider id and returns the same one again', async () => {
    const a = await fleet.start('i-1', 'edge-0');
    const b = await fleet.start('i-1', 'edge-0');
    expect(b).toEqual(a);
    expect(a.hostKey).toMatch(/^ssh-ed25519 /);
  });

  it('stops a host and removes its root; unknown ids succeed', async () => {
    await fleet.start('i-9', 'edge-9');
    const root = fleet.get('i-9')?.root ?? '';
    await fleet.stop('i-9');
    await fleet.stop('i-unknown');
    expect(existsSync(root)).toBe(false);
  });
});

describe('SshHostConfigurator across hosts', () => {
  it('configures hosts in parallel, never more than maxConcurrency at once', async () => {
    const all = await targets(4);
    const configurator = fastConfigurator({ maxConcurrency: 2 });
    const results = await Promise.all(
      all.map((target) => configurator.configure(requestFor(target, { fromRole: 'facts' }), () => undefined)),
    );
    expect(results.every((r) => r.done)).toBe(true);
    const connections = ids.flatMap((id) => fleet.get(id)?.connections() ?? []);
    const overlapAt = (t: number) => connections.filter((s) => s.openedAt <= t && (s.closedAt ?? Infinity) > t).length;
    // Parallel, and bounded.
    expect(Math.max(...connections.map((s) => overlapAt(s.openedAt)))).toBe(2);
  });

  it('converges the unicast peer set on every host after scale out and in', async () => {
    const all = await targets(3);
    const configurator = fastConfigurator();
    const overlay = { mode: 'vxlan' as const, vni: 4242 };
    // Pipelined: each host was configured knowing only the hosts before it.
    for (const [i, target] of all.entries()) {
      await configurator.configure(requestFor(target, { fromRole: 'overlay', peers: ids.slice(0, i).map(underlay) }), () => undefined);
    }
    expect(readFdbPeers(fleet.get('i-1')?.root ?? '', 'eth0.4242')).toEqual([]);

    const everyone = ids.slice(0, 3).map(underlay);
    await Promise.all(all.map((target) => configurator.setPeers(target, everyone, overlay)));
    for (const id of ids.slice(0, 3))
      expect(readFdbPeers(fleet.get(id)?.root ?? '', 'eth0.4242')).toEqual(everyone.filter((ip) => ip !== underlay(id)));

    // Scale in: i-3 leaves.
    const remaining = ids.slice(0, 2).map(underlay);
    await Promise.all(all.slice(0, 2).map((target) => configurator.setPeers(target, remaining, overlay)));
    expect(readFdbPeers(fleet.get('i-1')?.root ?? '', 'eth0.4242')).toEqual([underlay('i-2')]);
    expect(fleet.get('i-1')?.calls()).toContain(`bridge fdb del 00:00:00:00:00:00 dev eth0.4242 dst ${underlay('i-3')}`);
  });
});
