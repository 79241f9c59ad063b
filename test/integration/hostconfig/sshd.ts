import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { whichSync } from '../../../sandbox/hosts/shim-bin';
import { generateSshKeyPair } from '../../../lambdas/hostconfig/keys';

/** The real OpenSSH server binary, if installed. */
export function findSshd(): string | undefined {
  return whichSync('sshd', ['/usr/sbin', '/usr/local/sbin', '/sbin', process.env.PATH ?? ''].join(':'));
}

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

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
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
  const port = await freePort();
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
  // Privilege separation directory the Debian service would create.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
  const child: ChildProcess = spawn(binary, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start: ${log}`)), 5_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}: ${log}`));
    });
  });
  child.stderr?.resume();
  return {
    port,
    hostKey: host.public.trim(),
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
