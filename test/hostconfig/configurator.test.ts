import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { resumeRole } from '../../lambdas/provisioning/ports/host-configurator';
import { ROLE_NAMES } from '../../lambdas/hostconfig/roles';
import {
  HostKeyMismatchError,
  HostAuthError,
  HostUnreachableError,
  RoleFailedError,
  UnsupportedOsError,
  ValidationError,
} from '../../lambdas/shared/errors';
import { OS_RELEASES } from '../../sandbox/hosts/os-release';
import { failCommand, healCommand } from '../../sandbox/hosts/root';
import { startSimHost, type SimHost, type SimHostOptions } from '../../sandbox/hosts/sim-host';
import { clientKey, collector, fastConfigurator, rejection, requestFor, targetOf } from './helpers';
import { generateSshKeyPair } from '../../lambdas/hostconfig/keys';

const started: SimHost[] = [];
async function simHost(name: string, extra: Partial<SimHostOptions> = {}): Promise<SimHost> {
  const host = await startSimHost({ name, authorizedKey: clientKey.public, ...extra });
  started.push(host);
  return host;
}
afterAll(async () => {
  await Promise.all(started.map((host) => host.close()));
});

/** Calls that change something (reads such as `is-active` or `dpkg-query` left out). */
const MUTATING =
  /^(apt-get|dnf|useradd|chown|nft -f|ip link (add|set|del)|bridge fdb (append|del)|systemctl (enable|start|restart|disable|stop)|modprobe|sysctl|gpg|ufw disable)/;

describe('SshHostConfigurator on a simulated host', () => {
  let host: SimHost;
  let firstKey: string;
  const out = collector();

  beforeAll(async () => {
    host = await simHost('edge-1', { address: '10.0.0.11/24' });
    const result = await fastConfigurator().configure(
      requestFor(targetOf(host), { peers: ['10.0.0.11', '10.0.0.12', '10.0.0.13'] }),
      out.log,
    );
    firstKey = result.hostKey;
    expect(result).toMatchObject({ done: true, hostKey: host.hostKey });
    expect(result.rolesRun.map((r) => r.role)).toEqual(ROLE_NAMES);
    expect(result.facts).toMatchObject({ default_ipv4_nic: 'eth0', cpu: '4', memory_mb: '8192', first_host: '10.0.0.11' });
  });

  it('runs every role and does the privileged work through the host', () => {
    expect(host.calls()).toEqual(
      expect.arrayContaining([
        'apt-get install -y -q -o Dpkg::Options::=--force-confold opennebula-node-kvm',
        'systemctl start libvirtd',
        expect.stringMatching(/^nft -f /),
        'ip link add name br0 type bridge',
        'ip link add eth0.4242 type vxlan id 4242 dstport 8472 local 10.0.0.11 dev eth0 nolearning',
        'bridge fdb append 00:00:00:00:00:00 dev eth0.4242 dst 10.0.0.12',
        'bridge fdb append 00:00:00:00:00:00 dev eth0.4242 dst 10.0.0.13',
      ]),
    );
    // Its own address is never a peer, and there is no multicast group.
    expect(host.calls().join('\n')).not.toMatch(/dst 10\.0\.0\.11|group/);
  });

  it('keeps the port it reached SSH on open in the firewall', () => {
    const rules = readFileSync(join(host.root, 'etc/edge-provisioner/firewall.nft'), 'utf8');
    expect(rules).toContain(`tcp dport ${host.port} accept`);
  });

  it('streams output line by line, tagged with the role', () => {
    expect(out.lines).toContainEqual({ role: 'node-packages', stream: 'stdout', text: 'changed: installed opennebula-node-kvm' });
    expect(out.lines).toContainEqual({ role: 'facts', stream: 'stdout', text: 'EDGE_FACT cpu=4' });
    expect(out.lines.every((line) => !line.text.includes('\n'))).toBe(true);
  });

  it('changes nothing on a second run and says so, with the pinned key', async () => {
    const before = host.calls().length;
    const again = await fastConfigurator().configure(
      requestFor(targetOf(host, { hostKey: firstKey }), { peers: ['10.0.0.12', '10.0.0.13'] }),
      () => undefined,
    );
    expect(again.rolesRun.map((r) => r.changed)).toEqual(ROLE_NAMES.map(() => false));
    expect(
      host
        .calls()
        .slice(before)
        .filter((call) => MUTATING.test(call)),
    ).toEqual([]);
  });

  it('uses one SSH connection for all roles of a host', () => {
    expect(host.connections()).toHaveLength(2);
  });
});

