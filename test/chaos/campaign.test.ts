import { runCampaign, type RunResult } from '../../chaos/campaign';
import { audit, eventFindings } from '../../chaos/audit';
import { Rng, runSeed } from '../../chaos/rng';
import { drawFaults, FAULT_KINDS } from '../../chaos/schedule';
import { loadDescriptorFile, MemorySecretStore } from '../../lambdas/descriptor';
import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { simHosts, simOpenNebula } from '../../sandbox/defaults';
import { startSandbox } from '../../sandbox/sandbox';

describe('chaos campaign', () => {
  it('leaves no host, IP or OpenNebula object behind and nothing stuck or bought twice, under every kind of seeded fault', async () => {
    const lines: RunResult[] = [];
    const runs = 30;
    const summary = await runCampaign({ runs, seed: 20261203, hosts: 1, concurrency: 3, timeScale: 0.0002 }, (r) => lines.push(r));
    expect(lines.map((l) => l.run).sort((a, b) => a - b)).toEqual(Array.from({ length: runs }, (_, i) => i));
    expect(lines.filter((l) => l.faults.length === 0 || l.path[l.path.length - 1] !== 'DELETED')).toEqual([]);
    expect(summary).toEqual({
      runs,
      seed: 20261203,
      leakedHosts: 0,
      leakedIps: 0,
      leakedOneObjects: 0,
      stuck: 0,
      duplicateAllocations: 0,
      failedInvariant: [],
    });
    // Every kind of fault was drawn, the sandbox was really killed and restarted, and its successor resumed executions.
    const drawn = new Set(lines.flatMap((l) => [...l.faults, ...(l.scaleFaults ?? [])]));
    expect(FAULT_KINDS.filter((k) => !drawn.has(k))).toEqual([]);
    expect(lines.reduce((n, l) => n + l.kills, 0)).toBeGreaterThan(0);
    expect(lines.reduce((n, l) => n + l.resumed, 0)).toBeGreaterThan(0);
    // Some provisions grew by a host before they were deleted.
    expect(lines.filter((l) => l.path.some((s) => s.startsWith('scaled:'))).length).toBeGreaterThan(0);
  }, 180_000);

  it('replays one run of a seed alone when asked to start from it', async () => {
    const lines: RunResult[] = [];
    const summary = await runCampaign({ runs: 1, from: 25, seed: 1203, hosts: 1 }, (r) => lines.push(r));
    expect([summary.runs, lines.map((l) => l.run)]).toEqual([1, [25]]);
    expect(lines[0]?.faults).toEqual(drawFaults(new Rng(runSeed(1203, 25)), ['chaos-r25-h0'], 0.0005).map((f) => f.kind));
  }, 60_000);

  it('draws the same fault schedule from the same seed and run, and another from another run', () => {
    const draw = (run: number) => drawFaults(new Rng(runSeed(42, run)), ['h0', 'h1'], 0.001);
    expect(draw(3)).toEqual(draw(3));
    expect([0, 1, 2, 3, 4, 5].map((r) => JSON.stringify(draw(r))).every((d, _, all) => all.indexOf(d) === all.lastIndexOf(d))).toBe(true);
  });
});

describe('audit', () => {
  it('counts the hosts, IPs and OpenNebula objects of a provision the store says is gone, and names them', async () => {
    const timeScale = 0.0005;
    const sandbox = await startSandbox({ timeScale, openNebula: simOpenNebula(timeScale), hostConfigurator: simHosts() });
    try {
      const loaded = await loadDescriptorFile('examples/sim-edge.yml', { secretStore: new MemorySecretStore() });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      const id = newProvisionId();
      const p = await createProvision(sandbox.deps, { id, owner: 'chaos', plan: loaded.plan });
      await sandbox.runner.wait(p.executionId ?? '');
      expect((await sandbox.deps.store.get(id))?.state).toBe('RUNNING');
      expect((await audit(sandbox, id, loaded.plan, [])).failedInvariant).toEqual([]);

      // The store forgets the provision while everything it bought is still there.
      await sandbox.deps.store.transition(id, ['RUNNING'], 'DELETED', {});
      const found = await audit(sandbox, id, loaded.plan, []);
      expect(found).toMatchObject({ leakedHosts: 2, leakedIps: 2, stuck: 0 });
      // Cluster, 2 datastores, 3 vnets, 2 hosts.
      expect(found.leakedOneObjects).toBe(8);
      expect(found.failedInvariant).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^leaked hosts: .*edge-host0 .*/),
          expect.stringMatching(/^orphaned OpenNebula objects: cluster sim-edge/),
        ]),
      );
    } finally {
      await sandbox.close();
    }
  });
});

describe('eventFindings', () => {
  const ev = (type: string, address?: string) => ({
    id: type,
    source: 'edge-provisioner',
    'detail-type': type,
    time: '2026-12-03T00:00:00.000Z',
    detail: { provisionId: 'p-1', ...(address ? { address, host: 'h0', index: 0, network: 'public' } : {}) },
  });

  it('accepts an address released, leased again by a retry and released again', () => {
    const events = [
      ev('Ip Assigned', '203.0.113.14'),
      ev('Ip Released', '203.0.113.14'),
      ev('Provision Failed'),
      ev('Ip Assigned', '203.0.113.14'),
      ev('Ip Released', '203.0.113.14'),
      ev('Provision Deleted'),
    ];
    expect(eventFindings(events, 'DELETED')).toEqual([]);
  });

  it('names an address released twice for one assignment, an event after Provision Deleted, and a DELETED provision without one', () => {
    expect(
      eventFindings([ev('Ip Assigned', '203.0.113.4'), ev('Ip Released', '203.0.113.4'), ev('Ip Released', '203.0.113.4')], 'RUNNING'),
    ).toEqual(['Ip Released 2 times for 203.0.113.4 after 1 assignment(s)']);
    expect(eventFindings([ev('Provision Deleted'), ev('Host Released')], 'DELETED')).toEqual([
      'events after Provision Deleted: Host Released',
    ]);
    expect(eventFindings([ev('Provision Deleting')], 'DELETED')).toEqual(['DELETED without a Provision Deleted event']);
  });
});
