import { ROLE_NAMES } from '../../lambdas/hostconfig/roles';
import { OS_RELEASES, type OsName } from '../../sandbox/hosts/os-release';
import { frontendKey } from './helpers';
import { localHost, type LocalHost } from './local-role';

const hosts: LocalHost[] = [];
const host = (...args: Parameters<typeof localHost>) => {
  const made = localHost(...args);
  hosts.push(made);
  return made;
};
afterAll(() => hosts.forEach((h) => h.cleanup()));

describe('role os-check', () => {
  it.each<OsName>(['ubuntu-22.04', 'ubuntu-24.04', 'debian-12', 'debian-13', 'almalinux-8', 'almalinux-9', 'rhel-9'])(
    'accepts %s',
    (os) => {
      expect(host({ osRelease: OS_RELEASES[os] }).run('os-check').code).toBe(0);
    },
  );

  it.each<OsName>(['centos-7', 'ubuntu-20.04'])('refuses %s with exit 100 and the supported list', (os) => {
    const out = host({ osRelease: OS_RELEASES[os] }).run('os-check');
    expect(out.code).toBe(100);
    expect(out.stderr).toMatch(/unsupported OS: (centos 7|ubuntu 20\.04); supported: Ubuntu 22\.04\/24\.04, Debian 12\/13/);
  });
});

describe('role repository', () => {
  it('adds the apt source for the distribution and version', () => {
    const h = host({ osRelease: OS_RELEASES['debian-12'] });
    expect(h.run('repository', { EDGE_ONE_VERSION: '6.10' }).code).toBe(0);
    expect(h.file('etc/apt/sources.list.d/opennebula.list')).toBe(
      'deb [signed-by=/etc/apt/keyrings/opennebula.gpg] https://downloads.opennebula.io/repo/6.10/Debian/12 stable opennebula\n',
    );
  });

  it('adds the yum repository and EPEL on AlmaLinux', () => {
    const h = host({ osRelease: OS_RELEASES['almalinux-9'] });
    const out = h.run('repository');
    expect(out.code).toBe(0);
    expect(h.file('etc/yum.repos.d/opennebula.repo')).toContain(
      'baseurl=https://downloads.opennebula.io/repo/7.0/AlmaLinux/$releasever/$basearch',
    );
    expect(h.calls()).toContain('dnf install -y -q epel-release');
  });
});

describe('role node-packages', () => {
  it('installs the KVM node with dnf on EL and loads kvm when /dev/kvm is missing', () => {
    const h = host({ osRelease: OS_RELEASES['almalinux-9'], kvm: false });
    const out = h.run('node-packages');
    expect(out.code).toBe(0);
    expect(h.calls()).toEqual(
      expect.arrayContaining(['dnf install -y -q opennebula-node-kvm', 'systemctl start libvirtd', 'modprobe kvm_intel']),
    );
    expect(out.stdout).toContain('changed: loaded kvm_intel');
  });
});

describe('role firewall', () => {
  it('opens only SSH, BGP and VXLAN and turns ufw off', () => {
    const h = host({ ufwActive: true });
    expect(h.run('firewall').code).toBe(0);
    const rules = h.file('etc/edge-provisioner/firewall.nft');
    expect(rules).toContain('policy drop;');
    const opened = [...rules.matchAll(/(tcp|udp) dport (\S+) accept/g)].map((m) => `${m[2]}/${m[1]}`);
    expect(opened).toEqual(['22/tcp', '179/tcp', '8472/udp']);
    expect(h.calls()).toEqual(expect.arrayContaining(['ufw disable', expect.stringMatching(/^nft -f .*firewall\.nft$/)]));
  });

  it('keeps a non-default SSH port open instead of 22', () => {
    const h = host();
    h.run('firewall', { EDGE_SSH_PORT: '2222' });
    expect(h.file('etc/edge-provisioner/firewall.nft')).toMatch(/tcp dport 2222 accept/);
    expect(h.file('etc/edge-provisioner/firewall.nft')).not.toMatch(/tcp dport 22 accept/);
  });
});

describe('role bridge', () => {
  it('refuses to enslave the NIC that carries the default route', () => {
    const out = host().run('bridge', { EDGE_PUBLIC_PHYDEV: 'eth0' });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('carries the default route');
  });
});

