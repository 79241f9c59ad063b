import type { OpenNebulaClient } from '../../lambdas/opennebula/client';
import type { SimOned } from '../../sandbox/oned';
import { clientOf, startFastSim, validateAgainst } from './helpers';

/*
 * Every info / pool-info body of the simulated oned against OpenNebula's 7.4.0
 * XSDs, with objects in the states a provision goes through. One xmllint run
 * per schema keeps it fast.
 */
describe('simulated oned bodies against the OpenNebula XSDs', () => {
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  let sim: SimOned;
  let one: OpenNebulaClient;
  const bodies: Record<string, string[]> = {};
  const keep = async (schema: string, method: string, ...params: Array<number | string>) => {
    const body = await one.call(method, ...params);
    (bodies[schema] ??= []).push(body as string);
  };

  beforeAll(async () => {
    sim = await startFastSim({ now: () => now, vnetReadyDelayMs: 1000, hostMonitorDelayMs: 5000, vmTerminateDelayMs: 1000 });
    one = clientOf(sim);
    const cluster = await one.cluster.allocate('edge');
    await one.cluster.update(cluster, 'PROVISION_ID = "p-1"\nNOTE = "a <b> & \\"c\\""', 'merge');
    await one.datastore.allocate('NAME = "edge-system"\nTYPE = "SYSTEM_DS"\nTM_MAD = "ssh"\nSAFE_DIRS = "/var/tmp /tmp"', cluster);
    await one.datastore.allocate('NAME = "edge-image"\nTYPE = "IMAGE_DS"\nDS_MAD = "fs"\nTM_MAD = "ssh"', cluster);
    await one.datastore.allocate('NAME = "edge-files"\nTYPE = "FILE_DS"\nDS_MAD = "fs"\nTM_MAD = "local"', cluster);
    const bridge = await one.vn.allocate(
      'NAME = "edge-public"\nVN_MAD = "bridge"\nAR = [ TYPE = "IP4", IP = "198.51.100.7", SIZE = "1" ]\nAR = [ TYPE = "ETHER", SIZE = "4" ]',
      cluster,
    );
    const vxlan = await one.vn.allocate(
      'NAME = "edge-private"\nVN_MAD = "vxlan"\nPHYDEV = "eth0"\nAUTOMATIC_VLAN_ID = "YES"\nAR = [ TYPE = "IP4", IP = "10.10.0.1", SIZE = "250" ]',
      cluster,
    );
    await one.vn.allocate('NAME = "edge-broken"\nVN_MAD = "bridge"\nAR = [ TYPE = "IP4", IP = "not-an-ip", SIZE = "1" ]', cluster);
    const host = await one.host.allocate('edge-host-0', 'kvm', 'kvm', cluster);
    await keep('vnet.xsd', 'one.vn.info', bridge);
    await keep('host.xsd', 'one.host.info', host);
    now += 6000;
    await one.vn.addAr(bridge, 'AR = [ TYPE = "IP4", IP = "198.51.100.8", SIZE = "1" ]');
    const running = sim.seedVm(host);
    const stopping = sim.seedVm(host, { cpu: 2, memory: 512 });
    const done = sim.seedVm(host);
    await one.vm.action('terminate-hard', stopping);
    await one.vm.action('terminate-hard', done);
    now += 2000;
    await one.vm.action('terminate-hard', stopping);
    expect(running).toBeGreaterThanOrEqual(0);

    await keep('cluster.xsd', 'one.cluster.info', cluster);
    await keep('cluster.xsd', 'one.cluster.info', 0);
    await keep('cluster_pool.xsd', 'one.clusterpool.info');
    for (const ds of [0, 1, 2, 100, 101, 102]) await keep('datastore.xsd', 'one.datastore.info', ds);
    await keep('datastore_pool.xsd', 'one.datastorepool.info');
    for (const vnet of [bridge, vxlan, 2]) await keep('vnet.xsd', 'one.vn.info', vnet);
    await keep('vnet_pool.xsd', 'one.vnpool.info', -2, -1, -1);
    await keep('host.xsd', 'one.host.info', host);
    await keep('host_pool.xsd', 'one.hostpool.info');
    await keep('vm_pool.xsd', 'one.vmpool.info', -2, -1, -1, -2);
    await keep('vm_pool.xsd', 'one.vmpool.info', -2, -1, -1, -1);
    await one.call('one.cluster.delhost', cluster, host);
    await one.vn.delete(vxlan);
    await keep('vnet.xsd', 'one.vn.info', vxlan);
    await keep('cluster_pool.xsd', 'one.clusterpool.info');
  });
  afterAll(async () => {
    one.close();
    await sim.close();
  });

  it.each([
    ['cluster.xsd'],
    ['cluster_pool.xsd'],
    ['datastore.xsd'],
    ['datastore_pool.xsd'],
    ['vnet.xsd'],
    ['vnet_pool.xsd'],
    ['host.xsd'],
    ['host_pool.xsd'],
    ['vm_pool.xsd'],
  ])('validates every body checked against %s', async (schema) => {
    const checked = bodies[schema] ?? [];
    expect(checked.length).toBeGreaterThan(0);
    expect(await validateAgainst(schema, checked)).toEqual([]);
  });

  it('covers vnets in LOCK_CREATE, READY, ERROR and LOCK_DELETE', () => {
    const states = (bodies['vnet.xsd'] ?? []).map((xml) => /<STATE><!\[CDATA\[(\d)\]\]><\/STATE>/.exec(xml)?.[1]);
    expect(new Set(states)).toEqual(new Set(['2', '1', '5', '3']));
  });

  it('keeps oned 7.4 own schema gap: a host pool with a never-monitored host has an empty DATASTORES', async () => {
    const fresh = await startFastSim({ hostMonitorDelayMs: 60_000 });
    const client = clientOf(fresh);
    try {
      await client.host.allocate('edge-new', 'kvm', 'kvm', -1);
      const pool = (await client.call('one.hostpool.info')) as string;
      const errors = await validateAgainst('host_pool.xsd', [pool]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/DATASTORES': Missing child element\(s\)\. Expected is .*DISK_USAGE/);
    } finally {
      client.close();
      await fresh.close();
    }
  });
});
