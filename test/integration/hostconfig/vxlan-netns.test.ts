import { mkdtempSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';

import { RoleScripts } from '../../../lambdas/hostconfig/roles';
import { buildRoleScript } from '../../../lambdas/hostconfig/script';
import { seedHostRoot } from '../../../sandbox/hosts/root';
import { createShimBin, whichSync } from '../../../sandbox/hosts/shim-bin';
import { bridge, canUseNetns, inNetns, ip, removeStaleNamespaces } from './netns';

const PREFIX = 'ephc';
const ns = (name: string) => `${PREFIX}${process.pid}-${name}`;
const HOSTS = [1, 2, 3];
const underlay = (n: number) => `10.200.0.${n}`;
const overlayIp = (n: number) => `10.201.0.${n}`;

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
  const runOverlay = (n: number, peers: number[]) =>
    inNetns(ns(`h${n}`), [join(bin, 'bash'), '-s'], {
      input: buildRoleScript(scripts, 'overlay', {
        EDGE_OVERLAY_MODE: 'vxlan',
        EDGE_VNI: '4242',
        EDGE_PEERS: peers.map(underlay).join(' '),
      }),
      env: { PATH: bin, EDGE_ROOT: join(base, `root${n}`), TMPDIR: tmpdir() },
    });

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
      const details = ip('-n', ns(`h${n}`), '-d', 'link', 'show', 'vxlan4242');
      expect(details).toMatch(/vxlan id 4242 local 10\.200\.0\.\d .*dstport 8472 .*nolearning/);
      // Unicast only: no multicast group, no single remote.
      expect(details).not.toMatch(/ group \d+\.\d+\.\d+\.\d+| remote /);
      const fdb = bridge('-n', ns(`h${n}`), 'fdb', 'show', 'dev', 'vxlan4242').split('\n');
      const peers = fdb.filter((line) => line.startsWith('00:00:00:00:00:00')).map((line) => / dst (\S+)/.exec(line)?.[1]);
      expect(peers.sort()).toEqual(HOSTS.filter((m) => m !== n).map(underlay));
    }
    const pairs = HOSTS.flatMap((a) => HOSTS.filter((b) => b !== a).map((b) => [a, b] as const));
    const pings = await Promise.all(pairs.map(([a, b]) => inNetns(ns(`h${a}`), [ping ?? 'ping', '-c', '1', '-W', '2', overlayIp(b)])));
    expect(pings.map((p, i) => `${pairs[i]?.join('->')}:${p.code}`)).toEqual(pairs.map(([a, b]) => `${a}->${b}:0`));
  });

  it('changes nothing when run again with the same peers', async () => {
    const runs = await Promise.all(HOSTS.map((n) => runOverlay(n, HOSTS)));
    expect(runs.map((run) => run.stdout.trim().split('\n').pop())).toEqual(HOSTS.map(() => 'EDGE_RESULT unchanged'));
  });

  it('drops the flood entry of a host that left (scale in)', async () => {
    const run = await runOverlay(1, [1, 2]);
    expect(run.stdout).toContain(`changed: peer ${underlay(3)} removed`);
    const fdb = bridge('-n', ns('h1'), 'fdb', 'show', 'dev', 'vxlan4242');
    expect(fdb).toContain(`dst ${underlay(2)}`);
    expect(fdb).not.toContain(`dst ${underlay(3)}`);
  });
});
