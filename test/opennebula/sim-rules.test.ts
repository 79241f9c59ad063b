import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OpenNebulaClient } from '../../lambdas/opennebula/client';
import type { SimOned } from '../../sandbox/oned';
import { SESSION, clientOf, freePort, rawCall, startFastSim } from './helpers';

const fail = (message: string) => expect.objectContaining({ message });

describe('simulated oned rules', () => {
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  let sim: SimOned;
  let one: OpenNebulaClient;

  beforeEach(async () => {
    sim = await startFastSim({ now: () => now, vnetReadyDelayMs: 1000, vmTerminateDelayMs: 1000 });
    one = clientOf(sim);
  });
  afterEach(async () => {
    one.close();
    await sim.close();
  });

  it('never reuses an ID and does not spend one on a failed allocate', async () => {
    expect(await one.host.allocate('h-a', 'kvm', 'kvm', -1)).toBe(0);
    await expect(one.host.allocate('h-a', 'kvm', 'kvm', -1)).rejects.toThrow();
    await one.host.delete(0);
    expect(await one.host.allocate('h-b', 'kvm', 'kvm', -1)).toBe(1);
  });

  it('refuses names oned refuses and unknown clusters, with the cluster ID as resp_id', async () => {
    await expect(one.cluster.allocate('a:b')).rejects.toEqual(
      fail("[one.cluster.allocate] Error allocating a new cluster. Invalid NAME, char ':' is not allowed"),
    );
    await expect(one.host.allocate('-bad', 'kvm', 'kvm', 0)).rejects.toEqual(
      fail("[one.host.allocate] Error allocating a new host. Invalid HOSTNAME, first character can't be '-'"),
    );
    await expect(one.host.allocate('h-x', '', 'kvm', 0)).rejects.toEqual(
      fail('[one.host.allocate] Error allocating a new host. IM_MAD_NAME cannot be empty.'),
    );
    await expect(one.host.allocate('h-x', 'kvm', 'kvm', 555)).rejects.toMatchObject({
      message: '[one.host.allocate] Error getting cluster [555].',
      failure: { code: 1024, respId: 555 },
    });
  });

  it('validates datastore templates as Datastore::insert does', async () => {
    const ds = (template: string) => one.datastore.allocate(template, -1);
    await expect(ds('NAME = "d1"\nTYPE = "IMAGE_DS"\nTM_MAD = "ssh"')).rejects.toEqual(
      fail('[one.datastore.allocate] No DS_MAD in template.'),
    );
    await expect(ds('NAME = "d1"\nTYPE = "SYSTEM_DS"\nDS_MAD = "fs"\nTM_MAD = "ssh"')).rejects.toEqual(
      fail('[one.datastore.allocate] SYSTEM datastores cannot have DS_MAD defined.'),
    );
    await expect(ds('NAME = "d1"\nDS_MAD = "fs"\nTM_MAD = "nfs"')).rejects.toEqual(
      fail('[one.datastore.allocate] TM_MAD named "nfs" is not defined in oned.conf'),
    );
    expect((await one.datastore.info(await ds('NAME = "d1"\nDS_MAD = "fs"\nTM_MAD = "ssh"'))).typeName).toBe('IMAGE_DS');
  });

  it('validates vnet drivers as VirtualNetwork::insert does', async () => {
    const vn = (template: string) => one.vn.allocate(template, -1);
    const prefix = '[one.vn.allocate] ';
    await expect(vn('NAME = "n"')).rejects.toEqual(fail(`${prefix}No VN_MAD in template for Virtual Network.`));
    await expect(vn('NAME = "n"\nVN_MAD = "alias_sdnat"')).rejects.toEqual(
      fail(`${prefix}VN_MAD named "alias_sdnat" is not defined in oned.conf`),
    );
    await expect(vn('NAME = "n"\nVN_MAD = "vxlan"\nAUTOMATIC_VLAN_ID = "YES"')).rejects.toEqual(
      fail(`${prefix}PHYDEV is mandatory for driver vxlan`),
    );
    await expect(vn('NAME = "n"\nVN_MAD = "vxlan"\nPHYDEV = "eth0"')).rejects.toEqual(
      fail(`${prefix}VLAN_ID (or AUTOMATIC_VLAN_ID) is mandatory for driver vxlan`),
    );
    const id = await vn('NAME = "n"\nVN_MAD = "vxlan"\nPHYDEV = "eth0"\nAUTOMATIC_VLAN_ID = "YES"');
    expect(await one.vn.info(id)).toMatchObject({ bridge: `onebr${id}`, stateName: 'LOCK_CREATE' });
    await expect(one.vn.delete(id)).rejects.toEqual(
      fail('[one.vn.delete] Cannot delete virtual network. Can not remove a Virtual Network, wrong state LOCK_CREATE'),
    );
    now += 1500;
    expect(sim.snapshot().vnets[0]).toMatchObject({ state: 1, vlanId: String(2 + id), vlanIdAutomatic: true });
  });

  it('refuses to delete a cluster holding datastores or vnets, counting a vnet still being removed', async () => {
    const cluster = await one.cluster.allocate('c-rules');
    const ds = await one.datastore.allocate('NAME = "d-rules"\nTYPE = "SYSTEM_DS"\nTM_MAD = "ssh"', cluster);
    await expect(one.cluster.delete(cluster)).rejects.toEqual(
      fail(`[one.cluster.delete] Cannot delete cluster. Cluster ${cluster} is not empty, it contains 1 datastores.`),
    );
    await one.datastore.delete(ds);
    const vnet = await one.vn.allocate('NAME = "n-rules"\nVN_MAD = "bridge"', cluster);
    now += 1500;
    await one.vn.delete(vnet);
    await expect(one.cluster.delete(cluster)).rejects.toEqual(
      fail(`[one.cluster.delete] Cannot delete cluster. Cluster ${cluster} is not empty, it contains 1 vnets.`),
    );
    now += 1500;
    await expect(one.cluster.delete(cluster)).resolves.toBe(cluster);
  });

  it('terminates VMs according to their state', async () => {
    const host = await one.host.allocate('h-vms', 'kvm', 'kvm', -1);
    const pending = sim.seedVm(host, { state: 1, lcmState: 0 });
    const booting = sim.seedVm(host, { state: 3, lcmState: 1 });
    await one.vm.action('terminate-hard', pending);
    expect(sim.snapshot().vms[0]).toMatchObject({ state: 6 });
    await expect(one.vm.action('terminate', booting)).rejects.toEqual(
      fail(`[one.vm.action] Error performing action "terminate": Could not terminate VM ${booting}, wrong state ACTIVE.`),
    );
    await expect(one.vm.action('terminate-hard', 99)).rejects.toEqual(fail('[one.vm.action] Error getting virtual machine [99].'));
  });

  it('pages pool listings with offset and negative page size', async () => {
    for (const name of ['p0', 'p1', 'p2', 'p3']) await one.vn.allocate(`NAME = "${name}"\nVN_MAD = "bridge"`, -1);
    expect((await one.vnPool.info(-2, 1, 2)).map((v) => v.id)).toEqual([2, 1]);
    expect((await one.vnPool.info(-2, 1, -2)).map((v) => v.id)).toEqual([2, 1]);
    expect((await one.vnPool.info(5, -1, -1)).map((v) => v.id)).toEqual([]);
  });

  it('keeps its objects in the state file across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oned-state-'));
    const statePath = path.join(dir, 'oned.json');
    try {
      const first = await startFastSim({ now: () => now, vnetReadyDelayMs: 1000, statePath });
      const c1 = clientOf(first);
      const cluster = await c1.cluster.allocate('kept');
      const vnet = await c1.vn.allocate(
        'NAME = "kept-net"\nVN_MAD = "bridge"\nAR = [ TYPE = "IP4", IP = "10.1.0.1", SIZE = "2" ]',
        cluster,
      );
      c1.close();
      await first.close();
      now += 1500;
      const second = await startFastSim({ now: () => now, vnetReadyDelayMs: 1000, statePath });
      const c2 = clientOf(second);
      expect((await c2.cluster.info(cluster)).vnetIds).toEqual([vnet]);
      expect((await c2.vn.info(vnet)).stateName).toBe('READY');
      expect(await c2.cluster.allocate('kept-2')).toBe(cluster + 1);
      c2.close();
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('fault injection', () => {
    it('fails the nth call with the chosen code and message, for the chosen number of calls', async () => {
      sim.faults.failCall('one.system.version', { nth: 2, times: 2, code: 0x0200, message: '[one.system.version] denied' });
      const results = [];
      for (let i = 0; i < 4; i += 1) results.push(await one.system.version().catch((e: Error) => e.name));
      expect(results).toEqual(['7.4.0', 'OneAuthorizationError', 'OneAuthorizationError', '7.4.0']);
    });

    it('adds latency', async () => {
      sim.faults.latency('*', 60, { times: 1 });
      const started = Date.now();
      await one.system.version();
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    });

    it('drops the connection after running the call, so the change happens but the answer is lost', async () => {
      sim.faults.dropConnection('one.cluster.allocate', { when: 'after' });
      await expect(one.cluster.allocate('c-lost')).rejects.toMatchObject({ name: 'OneUnreachableError' });
      expect(sim.snapshot().clusters.map((c) => c.name)).toContain('c-lost');
    });
  });

  describe('HTTP and XML-RPC level', () => {
    const post = (pathname: string, body: string, method = 'POST') =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(new URL(pathname, sim.url), { method }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });

    it('serves /RPC2 by POST only', async () => {
      expect((await post('/other', '')).status).toBe(404);
      expect((await post('/RPC2', '', 'GET')).status).toBe(405);
    });

    it('answers faults for a body that is not a call and for a missing session', async () => {
      expect((await post('/RPC2', '<nope/>')).body).toContain('<i4>-503</i4>');
      expect(await rawCall(sim.url, 'one.system.version', [])).toContain('Not enough parameters');
      expect(await rawCall(sim.url, 'one.system.version', [SESSION, 'extra', 42])).toContain('<string>7.4.0</string>');
    });
  });
});

describe('oned:sim command', () => {
  it('serves XML-RPC on the given port with the given credentials', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['bin/run-ts.cjs', 'sandbox/oned/main.ts', '--port', String(port), '--user', 'admin', '--password', 'pw'],
      {
        cwd: path.join(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out.trim());
        });
        child.on('exit', (code) => reject(new Error(`oned:sim exited with ${String(code)}`)));
      });
      expect(line).toBe(`simulated oned listening on http://127.0.0.1:${port}/RPC2`);
      expect(await rawCall(`http://127.0.0.1:${port}/RPC2`, 'one.system.version', ['admin:pw'])).toContain('<boolean>1</boolean>');
      expect(await rawCall(`http://127.0.0.1:${port}/RPC2`, 'one.system.version', [SESSION])).toContain('<i4>256</i4>');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
