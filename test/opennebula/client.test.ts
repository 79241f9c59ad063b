import { OpenNebulaClient } from '../../lambdas/opennebula/client';
import {
  ONE_ERROR_CODES,
  OneActionError,
  OneAllocateError,
  OneAuthenticationError,
  OneAuthorizationError,
  OneInternalError,
  OneLockedError,
  OneNoExistsError,
  OneReplicationError,
  OneUnreachableError,
  OneXmlRpcApiError,
  OneXmlRpcFaultError,
  nameTakenBy,
} from '../../lambdas/opennebula/errors';
import type { SimOned } from '../../sandbox/oned';
import { clientOf, freePort, startFastSim } from './helpers';

describe('OpenNebulaClient against the simulated oned over HTTP', () => {
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  let sim: SimOned;
  let one: OpenNebulaClient;

  beforeAll(async () => {
    sim = await startFastSim({ now: () => now, vnetReadyDelayMs: 1000, hostMonitorDelayMs: 5000, vmTerminateDelayMs: 1000 });
    one = clientOf(sim);
  });
  afterAll(async () => {
    one.close();
    await sim.close();
  });
  afterEach(() => sim.faults.clear());

  it('reads the version with one.system.version', async () => {
    await expect(one.system.version()).resolves.toBe('7.4.0');
  });

  it('allocates, tags, lists and deletes a cluster, IDs starting at 100', async () => {
    const id = await one.cluster.allocate('c-basic');
    expect(id).toBeGreaterThanOrEqual(100);
    await one.cluster.update(id, 'PROVISION_ID = "p-basic"', 'merge');
    const info = await one.cluster.info(id);
    expect(info).toMatchObject({ id, name: 'c-basic', hostIds: [], datastoreIds: [], vnetIds: [] });
    expect(info.template).toEqual({ PROVISION_ID: 'p-basic', RESERVED_CPU: '', RESERVED_MEM: '' });
    const pool = await one.clusterPool.info();
    expect(pool.map((c) => c.name)).toEqual(expect.arrayContaining(['default', 'c-basic']));
    expect(pool.find((c) => c.id === 0)?.datastoreIds).toEqual([0, 1, 2]);
    await expect(one.cluster.delete(id)).resolves.toBe(id);
    await expect(one.cluster.info(id)).rejects.toBeInstanceOf(OneNoExistsError);
  });

  it('moves hosts, datastores and vnets in and out of clusters', async () => {
    const cluster = await one.cluster.allocate('c-members');
    const host = await one.host.allocate('h-members', 'kvm', 'kvm', -1);
    expect((await one.host.info(host)).clusterId).toBe(0);
    await one.cluster.addHost(cluster, host);
    expect((await one.host.info(host)).clusterName).toBe('c-members');
    await one.cluster.addDatastore(cluster, 1);
    await one.cluster.addDatastore(cluster, 1);
    const vnet = await one.vn.allocate('NAME = "n-members"\nVN_MAD = "bridge"', 0);
    await one.cluster.addVnet(cluster, vnet);
    expect(await one.cluster.info(cluster)).toMatchObject({ hostIds: [host], datastoreIds: [1], vnetIds: [vnet] });
    await expect(one.cluster.delHost(cluster, host)).resolves.toBe(0);
    expect((await one.host.info(host)).clusterId).toBe(0);
    expect((await one.datastore.info(1)).clusterIds).toEqual([0, cluster]);
  });

  it('allocates, reads and deletes datastores with the defaults oned adds', async () => {
    const cluster = await one.cluster.allocate('c-ds');
    const system = await one.datastore.allocate('NAME = "ds-system"\nTYPE = "SYSTEM_DS"\nTM_MAD = "ssh"', cluster);
    const image = await one.datastore.allocate('NAME = "ds-image"\nTYPE = "IMAGE_DS"\nDS_MAD = "fs"\nTM_MAD = "ssh"', cluster);
    expect(system).toBeGreaterThanOrEqual(100);
    const sys = await one.datastore.info(system);
    expect(sys).toMatchObject({ typeName: 'SYSTEM_DS', dsMad: '-', tmMad: 'ssh', clusterIds: [cluster], imageIds: [] });
    expect(sys.template).toMatchObject({ SHARED: 'NO', SAFE_DIRS: '/var/tmp', RESTRICTED_DIRS: '/' });
    expect((await one.datastore.info(image)).template).toMatchObject({ LN_TARGET: 'SYSTEM', DS_MAD: 'fs' });
    await one.datastore.update(image, 'NOTE = "x"', 'merge');
    expect((await one.datastore.info(image)).template.NOTE).toBe('x');
    expect((await one.datastorePool.info()).map((d) => d.id)).toEqual(expect.arrayContaining([0, 1, 2, system, image]));
    await expect(one.datastore.delete(system)).resolves.toBe(system);
    await expect(one.datastore.info(system)).rejects.toBeInstanceOf(OneNoExistsError);
  });

  it('allocates a vnet that becomes READY asynchronously, then adds and removes address ranges', async () => {
    const vnet = await one.vn.allocate('NAME = "n-ar"\nVN_MAD = "bridge"\nAR = [ TYPE = "IP4", IP = "192.0.2.10", SIZE = "4" ]', -1);
    const creating = await one.vn.info(vnet);
    expect(creating.stateName).toBe('LOCK_CREATE');
    expect(creating.addressRanges).toEqual([]);
    await expect(one.vn.addAr(vnet, 'AR = [ TYPE = "IP4", IP = "192.0.2.99", SIZE = "1" ]')).rejects.toThrow(
      /\[one\.vn\.add_ar\] Could not execute one\.vn\.add_arVirtual Network is in wrong state: LOCK_CREATE/,
    );
    now += 1500;
    const ready = await one.vn.info(vnet);
    expect(ready.stateName).toBe('READY');
    expect(ready.addressRanges).toEqual([
      expect.objectContaining({ arId: 0, type: 'IP4', ip: '192.0.2.10', ipEnd: '192.0.2.13', mac: '02:00:c0:00:02:0a', size: 4 }),
    ]);
    await expect(one.vn.addAr(vnet, 'AR = [ TYPE = "IP4", IP = "192.0.2.99", SIZE = "1" ]')).resolves.toBe(vnet);
    expect((await one.vn.info(vnet)).addressRanges.map((ar) => ar.arId)).toEqual([0, 1]);
    const raw = (await one.vnPool.info()).find((v) => v.id === vnet);
    expect(raw?.addressRanges[1]).toMatchObject({ arId: 1, ip: '192.0.2.99', ipEnd: undefined });
    await expect(one.vn.rmAr(vnet, 0)).resolves.toBe(vnet);
    await expect(one.vn.rmAr(vnet, 0)).rejects.toThrow(new OneInternalError('[one.vn.rm_ar] Address Range does not exist'));
    await one.vn.update(vnet, 'DNS = "1.1.1.1"', 'merge');
    expect((await one.vn.info(vnet)).template.DNS).toBe('1.1.1.1');
    await expect(one.vn.delete(vnet)).resolves.toBe(vnet);
    expect((await one.vn.info(vnet)).stateName).toBe('LOCK_DELETE');
    now += 1500;
    await expect(one.vn.info(vnet)).rejects.toBeInstanceOf(OneNoExistsError);
  });

  it('allocates a host in INIT that is MONITORED after its first monitoring, and sets its status', async () => {
    const host = await one.host.allocate('h-status', 'kvm', 'kvm', -1);
    expect(await one.host.info(host)).toMatchObject({ stateName: 'INIT', imMad: 'kvm', vmMad: 'kvm', runningVms: 0 });
    now += 6000;
    expect((await one.host.info(host)).stateName).toBe('MONITORED');
    await one.host.status(host, 'disabled');
    expect((await one.host.info(host)).stateName).toBe('DISABLED');
    await one.host.status(host, 'enabled');
    expect((await one.host.info(host)).stateName).toBe('MONITORED');
    await one.host.status(host, 'offline');
    expect((await one.host.info(host)).stateName).toBe('OFFLINE');
    await one.host.update(host, 'PROVISION_ID = "p-h"', 'merge');
    const listed = (await one.hostPool.info()).find((h) => h.id === host);
    expect(listed?.template.PROVISION_ID).toBe('p-h');
    expect(listed?.template.IM_MAD).toBe('kvm');
    await expect(one.call('one.host.status', host, 7)).rejects.toThrow(new OneInternalError('[one.host.status] Wrong status code'));
  });

  it('filters the VM pool by host on the client side and terminates VMs', async () => {
    const a = await one.host.allocate('h-vm-a', 'kvm', 'kvm', -1);
    const b = await one.host.allocate('h-vm-b', 'kvm', 'kvm', -1);
    const vmA = sim.seedVm(a);
    const vmB = sim.seedVm(b);
    expect((await one.vmPool.onHosts([a])).map((vm) => vm.id)).toEqual([vmA]);
    expect((await one.host.info(a)).vmIds).toEqual([vmA]);
    await expect(one.host.delete(a)).rejects.toThrow(
      new OneActionError('[one.host.delete] Cannot delete host. Can not remove a host with running VMs'),
    );
    await one.vm.action('terminate-hard', vmA);
    expect((await one.vmPool.onHosts([a]))[0]).toMatchObject({ id: vmA, state: 3, lcmState: 12 });
    now += 1500;
    expect(await one.vmPool.onHosts([a])).toEqual([]);
    expect((await one.vmPool.onHosts([a], -2))[0]).toMatchObject({ id: vmA, state: 6 });
    await expect(one.host.delete(a)).resolves.toBe(a);
    await expect(one.vm.action('explode', vmB)).rejects.toThrow(new OneActionError('[one.vm.action] Action "explode" is not supported'));
  });

  describe('failure tuples', () => {
    it('maps a duplicate name to OneAllocateError that nameTakenBy recognises', async () => {
      const id = await one.cluster.allocate('c-dup');
      const err = await one.cluster.allocate('c-dup').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OneAllocateError);
      expect(err).toMatchObject({
        name: 'OneAllocateError',
        message: `[one.cluster.allocate] Error allocating a new cluster. NAME is already taken by CLUSTER ${id}.`,
        failure: { method: 'one.cluster.allocate', code: ONE_ERROR_CODES.ALLOCATE, respId: -1 },
      });
      expect(nameTakenBy(err)).toEqual({ type: 'CLUSTER', id });
    });

    it('maps a wrong password to OneAuthenticationError', async () => {
      const intruder = clientOf(sim, { password: 'nope' });
      await expect(intruder.clusterPool.info()).rejects.toThrow(
        new OneAuthenticationError("[one.clusterpool.info] User couldn't be authenticated, aborting call."),
      );
      intruder.close();
    });

    it('maps a missing object to OneNoExistsError carrying its ID', async () => {
      const err = await one.host.info(424242).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OneNoExistsError);
      expect(err).toMatchObject({ message: '[one.host.info] Error getting host [424242].', failure: { respId: 424242 } });
    });

    it('maps a refused delete of a non-empty cluster to OneActionError', async () => {
      const cluster = await one.cluster.allocate('c-full');
      await one.host.allocate('h-full', 'kvm', 'kvm', cluster);
      await expect(one.cluster.delete(cluster)).rejects.toThrow(
        new OneActionError(`[one.cluster.delete] Cannot delete cluster. Cluster ${cluster} is not empty, it contains 1 hosts.`),
      );
      await expect(one.cluster.delete(0)).rejects.toThrow(/System Clusters \(ID < 100\) cannot be deleted/);
    });

    it('maps a bad pool filter to OneXmlRpcApiError', async () => {
      await expect(one.vnPool.info(-9)).rejects.toThrow(new OneXmlRpcApiError('[one.vnpool.info] Incorrect filter_flag'));
      await expect(one.vmPool.info(-2, -1, -1, 42)).rejects.toBeInstanceOf(OneXmlRpcApiError);
    });

    it('maps template errors to OneInternalError', async () => {
      await expect(one.vn.allocate('NAME = "broken"\nVN_MAD = [', 0)).rejects.toBeInstanceOf(OneInternalError);
      await expect(one.call('one.cluster.update', 0, 'A = "x"', 5)).rejects.toThrow(
        new OneXmlRpcApiError('[one.cluster.update] Wrong update type'),
      );
    });

    it.each([
      [ONE_ERROR_CODES.AUTHORIZATION, 'User [2] : Not authorized to perform MANAGE HOST [0].', OneAuthorizationError],
      [ONE_ERROR_CODES.AUTHORIZATION, 'User [0] : host [0] is locked.', OneLockedError],
      [ONE_ERROR_CODES.LOCKED, 'host [0] is locked.', OneLockedError],
      [ONE_ERROR_CODES.INTERNAL, 'NAME is already taken by HOST 3.', OneInternalError],
      [ONE_ERROR_CODES.REPLICATION, 'Error replicating log entry', OneReplicationError],
    ])('maps injected code %i (%s) to its named error', async (code, detail, type) => {
      sim.faults.failCall('one.hostpool.info', { code, message: `[one.hostpool.info] ${detail}` });
      const err = await one.hostPool.info().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(type);
      expect((err as Error).name).toBe(type.name);
    });

    it('recognises the 6.10 / 7.0 encoding of a duplicate name (INTERNAL, no prefix)', async () => {
      sim.faults.failCall('one.host.allocate', {
        code: ONE_ERROR_CODES.INTERNAL,
        message: '[one.host.allocate] NAME is already taken by HOST 3.',
      });
      const err = await one.host.allocate('h-old', 'kvm', 'kvm', 0).catch((e: unknown) => e);
      expect(nameTakenBy(err)).toEqual({ type: 'HOST', id: 3 });
    });
  });

  describe('XML-RPC faults and transport failures', () => {
    it('maps an unknown method and a wrongly typed parameter to OneXmlRpcFaultError', async () => {
      await expect(one.call('one.no.such.method')).rejects.toMatchObject({ name: 'OneXmlRpcFaultError', faultCode: -506 });
      await expect(one.call('one.host.info', 'zero')).rejects.toMatchObject({
        faultCode: -501,
        message: expect.stringContaining('Parameter that is supposed to be integer is not'),
      });
      await expect(one.call('one.host.info')).rejects.toMatchObject({
        faultCode: -501,
        message: expect.stringContaining('Not enough parameters'),
      });
    });

    it('maps a refused connection to the transient OneUnreachableError', async () => {
      const port = await freePort();
      const offline = new OpenNebulaClient({ endpoint: `http://127.0.0.1:${port}`, user: 'a', password: 'b', timeoutMs: 1000 });
      const err = await offline.system.version().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OneUnreachableError);
      expect(err).toMatchObject({ retryable: true, message: expect.stringContaining('ECONNREFUSED') });
    });

    it('maps a dropped connection to OneUnreachableError for a call that changes something, without sending it again', async () => {
      await one.system.version();
      sim.faults.dropConnection('one.cluster.allocate');
      await expect(one.call('one.cluster.allocate', 'dropped')).rejects.toBeInstanceOf(OneUnreachableError);
      expect((await one.clusterPool.info()).some((c) => c.name === 'dropped')).toBe(false);
    });

    it('sends a read again on a new connection when its kept-alive connection is dropped', async () => {
      await one.system.version();
      sim.faults.dropConnection('one.system.version');
      await expect(one.system.version()).resolves.toBe('7.4.0');
    });

    it('gives up after timeoutMs with OneUnreachableError', async () => {
      const impatient = clientOf(sim, { timeoutMs: 50 });
      sim.faults.latency('one.system.version', 300, { times: 1 });
      await expect(impatient.system.version()).rejects.toThrow(/no answer within 50 ms/);
      impatient.close();
    });

    it('answers an injected XML-RPC fault on the nth call only', async () => {
      sim.faults.faultCall('one.clusterpool.info', { nth: 2, code: -501, message: 'Not enough parameters' });
      await expect(one.clusterPool.info()).resolves.toBeDefined();
      await expect(one.clusterPool.info()).rejects.toBeInstanceOf(OneXmlRpcFaultError);
      await expect(one.clusterPool.info()).resolves.toBeDefined();
    });

    it('never shows the password in errors', async () => {
      const err = await clientOf(sim, { password: 's3cr3t' })
        .clusterPool.info()
        .catch((e: unknown) => e);
      expect(String((err as Error).message)).not.toContain('s3cr3t');
    });
  });
});
