import { mkdtempSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';

import { RoleScripts } from '../../../lambdas/hostconfig/roles';
import { overlayNetworkAttributes } from '../../../lambdas/provisioning/overlay-network';
import type { NetworkPlan } from '../../../lambdas/provisioning/plan';
import { buildRoleScript } from '../../../lambdas/hostconfig/script';
import { seedHostRoot } from '../../../sandbox/hosts/root';
import { createShimBin, whichSync } from '../../../sandbox/hosts/shim-bin';
import { bridge, canUseNetns, inNetns, ip, removeStaleNamespaces } from './netns';

const PREFIX = 'ephc';
const ns = (name: string) => `${PREFIX}${process.pid}-${name}`;
const HOSTS = [1, 2, 3];
const underlay = (n: number) => `10.200.0.${n}`;
const overlayIp = (n: number) => `10.201.0.${n}`;

/** The private network of a provision as the descriptor writes it; its vnet attributes come from the overlay. */
const PRIVATE: NetworkPlan = {
  name: 'edge-private',
  role: 'private',
  vnMad: 'vxlan',
  attributes: { PHYDEV: 'eth0', MTU: '1450' },
  addressRanges: [{ type: 'IP4', ip: '172.16.0.2', size: 250, attributes: {} }],
  publicIps: 0,
  template: false,
};
const vnetOf = (mode: 'vxlan' | 'evpn', vni: number) =>
  overlayNetworkAttributes({ overlay: { mode, vni }, hosts: [] }, PRIVATE) as Record<string, string>;
/** A VM's address on the private network: the address range hands them out from its first IP. */
const vmIp = (n: number) => `172.16.0.${n + 1}`;

const isRoot = process.getuid?.() === 0;
const probe = isRoot ? canUseNetns(ns('probe')) : { ok: false, why: 'not root' };
const ping = whichSync('ping', ['/usr/bin', '/bin', process.env.PATH ?? ''].join(':'));
const ready = probe.ok && ping !== undefined;
if (!probe.ok) console.warn(`[integration] SKIPPED real VXLAN overlay test: no network namespaces here (${probe.why})`);
else if (!ping) console.warn('[integration] SKIPPED real VXLAN overlay test: ping not installed (apt-get install -y iputils-ping)');
else console.log(`[integration] real components: Linux ${release()} VXLAN + bridge, ${ip('-V').trim()}, in network namespaces ${ns('*')}`);

const suite = ready ? describe : describe.skip;

suite('overlay role on real kernels (unicast VXLAN between network namespaces)', () => {
  let base: string;
  let bin: string;
  const scripts = new RoleScripts();

  /** Runs the overlay role inside a host's namespace with the real ip and bridge. */
  const runOverlay = (n: number, peers: number[], extra: Record<string, string> = {}) =>
    inNetns(ns(`h${n}`), [join(bin, 'bash'), '-s'], {
      input: buildRoleScript(scripts, 'overlay', {
        EDGE_OVERLAY_MODE: 'vxlan',
        EDGE_VNI: '4242',
        EDGE_PEERS: peers.map(underlay).join(' '),
        ...extra,
      }),
      env: { PATH: bin, EDGE_ROOT: join(base, `root${n}${extra['EDGE_OVERLAY_MODE'] ?? ''}`), TMPDIR: tmpdir() },
    });

  /**
   * A VM as OpenNebula's bridge-based drivers attach one: a veth pair, one end
   * in the VM (here a namespace) with the NIC's address, the other (`one-<vm>-0`)
   * put in the vnet's BRIDGE on its host.
   */
  const plugVm = (n: number, bridgeName: string, tag: string) => {
    const vm = ns(`vm${tag}${n}`);
    ip('netns', 'add', vm);
    ip('-n', vm, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `one-${tag}${n}-0`, 'netns', ns(`h${n}`));
    ip('-n', vm, 'addr', 'add', `${vmIp(n)}/24`, 'dev', 'eth0');
    ip('-n', vm, 'link', 'set', 'eth0', 'mtu', PRIVATE.attributes['MTU'] ?? '1450', 'up');
    ip('-n', vm, 'link', 'set', 'lo', 'up');
    ip('-n', ns(`h${n}`), 'link', 'set', `one-${tag}${n}-0`, 'master', bridgeName, 'up');
    return vm;
  };

  /** What OpenNebula's vxlan driver checks before creating anything: `<PHYDEV>.<VLAN_ID>` is in `BRIDGE`. */
  const expectDriverFindsOverlay = (n: number, vnet: Record<string, string>) => {
    const device = `${vnet['PHYDEV']}.${vnet['VLAN_ID']}`;
    const members = ip('-n', ns(`h${n}`), '-o', 'link', 'show', 'master', vnet['BRIDGE'] ?? '');
    expect(members).toContain(` ${device}: `);
    const details = ip('-n', ns(`h${n}`), '-d', 'link', 'show', device);
    expect(details).toMatch(
      new RegExp(
        `vxlan id ${vnet['VLAN_ID']} local ${underlay(n).replace(/\./g, '\\.')} dev ${vnet['PHYDEV']} .*dstport 8472 .*nolearning`,
      ),
    );
    expect(details).not.toMatch(/ group \d+\.\d+\.\d+\.\d+| remote /);
  };

  beforeAll(() => {
    removeStaleNamespaces(PREFIX);
    base = mkdtempSync(join(tmpdir(), 'edge-netns-'));
    bin = createShimBin(join(base, 'bin'), { real: ['ip', 'bridge'] });
    // Underlay: every host's eth0 on one bridge in a hub namespace; nothing in the machine's own namespace.
    ip('netns', 'add', ns('hub'));
    ip('-n', ns('hub'), 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', ns('hub'), 'link', 'set', 'br0', 'up');
    for (const n of HOSTS) {
      const host = ns(`h${n}`);
      ip('netns', 'add', host);
      ip('-n', host, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `p${n}`, 'netns', ns('hub'));
      ip('-n', ns('hub'), 'link', 'set', `p${n}`, 'master', 'br0', 'up');
      ip('-n', host, 'addr', 'add', `${underlay(n)}/24`, 'dev', 'eth0');
      ip('-n', host, 'link', 'set', 'eth0', 'up');
      ip('-n', host, 'link', 'set', 'lo', 'up');
      ip('-n', host, 'route', 'add', 'default', 'dev', 'eth0');
      seedHostRoot(join(base, `root${n}`));
      seedHostRoot(join(base, `root${n}evpn`));
    }
  });

  afterAll(() => {
    removeStaleNamespaces(PREFIX);
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('builds a unicast mesh every host can ping across', async () => {
    const runs = await Promise.all(HOSTS.map((n) => runOverlay(n, HOSTS)));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('EDGE_RESULT changed');
    }
    for (const n of HOSTS) {
      ip('-n', ns(`h${n}`), 'addr', 'add', `${overlayIp(n)}/24`, 'dev', 'vxbr4242');
      const details = ip('-n', ns(`h${n}`), '-d', 'link', 'show', 'eth0.4242');
      expect(details).toMatch(/vxlan id 4242 local 10\.200\.0\.\d .*dstport 8472 .*nolearning/);
      // Unicast only: no multicast group, no single remote.
      expect(details).not.toMatch(/ group \d+\.\d+\.\d+\.\d+| remote /);
      const fdb = bridge('-n', ns(`h${n}`), 'fdb', 'show', 'dev', 'eth0.4242').split('\n');
      const peers = fdb.filter((line) => line.startsWith('00:00:00:00:00:00')).map((line) => / dst (\S+)/.exec(line)?.[1]);
      expect(peers.sort()).toEqual(HOSTS.filter((m) => m !== n).map(underlay));
    }
    const pairs = HOSTS.flatMap((a) => HOSTS.filter((b) => b !== a).map((b) => [a, b] as const));
    const pings = await Promise.all(pairs.map(([a, b]) => inNetns(ns(`h${a}`), [ping ?? 'ping', '-c', '1', '-W', '2', overlayIp(b)])));
    expect(pings.map((p, i) => `${pairs[i]?.join('->')}:${p.code}`)).toEqual(pairs.map(([a, b]) => `${a}->${b}:0`));
  });

  it('builds the overlay the private vnet describes: a VM plugged into its bridge on one host reaches one on another', async () => {
    const vnet = vnetOf('vxlan', 4242);
    expect(vnet).toMatchObject({ PHYDEV: 'eth0', VLAN_ID: '4242', BRIDGE: 'vxbr4242', IP_LINK_CONF: 'nolearning=' });
    for (const n of HOSTS) expectDriverFindsOverlay(n, vnet);
    const [a, b] = [plugVm(1, vnet['BRIDGE'] ?? '', 'u'), plugVm(2, vnet['BRIDGE'] ?? '', 'u')];
    const there = await inNetns(a, [ping ?? 'ping', '-c', '1', '-W', '2', vmIp(2)]);
    const back = await inNetns(b, [ping ?? 'ping', '-c', '1', '-W', '2', vmIp(1)]);
    expect([there.code, back.code]).toEqual([0, 0]);
  });

  it('changes nothing when run again with the same peers', async () => {
    const runs = await Promise.all(HOSTS.map((n) => runOverlay(n, HOSTS)));
    expect(runs.map((run) => run.stdout.trim().split('\n').pop())).toEqual(HOSTS.map(() => 'EDGE_RESULT unchanged'));
  });

  it('drops the flood entry of a host that left (scale in)', async () => {
    const run = await runOverlay(1, [1, 2]);
    expect(run.stdout).toContain(`changed: peer ${underlay(3)} removed`);
    const fdb = bridge('-n', ns('h1'), 'fdb', 'show', 'dev', 'eth0.4242');
    expect(fdb).toContain(`dst ${underlay(2)}`);
    expect(fdb).not.toContain(`dst ${underlay(3)}`);
  });

  it('builds an EVPN device the EVPN vnet describes; with the routes FRR would install, VMs on two hosts reach each other', async () => {
    const vni = 4300;
    const vnet = vnetOf('evpn', vni);
    expect(vnet).toMatchObject({ VLAN_ID: String(vni), BRIDGE: `vxbr${vni}`, VXLAN_MODE: 'evpn', VXLAN_TEP: 'local_ip' });
    const evpn = (n: number) => ({
      EDGE_OVERLAY_MODE: 'evpn',
      EDGE_VNI: String(vni),
      EDGE_HOST_INDEX: String(n - 1),
      EDGE_EVPN_RR: underlay(1),
    });
    const runs = await Promise.all([1, 2].map((n) => runOverlay(n, [], evpn(n))));
    for (const run of runs) expect(run.stderr).toBe('');
    for (const n of [1, 2]) {
      expectDriverFindsOverlay(n, vnet);
      // EVPN learns VTEPs over BGP: the role writes no flood list of its own.
      expect(bridge('-n', ns(`h${n}`), 'fdb', 'show', 'dev', `eth0.${vni}`)).not.toMatch(/^00:00:00:00:00:00 .*dst /m);
    }
    // No FRR here: install the flood entries its type-3 routes would, then VMs on the bridge reach each other.
    bridge('-n', ns('h1'), 'fdb', 'append', '00:00:00:00:00:00', 'dev', `eth0.${vni}`, 'dst', underlay(2));
    bridge('-n', ns('h2'), 'fdb', 'append', '00:00:00:00:00:00', 'dev', `eth0.${vni}`, 'dst', underlay(1));
    const [a] = [plugVm(1, vnet['BRIDGE'] ?? '', 'e'), plugVm(2, vnet['BRIDGE'] ?? '', 'e')];
    expect((await inNetns(a, [ping ?? 'ping', '-c', '1', '-W', '2', vmIp(2)])).code).toBe(0);
  });
});