describe('SshHostConfigurator host keys', () => {
  it('refuses a host whose key differs from the pin, without running anything', async () => {
    const host = await simHost('pinned');
    const other = generateSshKeyPair().public;
    const err = await rejection(fastConfigurator().configure(requestFor(targetOf(host, { hostKey: other })), () => undefined));
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect(err.message).toContain(host.hostKey.split(' ')[1]);
    expect(host.calls()).toEqual([]);
  });

  it('refuses a host presenting another key than the one recorded at first contact', async () => {
    const host = await simHost('swapped', { faults: { presentOtherHostKey: true } });
    const err = await rejection(fastConfigurator().configure(requestFor(targetOf(host, { hostKey: host.hostKey })), () => undefined));
    expect(err.name).toBe('HostKeyMismatchError');
  });
});

describe('SshHostConfigurator reachability', () => {
  it('gives up with HostUnreachableError within the bound when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const startedAt = Date.now();
    const err = await rejection(
      fastConfigurator({ reachableWithinMs: 800 }).configure(
        requestFor(targetOf({ name: 'gone', address: '127.0.0.1', port })),
        () => undefined,
      ),
    );
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect(err.message).toMatch(/not reachable over SSH within 800 ms .*ECONNREFUSED/);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(resumeRole(err)).toBeUndefined();
  });

  it('waits for a slowly booting host', async () => {
    const host = await simHost('slow', { faults: { listenAfterMs: 700 } });
    const result = await fastConfigurator({ reachableWithinMs: 5_000 }).configure(
      requestFor(targetOf(host), { fromRole: 'facts' }),
      () => undefined,
    );
    expect(result.done).toBe(true);
  });

  it('never waits for SSH longer than the call budget', async () => {
    const host = await simHost('late', { faults: { listenAfterMs: 3_000 } });
    const startedAt = Date.now();
    const err = await rejection(
      fastConfigurator({ reachableWithinMs: 60_000, connectTimeoutMs: 300 }).configure(
        requestFor(targetOf(host), { deadlineMs: 600 }),
        () => undefined,
      ),
    );
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect(Date.now() - startedAt).toBeLessThan(2_500);
  });

  it('works through added network latency', async () => {
    const host = await simHost('far', { faults: { latencyMs: 150 } });
    const result = await fastConfigurator().configure(requestFor(targetOf(host), { fromRole: 'facts' }), () => undefined);
    expect(result.facts.cpu).toBe('4');
  });

  it('reports refused authentication as HostAuthError, not as unreachable, naming the user', async () => {
    const host = await simHost('locked', { faults: { refuseAuth: true } });
    const err = await rejection(fastConfigurator({ reachableWithinMs: 500 }).configure(requestFor(targetOf(host)), () => undefined));
    expect(err).toBeInstanceOf(HostAuthError);
    expect(err).not.toBeInstanceOf(HostUnreachableError);
    expect(err.message).toContain('public key authentication refused');
    expect(err.message).toContain('remote_user');
  });

  it('resumes at the interrupted role after the connection dropped mid-role', async () => {
    const host = await simHost('flaky', { faults: { dropDuringRole: 'overlay' } });
    const err = await rejection(fastConfigurator().configure(requestFor(targetOf(host)), () => undefined));
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect(err.message).toContain('lost during role overlay');
    expect(resumeRole(err)).toBe('overlay');
    const retry = await fastConfigurator().configure(requestFor(targetOf(host), { fromRole: resumeRole(err) }), () => undefined);
    expect(retry.done).toBe(true);
    expect(retry.rolesRun.map((r) => r.role)).toEqual(['overlay', 'facts']);
  });
});

