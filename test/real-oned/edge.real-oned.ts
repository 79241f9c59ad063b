import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/main';
import { OpenNebulaAdapter } from '../../lambdas/opennebula/adapter';
import { OpenNebulaClient } from '../../lambdas/opennebula/client';
import { stopDaemon } from '../../sandbox/daemon';
import { realOnedAvailable, startRealOned, type RealOned } from './real-oned';

const available = realOnedAvailable();
if (!available.ok) console.warn(`[real-oned] SKIPPED the example edge against OpenNebula's oned: ${available.why}`);
const suite = available.ok ? describe : describe.skip;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * The operator's case, end to end: edgectl with its sandbox daemon pointed at
 * OpenNebula's own oned (EDGE_OPENNEBULA_URL / EDGE_OPENNEBULA_SESSION), the
 * example descriptor on simulated hosts, a VM on the dummy hypervisor, and a
 * delete that must leave nothing of the provision in the front-end.
 */
suite('the example edge against OpenNebula 7.5 (local mode)', () => {
  let real: RealOned | undefined;
  let home: string;
  let one: OpenNebulaClient;
  const saved = { url: process.env['EDGE_OPENNEBULA_URL'], session: process.env['EDGE_OPENNEBULA_SESSION'] };

  const edgectl = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: join(__dirname, '..', '..'), env: { EDGE_HOME: home } };
    return { code: await main(args, io), out, err };
  };

  beforeAll(async () => {
    real = await startRealOned();
    home = mkdtempSync(join(tmpdir(), 'edge-real-oned-home-'));
    // The daemon edgectl starts in the background inherits these.
    process.env['EDGE_OPENNEBULA_URL'] = real.url;
    process.env['EDGE_OPENNEBULA_SESSION'] = real.session;
    one = new OpenNebulaClient({ endpoint: real.url, user: real.user, password: real.password });
  });
  afterAll(async () => {
    one?.close();
    if (home) await stopDaemon(home);
    await real?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
    for (const [key, value] of [
      ['EDGE_OPENNEBULA_URL', saved.url],
      ['EDGE_OPENNEBULA_SESSION', saved.session],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('creates it RUNNING with monitored hosts named by address, refuses delete while a VM runs, and deletes it leaving nothing', async () => {
    if (!real) throw new Error('the real oned did not start');
    const created = await edgectl('create', 'examples/sim-edge.yml', '--input', 'one_hypervisor=dummy', '--wait');
    expect(created.err.filter((l) => /error/i.test(l))).toEqual([]);
    expect(created.code).toBe(0);
    const id = created.out[created.out.length - 1] ?? '';
    expect(id).toMatch(/^p-[0-9a-f]{12}$/);

    const port = new OpenNebulaAdapter(one);
    const objects = await port.findByProvision(id);
    expect(objects.hosts).toHaveLength(2);
    for (const host of objects.hosts) {
      const info = await one.host.info(host.id);
      expect(info.name).toMatch(IPV4);
      expect(info.stateName).toBe('MONITORED');
      expect(info.template).toMatchObject({
        PROVISION: expect.objectContaining({ ID: id }),
        ONEFORM: expect.objectContaining({ PROVISION_ID: id }),
      });
    }
    const privateNet = objects.networks.find((n) => n.name === 'sim-edge-private');
    const vnet = await one.vn.info(privateNet?.id ?? -1);
    expect(vnet.bridge).toBe('vxbr4242');
    expect(vnet.template).toMatchObject({ PHYDEV: 'eth0', VLAN_ID: '4242', VN_MAD: 'vxlan' });

    // A VM on the dummy hypervisor, in a system datastore the operator adds to the cluster (TM dummy: no transfer to do).
    const [cluster] = objects.clusters;
    const systemDs = await one.datastore.allocate(
      'NAME = "operator-dummy-system"\nTYPE = "SYSTEM_DS"\nTM_MAD = "dummy"',
      cluster?.id ?? -1,
    );
    const vm = await one.vm.allocate(`NAME = "app"\nCPU = "0.1"\nMEMORY = "64"\nNIC = [ NETWORK_ID = "${vnet.id}" ]`);
    await one.vm.deploy(vm, objects.hosts[0]?.id ?? -1, false, systemDs);
    for (let i = 0; i < 100 && (await one.vm.info(vm)).lcmState !== 3; i += 1) await new Promise((r) => setTimeout(r, 200));
    expect(await one.vm.info(vm)).toMatchObject({ state: 3, lcmState: 3, hostId: objects.hosts[0]?.id });

    const refused = await edgectl('delete', id);
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toMatch(/VM\(s\) run on the hosts/);

    const deleted = await edgectl('delete', id, '--cleanup', '--wait');
    expect(deleted.err.filter((l) => /error/i.test(l))).toEqual([]);
    expect(deleted.out[deleted.out.length - 1]).toBe(`${id}: DELETED`);

    expect((await one.vm.info(vm)).state).toBe(6);
    const left = await port.findByProvision(id);
    expect(Object.values(left).flat()).toEqual([]);
    expect((await one.clusterPool.info()).map((c) => c.id)).toEqual([0]);
    expect((await one.hostPool.info()).map((h) => h.name)).toEqual([]);
    // What the operator added stays theirs: the datastore was detached from the deleted cluster, not deleted.
    expect((await one.datastore.info(systemDs)).clusterIds).toEqual([]);
  });
});
