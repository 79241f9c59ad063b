import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSshKeyPair } from '../../../lambdas/hostconfig/keys';
import { freeLoopbackPort, launchSshd, stopSshd } from '../../../sandbox/hosts/openssh';

export { findSshd } from '../../../sandbox/hosts/openssh';

/** `OpenSSH_9.2p1 ...` as the binary reports it. */
export function sshdVersion(binary: string): string {
  const out = spawnSync(binary, ['-V'], { encoding: 'utf8' });
  return `${out.stderr}${out.stdout}`.split('\n').find((line) => line.includes('OpenSSH')) ?? 'OpenSSH (unknown version)';
}

/** A private sshd on a loopback port. */
export interface TestSshd {
  port: number;
  /** Its host key, `ssh-ed25519 AAAA...`. */
  hostKey: string;
  close(): Promise<void>;
}

/**
 * Starts `sshd -D` with its own config, host key and authorized key, for root
 * on 127.0.0.1 only. `setEnv` reaches every login (sshd's SetEnv), which is
 * how the roles get their sandbox root and stand-in PATH.
 */
export async function startSshd(binary: string, authorizedKey: string, setEnv: Record<string, string>): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-sshd-'));
  const host = generateSshKeyPair();
  writeFileSync(join(dir, 'host_key'), host.private, { mode: 0o600 });
  writeFileSync(join(dir, 'authorized_keys'), `${authorizedKey.trim()}\n`, { mode: 0o600 });
  const port = await freeLoopbackPort();
  const env = Object.entries(setEnv)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      // The temp directory's parents are not root-only; the files themselves are 0600.
      'StrictModes no',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      `SetEnv ${env}`,
      '',
    ].join('\n'),
  );
  const child = await launchSshd(binary, join(dir, 'sshd_config'));
  return {
    port,
    hostKey: host.public.trim(),
    close: async () => {
      await stopSshd(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