describe('SshHostConfigurator failures', () => {
  it('stops at a failing role with its exit code and last lines, and resumes there', async () => {
    const host = await simHost('broken-apt');
    failCommand(host.root, 'apt-get', 100, 'E: Unable to locate package opennebula-node-kvm');
    const err = await rejection(fastConfigurator().configure(requestFor(targetOf(host)), () => undefined));
    expect(err).toBeInstanceOf(RoleFailedError);
    const failed = err as RoleFailedError;
    expect(failed).toMatchObject({ role: 'node-packages', exitCode: 100 });
    expect(failed.lastLines).toContain('E: Unable to locate package opennebula-node-kvm');
    expect(failed.lastLines.length).toBeLessThanOrEqual(20);
    expect(failed.message).toContain('role node-packages failed with exit code 100');
    expect(host.calls().some((call) => call.startsWith('useradd') || call.startsWith('nft'))).toBe(false);

    healCommand(host.root, 'apt-get');
    const retry = await fastConfigurator().configure(requestFor(targetOf(host), { fromRole: resumeRole(err) }), () => undefined);
    expect(retry.rolesRun.map((r) => r.role)).toEqual(ROLE_NAMES.slice(ROLE_NAMES.indexOf('node-packages')));
  });

  it('refuses an unsupported OS by name', async () => {
    const host = await simHost('old', { osRelease: OS_RELEASES['centos-7'] });
    const err = await rejection(fastConfigurator().configure(requestFor(targetOf(host)), () => undefined));
    expect(err).toBeInstanceOf(UnsupportedOsError);
    expect(err.message).toMatch(/unsupported OS: centos 7; supported: Ubuntu 22\.04\/24\.04/);
    expect(host.calls()).toEqual([]);
  });
});

describe('SshHostConfigurator time budget', () => {
  it('stops starting roles when the budget runs low and continues from nextRole', async () => {
    const host = await simHost('budget');
    const configurator = fastConfigurator({ roleReserveMs: Object.fromEntries(ROLE_NAMES.map((role) => [role, 60_000])) });
    const first = await configurator.configure(requestFor(targetOf(host), { deadlineMs: 30_000 }), () => undefined);
    expect(first).toMatchObject({ done: false, nextRole: 'repository' });
    expect(first.rolesRun.map((r) => r.role)).toEqual(['os-check']);
    const next = await configurator.configure(requestFor(targetOf(host), { fromRole: first.nextRole, deadlineMs: 0 }), () => undefined);
    expect(next).toMatchObject({ done: false, nextRole: 'node-packages' });
    expect(next.rolesRun.map((r) => r.role)).toEqual(['repository']);
  });
});

describe('SshHostConfigurator parameters', () => {
  const marker = (host: SimHost) => join(host.root, 'tmp', 'pwned');
  let strict: SimHost | undefined;

  it('writes hostile free text verbatim on the host and runs none of it', async () => {
    const host = await simHost('hostile');
    const values = ['"; rm -rf / #', `$(touch ${marker(host)})`, `\`touch ${marker(host)}\``, `'; touch ${marker(host)}; '`];
    for (const value of values) {
      await fastConfigurator().configure(
        requestFor(targetOf(host), { fromRole: 'os-check', deadlineMs: 0, params: { EDGE_PROVISION_NAME: value } }),
        () => undefined,
      );
      expect(readFileSync(join(host.root, 'etc/edge-provisioner/provision-name'), 'utf8')).toBe(`${value}\n`);
    }
    expect(existsSync(marker(host))).toBe(false);
  });

  it.each([
    ['a parameter', { params: { EDGE_PUBLIC_BRIDGE: 'br0; touch /tmp/pwned' } }],
    ['a parameter with a newline', { params: { EDGE_ONE_VERSION: '7.0\ntouch /tmp/pwned' } }],
    ['an unknown parameter', { params: { BASH_ENV: '/tmp/x' } }],
    ['the host name', { target: { hostName: '$(touch /tmp/pwned)' } }],
    ['the user', { target: { user: 'root`touch /tmp/pwned`' } }],
    ['the address', { target: { address: '127.0.0.1 -oProxyCommand=touch' } }],
    ['a peer', { peers: ['10.0.0.2; touch /tmp/pwned'] }],
    ['the resume role', { fromRole: '../../etc/passwd' }],
  ])('refuses a hostile value in %s before connecting', async (_what, bad) => {
    strict ??= await simHost('strict');
    const host = strict;
    const base = requestFor(targetOf(host));
    const request = { ...base, ...bad, target: { ...base.target, ...(bad as { target?: object }).target } };
    const err = await rejection(fastConfigurator().configure(request, () => undefined));
    expect(err).toBeInstanceOf(ValidationError);
    expect(host.connections()).toEqual([]);
  });

  it('runs the roles through sudo for a non-root user', async () => {
    const host = await simHost('ubuntu-user');
    await fastConfigurator().configure(requestFor(targetOf(host, { user: 'ubuntu' }), { fromRole: 'facts' }), () => undefined);
    expect(host.calls()).toContain('sudo -n bash -s');
  });
});
