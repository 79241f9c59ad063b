import type { OpenNebulaAdapter } from '../../lambdas/opennebula/adapter';
import { deregisterProvision } from '../../lambdas/opennebula/deregistration';
import { createOpenNebulaPort } from '../../lambdas/opennebula';
import { OneActionError, OneNameConflictError, OneNoExistsError } from '../../lambdas/opennebula/errors';
import { registerProvision, type RegistrationInput } from '../../lambdas/opennebula/registration';
import { VmsRunningError } from '../../lambdas/shared/errors';
import type { SimOned } from '../../sandbox/oned';
import { adapterOf, clientOf, startFastSim } from './helpers';

const POLL = { intervalMs: 5, timeoutMs: 5000 };

function edge(provisionId: string, hosts = 2): RegistrationInput {
  return {
    provisionId,
    cluster: { name: `${provisionId}-cluster`, attributes: { DESCRIPTION: 'edge' }, datastoreIds: [1] },
    datastores: [
      { name: `${provisionId}-image`, type: 'image_ds', attributes: { DS_MAD: 'fs', TM_MAD: 'ssh', SAFE_DIRS: '/var/tmp /tmp' } },
      { name: `${provisionId}-system`, type: 'system_ds', attributes: { TM_MAD: 'ssh', SAFE_DIRS: '/var/tmp /tmp' } },
    ],
    networks: [
      {
        name: `${provisionId}-public`,
        vnMad: 'bridge',
        attributes: { BRIDGE: 'br0', NETROLE: 'public' },
        addressRanges: [{ type: 'IP4', ip: '203.0.113.10', size: 1, attributes: {} }],
      },
      {
        name: `${provisionId}-private`,
        vnMad: 'vxlan',
        attributes: { PHYDEV: 'eth0', AUTOMATIC_VLAN_ID: 'YES' },
        addressRanges: [{ type: 'IP4', ip: '10.10.0.1', size: 250, attributes: {} }],
      },
      { name: `${provisionId}-tmpl`, vnMad: 'vxlan', attributes: {}, addressRanges: [], template: true },
    ],
    hosts: Array.from({ length: hosts }, (_, i) => ({
      name: `${provisionId}-host-${i}`,
      imMad: 'kvm',
      vmMad: 'kvm',
      attributes: { RESERVED_CPU: '100' },
    })),
  };
}