describe('role oneadmin-ssh', () => {
  it('adds the front-end key once and reports the host keys', () => {
    const h = host({ sshHostPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHOSTKEY root@h' });
    h.run('node-packages');
    const first = h.run('oneadmin-ssh', { EDGE_FRONTEND_PUBKEY: frontendKey });
    const second = h.run('oneadmin-ssh', { EDGE_FRONTEND_PUBKEY: frontendKey.replace('oneadmin@frontend', 'renamed') });
    expect(first.stdout).toContain('EDGE_RESULT changed');
    expect(second.stdout).toContain('EDGE_RESULT unchanged');
    expect(h.file('var/lib/one/.ssh/authorized_keys')).toBe(`${frontendKey}\n`);
    expect(second.stdout).toContain('EDGE_FACT ssh_host_key_ed25519=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHOSTKEY');
  });

  it('fails clearly without the front-end key', () => {
    const out = host().run('oneadmin-ssh');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('EDGE_FRONTEND_PUBKEY');
  });
});

describe('role overlay', () => {
  it('configures the first host as EVPN route reflector for the underlay prefix', () => {
    const h = host({ address: '10.0.3.7/16' });
    const out = h.run('overlay', { EDGE_OVERLAY_MODE: 'evpn', EDGE_VNI: '100', EDGE_HOST_INDEX: '0', EDGE_PEERS: '10.0.3.8' });
    expect(out.code).toBe(0);
    const conf = h.file('etc/frr/frr.conf');
    expect(conf).toContain('bgp listen range 10.0.0.0/16 peer-group fabric');
    expect(conf).toContain('neighbor fabric route-reflector-client');
    expect(conf).toContain('advertise-all-vni');
    expect(h.file('etc/frr/daemons')).toContain('bgpd=yes');
    expect(h.calls()).toEqual(expect.arrayContaining(['systemctl start frr']));
    expect(h.calls().filter((c) => c.startsWith('bridge fdb append'))).toEqual([]);
  });

  it('makes the other hosts clients of the route reflector', () => {
    const h = host({ address: '10.0.3.8/16' });
    expect(h.run('overlay', { EDGE_OVERLAY_MODE: 'evpn', EDGE_VNI: '100', EDGE_HOST_INDEX: '1', EDGE_EVPN_RR: '10.0.3.7' }).code).toBe(0);
    const conf = h.file('etc/frr/frr.conf');
    expect(conf).toContain('neighbor 10.0.3.7 remote-as 65000');
    expect(conf).not.toContain('route-reflector-client');
  });

  it('requires the route reflector address on hosts other than the first', () => {
    const out = host().run('overlay', { EDGE_OVERLAY_MODE: 'evpn', EDGE_VNI: '100', EDGE_HOST_INDEX: '1' });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('EDGE_EVPN_RR');
  });

  it('recreates the VXLAN device when the VNI settings changed and writes a unicast boot script', () => {
    const h = host();
    h.run('overlay', { EDGE_VNI: '7', EDGE_PEERS: '10.0.0.20' });
    h.run('overlay', { EDGE_VNI: '7', EDGE_PEERS: '10.0.0.20', EDGE_OVERLAY_LOCAL_IP: '10.0.0.99' });
    expect(h.calls().filter((c) => c.startsWith('ip link del'))).toEqual(['ip link del dev eth0.7']);
    const boot = h.file('etc/edge-provisioner/network.d/20-overlay.sh');
    expect(boot).toContain('type vxlan id 7 dstport 8472 local 10.0.0.99 dev eth0 nolearning');
    expect(boot).toContain('bridge fdb append 00:00:00:00:00:00 dev eth0.7 dst 10.0.0.20');
    expect(boot).not.toMatch(/group|remote/);
  });
});

describe('every role', () => {
  it.each<[OsName, string]>([
    ['ubuntu-24.04', 'vxlan'],
    ['almalinux-9', 'evpn'],
  ])('changes nothing on %s (%s) the second time and says so', (os, mode) => {
    const h = host({ osRelease: OS_RELEASES[os], kvm: false, ufwActive: os.startsWith('ubuntu') });
    const env = {
      EDGE_FRONTEND_PUBKEY: frontendKey,
      EDGE_HOST_INDEX: '0',
      EDGE_OVERLAY_MODE: mode,
      EDGE_VNI: '42',
      EDGE_PEERS: '10.0.0.10 10.0.0.20',
    };
    const results = (pass: number) =>
      ROLE_NAMES.map((role) => {
        const out = h.run(role, env);
        expect(`${pass}:${role}:${out.code}`).toBe(`${pass}:${role}:0`);
        return out.stdout.trim().split('\n').pop();
      });
    results(1);
    const before = h.calls().length;
    expect(results(2)).toEqual(ROLE_NAMES.map(() => 'EDGE_RESULT unchanged'));
    const mutating =
      /^(apt-get|dnf|useradd|chown|nft -f|ip link (add|set|del)|bridge fdb (append|del)|systemctl (enable|start|restart|disable|stop|daemon-reload)|modprobe|sysctl|gpg|ufw disable|sed)/;
    expect(
      h
        .calls()
        .slice(before)
        .filter((call) => mutating.test(call)),
    ).toEqual([]);
  });
});
