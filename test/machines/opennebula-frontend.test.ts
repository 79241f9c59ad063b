import { OpenNebulaClient } from '../../lambdas/opennebula/client';
import { createProvision, deleteProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import type { ProvisionPlan } from '../../lambdas/provisioning/plan';
import { SIM_ONED_PASSWORD, SIM_ONED_USER, simOpenNebula } from '../../sandbox/defaults';
import type { SimOned } from '../../sandbox/oned';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { RecordingConfigurator } from '../fakes/recording-configurator';
import { expectEventsMatchSchemas } from '../support/event-schemas';
import { simEdgePlan } from '../support/plans';

/*
 * The machines against the simulated oned over XML-RPC (hosts configured by
 * a recording configurator): what OpenNebula sees of a provision, and how
 * registration and deletion behave when it refuses or is slow.
 */
describe('machines against an OpenNebula front-end (simulated oned)', () => {
  let s: Sandbox;
  let oned: SimOned;
  let one: OpenNebulaClient;

  beforeEach(async () => {
    s = await startSandbox({
      timeScale: 0.0002,
      openNebula: simOpenNebula(0.0002),
      hostConfigurator: async () => ({ configurator: new RecordingConfigurator(), close: async () => undefined }),
    });
    oned = s.oned as SimOned;
    one = new OpenNebulaClient({ endpoint: oned.url, user: SIM_ONED_USER, password: SIM_ONED_PASSWORD });
  });
  afterEach(async () => {
    one.close();
    await s.close();
    expectEventsMatchSchemas(s.bus.events);
  });

  async function create(plan: ProvisionPlan = simEdgePlan()) {
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan });
    const exec = await s.runner.wait(p.executionId ?? '');
    return { p: await s.deps.store.get(p.id), exec };
  }

  async function remove(id: string, options: { cleanup?: boolean; cleanupTimeoutSeconds?: number } = {}) {
    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id, cleanup: options.cleanup === true, ...options });
    const exec = await s.runner.wait(executionId ?? '');
    return { p: await s.deps.store.get(id), exec };
  }

  it('registers each host by its address, as OpenNebula provision tools tag it, once oned has monitored it', async () => {
    const { p } = await create();
    expect(p?.state).toBe('RUNNING');
    for (const host of p?.hosts ?? []) {
      const registered = await one.host.info(host.oneId ?? -1);
      expect(registered.name).toBe(host.privateIp);
      expect(registered.stateName).toBe('MONITORED');
      expect(registered.template).toMatchObject({
        PROVISION_ID: p?.id,
        LABELS: host.name,
        PROVISION: { ID: p?.id, DEPLOY_ID: host.providerId, HOSTNAME: host.name, INDEX: String(host.index) },
        ONEFORM: { PROVISION_ID: p?.id, RESOURCE_ID: host.providerId, DRIVER: 'sim' },
      });
      expect(host.timings?.['monitor']?.end).toBeDefined();
    }
  });

  it('gives the private vnet the overlay the roles build, and each public address as an elastic range', async () => {
    const { p } = await create();
    const vnets = await one.vnPool.info();
    const privateNet = vnets.find((v) => v.name === 'sim-edge-private');
    expect(privateNet?.template).toMatchObject({
      VN_MAD: 'vxlan',
      PHYDEV: 'eth0',
      VLAN_ID: '4242',
      BRIDGE: 'vxbr4242',
      IP_LINK_CONF: 'nolearning=',
      CONF: 'keep_empty_bridge=true',
    });
    expect(privateNet?.template['VXLAN_MODE']).toBeUndefined();
    const publicNet = await one.vn.info(vnets.find((v) => v.name === 'sim-edge-public')?.id ?? -1);
    const ranges = publicNet.addressRanges.map((ar) => ar.attributes);
    expect(ranges).toHaveLength(2);
    for (const ip of p?.hosts.flatMap((h) => h.publicIps) ?? []) {
      const low = ip.address.split('.').slice(2).join('.');
      expect(ranges).toContainEqual(
        expect.objectContaining({ IP: `10.0.${low}`, EXTERNAL_IP: ip.address, NETWORK_MASK: '255.255.255.254', IPAM_LEASE_ID: ip.leaseId }),
      );
    }
    // Bound per VM by OpenNebula's elastic driver, not pinned to a host when the provision is created.
    expect(s.cloud.liveAddresses(p?.id).every((a) => a.attachedTo === undefined)).toBe(true);
  });

  it('creates an EVPN private network as a VN template with the overlay attributes, and deletes it', async () => {
    const plan = simEdgePlan({
      overlay: { mode: 'evpn', vni: 4300 },
      networks: [
        {
          name: 'sim-edge-private',
          role: 'private',
          vnMad: 'vxlan',
          template: true,
          attributes: { PHYDEV: '${updates.default_ipv4_nic}', AUTOMATIC_VLAN_ID: 'YES', VXLAN_MODE: 'evpn', VXLAN_TEP: 'dev' },
        },
      ],
    });
    const { p } = await create(plan);
    expect(p?.state).toBe('RUNNING');
    const [template] = await one.vntemplatePool.info();
    expect(template?.name).toBe('sim-edge-private');
    expect(template?.template).toMatchObject({
      PHYDEV: 'eth0',
      VLAN_ID: '4300',
      BRIDGE: 'vxbr4300',
      VXLAN_MODE: 'evpn',
      VXLAN_TEP: 'local_ip',
    });
    expect(template?.template['AUTOMATIC_VLAN_ID']).toBeUndefined();
    await remove(p?.id ?? '', { cleanup: true });
    expect(await one.vntemplatePool.info()).toEqual([]);
  });

  it("fails the register step with oned's ERROR message when the front-end cannot monitor a host", async () => {
    oned.failMonitoring('*', 'Could not monitor: ssh: connect to host port 22: Connection refused');
    const { p } = await create(simEdgePlan({ failurePolicy: { onError: 'keep' } }));
    expect(p?.state).toBe('ERROR');
    for (const host of p?.hosts ?? []) {
      expect(host.failedStep).toBe('register');
      expect(host.error?.errorName).toBe('HostNotMonitoredError');
      expect(host.error?.message).toMatch(
        /^OpenNebula could not monitor host edge-host\d \(10\.0\.\d+\.\d+, OpenNebula host \d+\): .*Error monitoring Host .*Connection refused$/,
      );
    }
  });

  it('fails the register step when a host stays INIT past the monitoring bound (an IM_MAD the front-end does not run)', async () => {
    const plan = simEdgePlan({ failurePolicy: { onError: 'keep' } });
    plan.hosts = plan.hosts.map((h) => ({ ...h, imMad: 'nosuch' }));
    const { p } = await create(plan);
    expect(p?.hosts.map((h) => h.error?.errorName)).toEqual(['HostMonitorTimeoutError', 'HostMonitorTimeoutError']);
    expect(p?.hosts[0]?.error?.message).toMatch(
      /is still INIT after \d+ s: the front-end has not monitored it\. Check that its monitoring daemon runs the IM_MAD 'nosuch'/,
    );
  });

  it('resumes a host that failed monitoring at its register step: re-enabled, monitored, RUNNING', async () => {
    oned.failMonitoring('*', 'probe failed');
    const { p } = await create(simEdgePlan({ failurePolicy: { onError: 'keep' } }));
    expect(p?.state).toBe('ERROR');
    oned.failMonitoring('*', undefined);
    const hostIds = p?.hosts.map((h) => h.oneId);
    const { retryProvision } = await import('../../lambdas/provisioning/commands');
    const retried = await retryProvision(s.deps, { owner: 'alice', id: p?.id ?? '' });
    await s.runner.wait(retried.executionId);
    const after = await s.deps.store.get(p?.id ?? '');
    expect(after?.state).toBe('RUNNING');
    expect(after?.hosts.map((h) => h.oneId)).toEqual(hostIds);
  });

  it('deletes a host whose tagging failed: its id was recorded before the tag (nothing left in OpenNebula)', async () => {
    oned.faults.failCall('one.host.update', { code: 0x2000, message: '[one.host.update] Error updating host', times: 1000 });
    const { p } = await create();
    expect(p?.state).toBe('ERROR');
    expect(p?.hosts[0]?.error?.errorName).toBe('OneInternalError');
    oned.faults.clear();
    const left = oned.snapshot();
    expect([left.hosts, left.vnets, left.clusters.filter((c) => c.id >= 100)].flat()).toEqual([]);
    expect(left.datastores.filter((d) => d.id >= 100)).toEqual([]);
  });

  it('with a kept host whose tagging failed, delete --cleanup removes it too', async () => {
    oned.faults.failCall('one.host.update', { code: 0x2000, message: '[one.host.update] Error updating host', nth: 2, times: 1000 });
    const { p } = await create(simEdgePlan({ failurePolicy: { onError: 'keep' } }));
    expect(p?.state).toBe('ERROR');
    oned.faults.clear();
    expect(oned.snapshot().hosts).toHaveLength(2);
    const { p: deleted } = await remove(p?.id ?? '', { cleanup: true });
    expect(deleted?.state).toBe('DELETED');
    expect(oned.snapshot().hosts).toEqual([]);
    expect(oned.snapshot().clusters.map((c) => c.id)).toEqual([0]);
  });

  it('refuses to delete while images are in its datastores, and deletes them, and its VM templates, with cleanup', async () => {
    const { p } = await create();
    const imageDs = p?.datastores.find((d) => d.name === 'sim-edge-image')?.oneId ?? -1;
    const image = await one.image.allocate('NAME = "disk"\nTYPE = "DATABLOCK"\nSIZE = "10"', imageDs);
    await one.template.allocate(`NAME = "app"\nCPU = "1"\nMEMORY = "64"\nPROVISION_ID = "${p?.id}"`);
    await expect(deleteProvision(s.deps, { owner: 'alice', id: p?.id ?? '', cleanup: false })).rejects.toMatchObject({
      name: 'ImagesPresentError',
      message: expect.stringContaining(`image(s) are in the datastores of provision ${p?.id} (ids ${image})`),
    });
    expect((await s.deps.store.get(p?.id ?? ''))?.state).toBe('RUNNING');
    const { p: deleted } = await remove(p?.id ?? '', { cleanup: true });
    expect(deleted?.state).toBe('DELETED');
    const left = oned.snapshot();
    expect([left.images, left.vmTemplates, left.datastores.filter((d) => d.id >= 100), left.hosts].flat()).toEqual([]);
  });

  it('starts a VM over XML-RPC, refuses delete while it runs, and terminates it with cleanup', async () => {
    const { p } = await create();
    const privateNet = p?.networks.find((n) => n.name === 'sim-edge-private')?.oneId ?? -1;
    const vm = await one.vm.allocate(`NAME = "app"\nCPU = "0.5"\nMEMORY = "128"\nNIC = [ NETWORK_ID = "${privateNet}" ]`);
    await one.vm.deploy(vm, p?.hosts[0]?.oneId ?? -1);
    await expect(deleteProvision(s.deps, { owner: 'alice', id: p?.id ?? '', cleanup: false })).rejects.toMatchObject({
      name: 'VmsRunningError',
    });
    const { p: deleted } = await remove(p?.id ?? '', { cleanup: true });
    expect(deleted?.state).toBe('DELETED');
    expect((await one.vm.info(vm)).state).toBe(6);
    expect(oned.snapshot().vnets).toEqual([]);
  });

  it('ends the delete in ERROR with CleanupTimeoutError when a VM never finishes terminating', async () => {
    const { p } = await create();
    const vm = oned.seedVm(p?.hosts[0]?.oneId ?? -1);
    // Stuck in SHUTDOWN: oned accepts terminate-hard, and the VM never reaches DONE.
    oned.setVmState(vm, 3, 12);
    const { p: failed } = await remove(p?.id ?? '', { cleanup: true, cleanupTimeoutSeconds: 1 });
    expect(failed?.state).toBe('ERROR');
    expect(failed?.error).toMatchObject({ errorName: 'CleanupTimeoutError' });
    expect(failed?.error?.message).toMatch(
      new RegExp(`VM\\(s\\) ${vm} still not DONE \\d+ s after cleanup terminated them \\(cleanup timeout 1 s\\)`),
    );
    oned.setVmState(vm, 6, 0);
    const { p: deleted } = await remove(p?.id ?? '', { cleanup: true });
    expect(deleted?.state).toBe('DELETED');
  });
});