describe('OpenNebulaAdapter (OpenNebulaPort) against the simulated oned', () => {
  let sim: SimOned;
  let port: OpenNebulaAdapter;

  beforeEach(async () => {
    sim = await startFastSim();
    port = adapterOf(sim);
  });
  afterEach(async () => {
    port.close();
    await sim.close();
  });

  const deletes = () => sim.calls.filter((c) => /\.delete$/.test(c.method)).map((c) => c.method);

  describe('registration', () => {
    it('registers cluster, datastores, vnets, VN templates and hosts, every one tagged with the provision', async () => {
      const ids = await registerProvision(port, edge('p1'), POLL);
      expect(ids.clusterId).toBe(100);
      expect(Object.values(ids.datastores)).toEqual([100, 101]);
      expect(Object.keys(ids.networks)).toEqual(['p1-public', 'p1-private']);
      const state = sim.snapshot();
      expect(state.hosts.map((h) => [h.name, h.clusterId])).toEqual([
        ['p1-host-0', 100],
        ['p1-host-1', 100],
      ]);
      expect(state.datastores.find((d) => d.id === 1)?.clusterIds).toEqual([0, 100]);
      expect(state.vnets.map((v) => v.state)).toEqual([1, 1]);
      const found = await port.findByProvision('p1');
      expect(found).toEqual({
        clusters: [{ id: 100, name: 'p1-cluster' }],
        datastores: [
          { id: 100, name: 'p1-image' },
          { id: 101, name: 'p1-system' },
        ],
        networks: [
          { id: 0, name: 'p1-public' },
          { id: 1, name: 'p1-private' },
        ],
        hosts: [
          { id: 0, name: 'p1-host-0' },
          { id: 1, name: 'p1-host-1' },
        ],
        vnTemplates: [{ id: 0, name: 'p1-tmpl' }],
        vmTemplates: [],
        images: [],
      });
      const host = await clientOf(sim).host.info(0);
      // What OpenNebula's elastic driver looks up: PROVISION/ID (6.10) and ONEFORM/PROVISION_ID (7.x).
      expect(host.template).toMatchObject({
        PROVISION_ID: 'p1',
        PROVISION: expect.objectContaining({ ID: 'p1', HOSTNAME: 'p1-host-0' }),
        ONEFORM: expect.objectContaining({ PROVISION_ID: 'p1' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await port.hostState(0)).toBe('MONITORED');
    });

    it('returns the same objects when run twice, creating no duplicates', async () => {
      const first = await registerProvision(port, edge('p2'), POLL);
      const before = sim.snapshot();
      const second = await registerProvision(port, edge('p2'), POLL);
      expect(second).toEqual(first);
      const after = sim.snapshot();
      expect(after.lastOid).toEqual(before.lastOid);
      for (const kind of ['clusters', 'hosts', 'datastores', 'vnets'] as const) {
        expect(after[kind].map((o) => o.id)).toEqual(before[kind].map((o) => o.id));
      }
    });

    it('reuses an object whose allocate answer was lost', async () => {
      sim.faults.dropConnection('one.datastore.allocate', { when: 'after' });
      const input = { name: 'lost-ds', provisionId: 'p3', type: 'system_ds' as const, attributes: { TM_MAD: 'ssh' }, clusterId: 0 };
      await expect(port.ensureDatastore(input)).rejects.toMatchObject({ name: 'OneUnreachableError' });
      await expect(port.ensureDatastore(input)).resolves.toBe(100);
      expect(sim.snapshot().datastores.filter((d) => d.name === 'lost-ds')).toHaveLength(1);
    });

    it('finds the existing object by name when the duplicate message does not name it', async () => {
      const first = await port.ensureHost({
        name: 'h-byname',
        provisionId: 'p17',
        imMad: 'kvm',
        vmMad: 'kvm',
        clusterId: 0,
      });
      sim.faults.failCall('one.host.allocate', { code: 0x2000, message: '[one.host.allocate] NAME is already taken.' });
      await expect(port.ensureHost({ name: 'h-byname', provisionId: 'p17', imMad: 'kvm', vmMad: 'kvm', clusterId: 0 })).resolves.toBe(
        first,
      );
    });

    it('adopts a cluster left untagged by an interrupted run but refuses one of another provision', async () => {
      const one = clientOf(sim);
      const orphan = await one.cluster.allocate('half-done');
      await expect(port.ensureCluster({ name: 'half-done', provisionId: 'p4' })).resolves.toBe(orphan);
      await port.tagCluster(orphan, { provisionId: 'p4', attributes: {} });
      await expect(port.ensureCluster({ name: 'half-done', provisionId: 'p5' })).rejects.toThrow(
        new OneNameConflictError(`OpenNebula cluster "half-done" (${orphan}) already exists and is tagged with provision p4`),
      );
      one.close();
    });

    it('adopts an untagged host only in the wanted cluster and without VMs', async () => {
      const one = clientOf(sim);
      const cluster = await port.ensureCluster({ name: 'c-adopt', provisionId: 'p6' });
      const mine = await one.host.allocate('h-adopt', 'kvm', 'kvm', cluster);
      const spec = { name: 'h-adopt', provisionId: 'p6', imMad: 'kvm', vmMad: 'kvm', clusterId: cluster };
      await expect(port.ensureHost(spec)).resolves.toBe(mine);
      await one.host.allocate('h-foreign', 'kvm', 'kvm', 0);
      await expect(port.ensureHost({ ...spec, name: 'h-foreign' })).rejects.toBeInstanceOf(OneNameConflictError);
      one.close();
    });

    it('refuses a datastore or vnet of the same name that is not tagged (their tag comes with allocate)', async () => {
      const one = clientOf(sim);
      await one.vn.allocate('NAME = "someone-elses"\nVN_MAD = "bridge"', 0);
      await expect(
        port.ensureNetwork({ name: 'someone-elses', provisionId: 'p7', vnMad: 'bridge', attributes: {}, addressRanges: [], clusterId: 0 }),
      ).rejects.toThrow(/virtual network "someone-elses" \(0\) already exists and is not tagged/);
      one.close();
    });

    it('reports a vnet whose address range the driver refused as ERROR', async () => {
      const input = edge('p8', 0);
      input.networks = [
        { name: 'p8-bad', vnMad: 'bridge', attributes: {}, addressRanges: [{ type: 'IP4', ip: '10.0.0.300', size: 1, attributes: {} }] },
      ];
      await expect(registerProvision(port, input, POLL)).rejects.toThrow(new OneActionError('OpenNebula virtual network 0 is in ERROR'));
      expect(await port.networkState(0)).toBe('ERROR');
    });
  });

  describe('templates', () => {
    it('carries hostile values (quotes, backslashes, newlines, markup) into oned unchanged', async () => {
      const hostile = {
        QUOTES: 'say "hi" \\" done',
        BACKSLASH: 'C:\\path\\',
        // No CR: every XML parser turns CR LF into LF, so oned's answers cannot carry one.
        NEWLINES: 'line1\nline2\nNAME = "evil"',
        MARKUP: '<TEMPLATE> & </x>',
        BRACKETS: 'AR = [ TYPE = "IP4" ]',
      };
      const native = { ...hostile, BACKSLASH: 'C:\\path\\x' };
      for (const attributes of [native, hostile]) {
        const name = `c-${Object.keys(attributes).length}-${attributes.BACKSLASH.length}`;
        const id = await port.ensureCluster({ name, provisionId: 'p-hostile' });
        await port.tagCluster(id, { provisionId: 'p-hostile', attributes });
        const { template } = await clientOf(sim).cluster.info(id);
        expect(template).toMatchObject({ ...attributes, PROVISION_ID: 'p-hostile' });
        expect(template.NAME).toBeUndefined();
      }
    });

    it('merges updates into any kind of object without touching the provision tag', async () => {
      const ids = await registerProvision(port, edge('p9', 1), POLL);
      const one = clientOf(sim);
      await port.updateTemplate('network', ids.networks['p9-private'] as number, { GATEWAY: '10.10.0.254', PROVISION_ID: 'x' });
      await port.updateTemplate('host', ids.hosts['p9-host-0'] as number, { NOTE: 'n' });
      await port.updateTemplate('datastore', ids.datastores['p9-system'] as number, { REPLICA_HOST: 'p9-host-0' });
      await port.updateTemplate('cluster', ids.clusterId, { NOTE: 'c' });
      const vnet = await one.vn.info(ids.networks['p9-private'] as number);
      expect(vnet.template).toMatchObject({ GATEWAY: '10.10.0.254', PROVISION_ID: 'p9', VN_MAD: 'vxlan' });
      expect((await one.host.info(ids.hosts['p9-host-0'] as number)).template).toMatchObject({ NOTE: 'n', PROVISION_ID: 'p9' });
      one.close();
    });
  });

  describe('address ranges', () => {
    it('adds a public IP as a size-1 range once, and removes it idempotently', async () => {
      const net = await port.ensureNetwork({
        name: 'pub',
        provisionId: 'p10',
        vnMad: 'bridge',
        attributes: {},
        addressRanges: [],
        clusterId: 0,
      });
      while ((await port.networkState(net)) !== 'READY') await new Promise((r) => setTimeout(r, 5));
      const range = { type: 'IP4' as const, ip: '198.51.100.20', size: 1, attributes: {} };
      const arId = await port.addAddressRange(net, range);
      await expect(port.addAddressRange(net, range)).resolves.toBe(arId);
      await expect(port.addAddressRange(net, { ...range, ip: '198.51.100.21' })).resolves.toBe(arId + 1);
      await port.removeAddressRange(net, arId);
      await port.removeAddressRange(net, arId);
      await port.removeAddressRange(999, 0);
      expect(sim.snapshot().vnets[0]?.addressRanges.map((ar) => ar.arId)).toEqual([arId + 1]);
    });
  });

  describe('deregistration', () => {
    it('deletes hosts, then vnets, then datastores, then the cluster, and finds nothing afterwards', async () => {
      await registerProvision(port, edge('p11'), POLL);
      sim.calls.length = 0;
      const removed = await deregisterProvision(port, 'p11');
      expect(removed.hosts).toHaveLength(2);
      const order = deletes();
      const last = (method: string) => order.lastIndexOf(method);
      const first = (method: string) => order.indexOf(method);
      expect(last('one.host.delete')).toBeLessThan(first('one.vn.delete'));
      expect(last('one.vn.delete')).toBeLessThan(first('one.datastore.delete'));
      expect(last('one.datastore.delete')).toBeLessThan(first('one.cluster.delete'));
      expect(await port.findByProvision('p11')).toEqual({
        clusters: [],
        datastores: [],
        networks: [],
        hosts: [],
        vnTemplates: [],
        vmTemplates: [],
        images: [],
      });
      const state = sim.snapshot();
      expect(state.clusters.map((c) => c.id)).toEqual([0]);
      expect(state.datastores.find((d) => d.id === 1)?.clusterIds).toEqual([0]);
    });

    it('refuses while a host runs VMs, before deleting anything', async () => {
      const ids = await registerProvision(port, edge('p12'), POLL);
      sim.seedVm(ids.hosts['p12-host-1'] as number);
      sim.calls.length = 0;
      await expect(deregisterProvision(port, 'p12')).rejects.toBeInstanceOf(VmsRunningError);
      expect(deletes()).toEqual([]);
      await expect(port.deleteHost(ids.hosts['p12-host-1'] as number)).rejects.toThrow(/runs VMs 0; delete with cleanup/);
    });

    it('with cleanup terminates the VMs, waits for them, and removes everything', async () => {
      const ids = await registerProvision(port, edge('p13'), POLL);
      const host = ids.hosts['p13-host-0'] as number;
      const vms = [sim.seedVm(host), sim.seedVm(host, { state: 8, lcmState: 0 }), sim.seedVm(host, { state: 3, lcmState: 36 })];
      expect((await port.vmsOnHosts([host])).map((vm) => vm.id)).toEqual(vms.slice().reverse());
      await deregisterProvision(port, 'p13', { cleanup: true });
      const state = sim.snapshot();
      expect(state.vms.map((vm) => vm.state)).toEqual([6, 6, 6]);
      expect(state.hosts).toEqual([]);
      expect(sim.calls.filter((c) => c.method === 'one.vm.action').map((c) => c.params)).toEqual(
        expect.arrayContaining(vms.map((id) => ['terminate-hard', id])),
      );
    });

    it('treats every delete of a missing object as done', async () => {
      await expect(port.deleteHost(77)).resolves.toBeUndefined();
      await expect(port.deleteNetwork(77)).resolves.toBeUndefined();
      await expect(port.deleteDatastore(777)).resolves.toBeUndefined();
      await expect(port.deleteCluster(777)).resolves.toBeUndefined();
      await expect(port.terminateVm(77)).resolves.toBeUndefined();
    });

    it('waits for a vnet still being created before deleting it, and for its removal', async () => {
      await sim.close();
      sim = await startFastSim({ vnetReadyDelayMs: 40, vnetDeleteDelayMs: 40 });
      port = adapterOf(sim);
      const cluster = await port.ensureCluster({ name: 'c-wait', provisionId: 'p14' });
      const net = await port.ensureNetwork({
        name: 'n-wait',
        provisionId: 'p14',
        vnMad: 'bridge',
        attributes: {},
        addressRanges: [],
        clusterId: cluster,
      });
      await port.deleteNetwork(net);
      await expect(clientOf(sim).vn.info(net)).rejects.toBeInstanceOf(OneNoExistsError);
      await expect(port.deleteCluster(cluster)).resolves.toBeUndefined();
    });

    it('refuses a vnet with leases in use and a datastore with images', async () => {
      const net = await port.ensureNetwork({
        name: 'n-leased',
        provisionId: 'p15',
        vnMad: 'bridge',
        attributes: {},
        addressRanges: [],
        clusterId: 0,
      });
      while ((await port.networkState(net)) !== 'READY') await new Promise((r) => setTimeout(r, 5));
      sim.setUsedLeases(net, 1);
      await expect(port.deleteNetwork(net)).rejects.toThrow(/Can not remove a virtual network with leases in use/);
      const ds = await port.ensureDatastore({
        name: 'd-images',
        provisionId: 'p15',
        type: 'image_ds',
        attributes: { DS_MAD: 'fs', TM_MAD: 'ssh' },
        clusterId: 0,
      });
      sim.seedImage(ds);
      await expect(port.deleteDatastore(ds)).rejects.toThrow(`Cannot delete datastore. Datastore ${ds} is not empty.`);
    });
  });

  it('passes version and host status through', async () => {
    await expect(port.version()).resolves.toBe('7.4.0');
    const host = await port.ensureHost({ name: 'h-st', provisionId: 'p16', imMad: 'kvm', vmMad: 'kvm', clusterId: 0 });
    await port.setHostStatus(host, 'disabled');
    expect(await port.hostState(host)).toBe('DISABLED');
  });

  it('is built by createOpenNebulaPort from endpoint, credentials and timeout', async () => {
    const built = createOpenNebulaPort({
      endpoint: sim.url.replace('/RPC2', ''),
      user: 'oneadmin',
      password: 'opennebula',
      timeoutMs: 2000,
    });
    await expect(built.version()).resolves.toBe('7.4.0');
    const wrong = createOpenNebulaPort({ endpoint: sim.url, user: 'oneadmin', password: 'x', timeoutMs: 2000 });
    await expect(wrong.version()).rejects.toMatchObject({ name: 'OneAuthenticationError' });
    built.close();
    wrong.close();
  });
});
