import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NodeSSH } from 'node-ssh';
import { ROLE_NAMES } from '../../../lambdas/hostconfig/roles';
import { HostAuthError, HostKeyMismatchError, RoleFailedError, ValidationError } from '../../../lambdas/shared/errors';
import { failCommand, healCommand, seedHostRoot } from '../../../sandbox/hosts/root';
import { createShimBin, SHIMMED_COMMANDS } from '../../../sandbox/hosts/shim-bin';
import { clientKey, fastConfigurator, rejection, requestFor } from '../../hostconfig/helpers';
import { findSshd, sshdVersion, startSshd, type TestSshd } from './sshd';
import { generateSshKeyPair } from '../../../lambdas/hostconfig/keys';

const sshd = findSshd();
const isRoot = process.getuid?.() === 0;
const suite = sshd && isRoot ? describe : describe.skip;
if (!sshd) console.warn('[integration] SKIPPED real sshd tests: sshd not found (Debian: apt-get install -y openssh-server)');
else if (!isRoot) console.warn('[integration] SKIPPED real sshd tests: they must run as root (the only account they log in as)');
else console.log(`[integration] real components: ${sshdVersion(sshd)} (${sshd}) on 127.0.0.1, roles under bash`);

suite('SshHostConfigurator against a real sshd', () => {
  let base: string;
  let root: string;
  let server: TestSshd;
  const target = () => ({ provisionId: 'p-int', hostName: 'real-1', address: '127.0.0.1', port: server.port, user: 'root' });

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'edge-realhost-'));
    root = join(base, 'root');
    const bin = createShimBin(join(base, 'bin'));
    seedHostRoot(root, { address: '10.0.0.21/24', sshHostPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIREALHOST root@real-1' });
    server = await startSshd(sshd ?? 'sshd', clientKey.public, { EDGE_ROOT: root, PATH: bin, TMPDIR: join(root, 'tmp') });

    // Safety net: the account's shell start-up files may add PATH entries;
    // every privileged command must still resolve to the stand-in.
    const ssh = await new NodeSSH().connect({ host: '127.0.0.1', port: server.port, username: 'root', privateKey: clientKey.private });
    const resolved = await ssh.execCommand(`for c in ${SHIMMED_COMMANDS.join(' ')}; do command -v "$c" || echo "missing $c"; done`);
    ssh.dispose();
    const outside = resolved.stdout.split('\n').filter((line) => !line.startsWith(`${bin}/`));
    if (outside.length > 0) throw new Error(`privileged commands would reach the real machine: ${outside.join(', ')}`);
  });

  afterAll(async () => {
    await server?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('authenticates with the key, pins the host key at first contact and configures the host', async () => {
    const result = await fastConfigurator().configure(requestFor(target(), { peers: ['10.0.0.21', '10.0.0.22'] }), () => undefined);
    expect(result.done).toBe(true);
    expect(result.hostKey).toBe(server.hostKey);
    expect(result.facts).toMatchObject({ default_ipv4_nic: 'eth0', default_ipv4_address: '10.0.0.21', cpu: '4' });
    expect(readFileSync(join(root, 'etc/apt/sources.list.d/opennebula.list'), 'utf8')).toContain('/repo/7.0/Ubuntu/24.04 stable');
  });

  it('changes nothing on a second run with the pinned key', async () => {
    const again = await fastConfigurator().configure(
      requestFor({ ...target(), hostKey: server.hostKey }, { peers: ['10.0.0.21', '10.0.0.22'] }),
      () => undefined,
    );
    expect(again.rolesRun.map((r) => `${r.role}:${r.changed ? 'changed' : 'unchanged'}`)).toEqual(
      ROLE_NAMES.map((role) => `${role}:unchanged`),
    );
  });

  it('refuses the host when another key is pinned', async () => {
    const other = generateSshKeyPair().public;
    const err = await rejection(fastConfigurator().configure(requestFor({ ...target(), hostKey: other }), () => undefined));
    expect(err).toBeInstanceOf(HostKeyMismatchError);
  });

  it('is refused with a key the host does not know', async () => {
    const stranger = generateSshKeyPair().private;
    const err = await rejection(
      fastConfigurator({ privateKey: stranger, reachableWithinMs: 300 }).configure(requestFor(target()), () => undefined),
    );
    expect(err).toBeInstanceOf(HostAuthError);
    expect(err.message).toContain('public key authentication refused');
  });

  it('passes hostile values as data and refuses them where a pattern applies', async () => {
    const marker = join(root, 'tmp', 'pwned');
    for (const value of ['"; rm -rf / #', `$(touch ${marker})`, `\`touch ${marker}\``, `'; touch ${marker}; '`]) {
      await fastConfigurator().configure(
        requestFor(target(), { fromRole: 'os-check', deadlineMs: 0, params: { EDGE_PROVISION_NAME: value } }),
        () => undefined,
      );
      expect(readFileSync(join(root, 'etc/edge-provisioner/provision-name'), 'utf8')).toBe(`${value}\n`);
    }
    const strict = await rejection(
      fastConfigurator().configure(requestFor(target(), { params: { EDGE_PUBLIC_BRIDGE: `br0\ntouch ${marker}` } }), () => undefined),
    );
    expect(strict).toBeInstanceOf(ValidationError);
    expect(existsSync(marker)).toBe(false);
  });

  it('reports a failing role with its last lines', async () => {
    failCommand(root, 'nft', 1, 'Error: Could not process rule: Operation not permitted');
    rmSync(join(root, 'etc/edge-provisioner/firewall.nft'));
    try {
      const err = await rejection(fastConfigurator().configure(requestFor(target(), { fromRole: 'firewall' }), () => undefined));
      expect(err).toBeInstanceOf(RoleFailedError);
      expect((err as RoleFailedError).lastLines).toContain('Error: Could not process rule: Operation not permitted');
    } finally {
      healCommand(root, 'nft');
    }
  });
});
