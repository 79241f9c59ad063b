import type { OpenNebulaClient } from '../../lambdas/opennebula/client';
import { OneActionError, OneAllocateError, OneInternalError, OneNoExistsError } from '../../lambdas/opennebula/errors';
import type { SimOned } from '../../sandbox/oned';
import { clientOf, rawCall, SESSION, startFastSim } from './helpers';

/*
 * What a differential run against OpenNebula's own oned 7.5 showed the
 * simulated one must do the same way (the real-oned tier re-runs the whole
 * comparison; these keep the sim honest where that tier does not run).
 */
describe('simulated oned, as the real oned 7.5 answers', () => {
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  let sim: SimOned;
  let one: OpenNebulaClient;

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 25, 10, 0, 0);
    sim = await startFastSim({ now: () => now, vnetReadyDelayMs: 1000, hostMonitorDelayMs: 1000, vmTerminateDelayMs: 1000 });
    one = clientOf(sim);
  });
  afterEach(async () => {
    one.close();
    await sim.close();
  });

  it('answers vnet and datastore allocate failures as INTERNAL without a prefix, cluster and host ones as ALLOCATE', async () => {
    await one.vn.allocate('NAME = "n"\nVN_MAD = "bridge"', -1);
    const vnet = await one.vn.allocate('NAME = "n"\nVN_MAD = "bridge"', -1).catch((e: unknown) => e);
    expect(vnet).toBeInstanceOf(OneInternalError);
    expect((vnet as Error).message).toBe('[one.vn.allocate] NAME is already taken by NET 0.');
    const vxlan = await one.vn.allocate('NAME = "x"\nVN_MAD = "vxlan"\nVLAN_ID = "7"', -1).catch((e: unknown) => e);
    expect(vxlan).toEqual(
      expect.objectContaining({ name: 'OneInternalError', message: '[one.vn.allocate] PHYDEV is mandatory for driver vxlan' }),
    );
    const ceph = await one.datastore
      .allocate('NAME = "c"\nTYPE = "IMAGE_DS"\nDS_MAD = "ceph"\nTM_MAD = "ceph"\nBRIDGE_LIST = "h"', -1)
      .catch((e: unknown) => e);
    expect(ceph).toBeInstanceOf(OneInternalError);
    expect((ceph as Error).message).toBe(
      '[one.datastore.allocate] Datastore template is missing the "DISK_TYPE" attribute or it\'s empty.',
    );
    await one.host.allocate('10.0.0.4', 'kvm', 'kvm', -1);
    await expect(one.host.allocate('10.0.0.4', 'kvm', 'kvm', -1)).rejects.toBeInstanceOf(OneAllocateError);
    await expect(one.host.allocate('bad host', 'kvm', 'kvm', -1)).rejects.toThrow(
      "[one.host.allocate] Error allocating a new host. Invalid HOSTNAME, ' ' is invalid character for a HOSTNAME",
    );
    await expect(one.host.allocate('edge.', 'kvm', 'kvm', -1)).rejects.toThrow("Invalid HOSTNAME, last character can't be '.'");
  });

  it('spends ID 0 on the first refused vnet of an empty pool, and no other ID on later refusals', async () => {
    await expect(one.vn.allocate('NAME = "a"\nVN_MAD = "nosuch"', -1)).rejects.toThrow('VN_MAD named "nosuch" is not defined in oned.conf');
    expect(await one.vn.allocate('NAME = "b"\nVN_MAD = "bridge"', -1)).toBe(1);
    await expect(one.vn.allocate('NAME = "c"\nVN_MAD = "nosuch"', -1)).rejects.toThrow();
    expect(await one.vn.allocate('NAME = "d"\nVN_MAD = "bridge"', -1)).toBe(2);
  });

  it('trims template values, and reads an unterminated final quote as part of the value', async () => {
    const id = await one.vn.allocate('NAME = "t"\nVN_MAD = "bridge"\nBRIDGE = "  br7  "\nX = "1', -1);
    const vnet = await one.vn.info(id);
    expect(vnet.template).toMatchObject({ BRIDGE: 'br7', X: '"1' });
  });

  it('leaves a host with an unknown IM_MAD in INIT, and reports what the dummy probes report for a monitored one', async () => {
    const lost = await one.host.allocate('10.0.0.6', 'nosuch', 'kvm', -1);
    const host = await one.host.allocate('10.0.0.5', 'kvm', 'kvm', -1);
    now += 5000;
    expect((await one.host.info(lost)).stateName).toBe('INIT');
    const monitored = await one.host.info(host);
    expect(monitored.stateName).toBe('MONITORED');
    expect(monitored.template).toMatchObject({ HOSTNAME: '10.0.0.5', MEMORY_ENCRYPTION: 'SEV', HYPERVISOR: 'dummy' });
    const body = await rawCall(sim.url, 'one.host.info', [SESSION, host]);
    for (const element of [
      'NUMA_NODES&gt;&lt;NODE&gt;&lt;CORE',
      'PCI_DEVICES&gt;&lt;PCI&gt;',
      'MONITORING&gt;',
      'NUMA_NODE&gt;&lt;HUGEPAGE',
      'KVM_CPU_MODELS',
    ]) {
      expect(body).toContain(element);
    }
  });

  it("puts a host whose monitoring fails in ERROR with oned's message, and heals it when re-enabled", async () => {
    sim.failMonitoring('10.0.0.7', 'Could not connect to 10.0.0.7 over SSH');
    const host = await one.host.allocate('10.0.0.7', 'kvm', 'kvm', -1);
    now += 5000;
    const failed = await one.host.info(host);
    expect(failed.stateName).toBe('ERROR');
    expect(failed.error).toMatch(
      /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} : Error monitoring Host 10\.0\.0\.7 \(\d+\): Could not connect to 10\.0\.0\.7 over SSH$/,
    );
    sim.failMonitoring('10.0.0.7', undefined);
    await one.host.status(host, 'enabled');
    now += 5000;
    const healed = await one.host.info(host);
    expect(healed.stateName).toBe('MONITORED');
    expect(healed.error).toBeUndefined();
  });

  it('runs a VM over XML-RPC: allocate with a lease, deploy, refusals while it runs, terminate frees host and lease', async () => {
    const cluster = await one.cluster.allocate('c');
    const system = await one.datastore.allocate('NAME = "sys"\nTYPE = "SYSTEM_DS"\nTM_MAD = "dummy"', cluster);
    const vnet = await one.vn.allocate(
      'NAME = "p"\nVN_MAD = "bridge"\nBRIDGE = "br0"\nMTU = "1450"\nAR = [ TYPE = "IP4", IP = "172.16.0.2", SIZE = "4" ]',
      cluster,
    );
    const host = await one.host.allocate('10.0.0.4', 'kvm', 'dummy', cluster);
    now += 5000;
    await expect(one.vm.allocate('NAME = "bad"\nCPU = "1"')).rejects.toThrow(
      '[one.vm.allocate] MEMORY attribute must be a positive integer value.',
    );
    const vm = await one.vm.allocate(`NAME = "vm1"\nCPU = "0.1"\nMEMORY = "64"\nNIC = [ NETWORK_ID = "${vnet}" ]`);
    const pending = await one.vm.info(vm);
    expect(pending).toMatchObject({ state: 1, hostId: undefined, nics: [{ networkId: vnet, ip: '172.16.0.2', mac: '02:00:ac:10:00:02' }] });
    expect(pending.template['NIC']).toMatchObject({ BRIDGE: 'br0', MTU: '1450', VN_MAD: 'bridge', NAME: 'NIC0', TARGET: `one-${vm}-0` });
    await one.vm.deploy(vm, host, false, system);
    now += 2000;
    expect(await one.vm.info(vm)).toMatchObject({ state: 3, lcmState: 3, hostId: host });
    const leased = await one.vn.info(vnet);
    expect(leased.usedLeases).toBe(1);
    expect(leased.addressRanges[0]).toMatchObject({ usedLeases: 1, attributes: expect.objectContaining({ NEXT_INDEX: '1' }) });
    await expect(one.host.delete(host)).rejects.toThrow('[one.host.delete] Cannot delete host. Can not remove a host with running VMs');
    await expect(one.vn.delete(vnet)).rejects.toThrow('Can not remove a virtual network with leases in use');
    await expect(one.vm.action('explode', 999)).rejects.toBeInstanceOf(OneNoExistsError);
    await expect(one.vm.action('explode', vm)).rejects.toThrow('[one.vm.action] Action "explode" is not supported');
    await one.vm.action('terminate-hard', vm);
    now += 2000;
    expect(await one.vm.info(vm)).toMatchObject({ state: 6 });
    await expect(one.vm.deploy(vm, host)).rejects.toThrow('[one.vm.deploy] Deploy action is not available for state DONE');
    expect((await one.vn.info(vnet)).usedLeases).toBe(0);
    await expect(one.host.delete(host)).resolves.toBe(host);
  });

  it('refuses to delete a datastore holding an image until the image is gone', async () => {
    const ds = await one.datastore.allocate('NAME = "img"\nTYPE = "IMAGE_DS"\nDS_MAD = "dummy"\nTM_MAD = "dummy"', -1);
    const image = await one.image.allocate('NAME = "disk"\nTYPE = "DATABLOCK"\nSIZE = "10"\nPROVISION_ID = "p-1"', ds);
    expect((await one.image.info(image)).state).toBe(4);
    now += 2000;
    expect(await one.image.info(image)).toMatchObject({
      state: 1,
      datastoreId: ds,
      template: expect.objectContaining({ PROVISION_ID: 'p-1' }),
    });
    await expect(one.datastore.delete(ds)).rejects.toBeInstanceOf(OneActionError);
    await one.image.delete(image);
    now += 2000;
    await expect(one.image.info(image)).rejects.toThrow('[one.image.info] Error getting image [0].');
    await expect(one.datastore.delete(ds)).resolves.toBe(ds);
  });

  it('keeps VM and vnet templates, refusing a vnet template name already taken', async () => {
    const vnt = await one.vntemplate.allocate('NAME = "private"\nVN_MAD = "vxlan"\nPROVISION_ID = "p-1"');
    await expect(one.vntemplate.allocate('NAME = "private"\nVN_MAD = "vxlan"')).rejects.toThrow(
      '[one.vntemplate.allocate] NAME is already taken by VN TEMPLATE 0.',
    );
    expect(await one.vntemplatePool.info()).toEqual([{ id: vnt, name: 'private', template: { VN_MAD: 'vxlan', PROVISION_ID: 'p-1' } }]);
    const vmt = await one.template.allocate('NAME = "vm"\nCPU = "1"\nMEMORY = "128"');
    expect((await one.templatePool.info()).map((t) => t.name)).toEqual(['vm']);
    await one.template.delete(vmt);
    await one.vntemplate.delete(vnt);
    await expect(one.vntemplate.delete(vnt)).rejects.toThrow('[one.vntemplate.delete] Error getting virtual network template [0].');
    expect(await one.templatePool.info()).toEqual([]);
  });
});
