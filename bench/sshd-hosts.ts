import { execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSshKeyPair } from '../lambdas/hostconfig/keys';
import { seedHostRoot } from '../sandbox/hosts/root';
import { createShimBin } from '../sandbox/hosts/shim-bin';
import { freeLoopbackPort, launchSshd, stopSshd } from '../sandbox/hosts/openssh';

export { findSshd } from '../sandbox/hosts/openssh';

/** One loopback "host": its own sshd, Unix user, home and sandbox root. */
export interface SshdHost {
  name: string;
  port: number;
  user: string;
  /** `ssh-ed25519 AAAA...`. */
  hostKey: string;
  /** The root the roles change (`EDGE_ROOT`). */
  root: string;
  /** Puts the root back to a fresh host's, so every run does the same work. */
  reset(): void;
}

/** A set of loopback hosts and how to take them down. */
export interface SshdFleet {
  hosts: SshdHost[];
  close(): Promise<void>;
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Starts `count` real sshd servers on loopback ports, each letting in only
 * its own new Unix user (key `authorizedKey`), whose logins get their own
 * sandbox root (`EDGE_ROOT`) and the stand-in commands first on PATH: eight
 * machines as far as an SSH client can tell. Needs root (useradd).
 */
export async function startSshdHosts(binary: string, count: number, authorizedKey: string): Promise<SshdFleet> {
  const run4 = Math.random().toString(16).slice(2, 6);
  const base = mkdtempSync(join(tmpdir(), 'edge-bench-sshd-'));
  chmodSync(base, 0o755);
  const bin = createShimBin(join(base, 'bin'));
  const hosts: SshdHost[] = [];
  const servers: ChildProcess[] = [];
  const users: string[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const name = `bench-host${i}`;
      const user = `edgeb${run4}h${i}`;
      const dir = join(base, name);
      const home = join(dir, 'home');
      const root = join(dir, 'root');
      mkdirSync(home, { recursive: true });
      chmodSync(dir, 0o755);
      // A login that sshd lets in without PAM: a shell, and a password field that is not locked.
      run('useradd', ['--no-create-home', '--home-dir', home, '--shell', '/bin/bash', '--password', '*', user]);
      users.push(user);
      const hostKey = generateSshKeyPair();
      writeFileSync(join(dir, 'host_key'), hostKey.private, { mode: 0o600 });
      writeFileSync(join(dir, 'authorized_keys'), `${authorizedKey.trim()}\n`, { mode: 0o644 });
      const reset = () => {
        rmSync(root, { recursive: true, force: true });
        seedHostRoot(root, { address: `10.0.1.${10 + i}/24`, sshHostPublicKey: hostKey.public });
        run('chown', ['-R', `${user}:`, home, root]);
      };
      reset();
      const port = await freeLoopbackPort();
      const config = join(dir, 'sshd_config');
      writeFileSync(
        config,
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${join(dir, 'host_key')}`,
          `PidFile ${join(dir, 'sshd.pid')}`,
          `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
          `AllowUsers ${user}`,
          'PubkeyAuthentication yes',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'UsePAM no',
          'StrictModes no',
          'X11Forwarding no',
          // Ansible multiplexes its tasks over one master connection per host.
          'MaxSessions 32',
          `SetEnv EDGE_ROOT=${root} PATH=${bin}:/usr/local/bin:/usr/bin:/bin TMPDIR=${join(root, 'tmp')} LANG=C.UTF-8`,
          '',
        ].join('\n'),
      );
      servers.push(await launchSshd(binary, config));
      hosts.push({ name, port, user, hostKey: hostKey.public.trim(), root, reset });
    }
  } catch (err) {
    await closeAll(servers, users, base);
    throw err;
  }
  return { hosts, close: () => closeAll(servers, users, base) };
}

async function closeAll(servers: ChildProcess[], users: string[], base: string): Promise<void> {
  await Promise.all(servers.map(stopSshd));
  for (const user of users) {
    try {
      run('userdel', [user]);
    } catch {
      // a login still closing; the next run uses other names
    }
  }
  rmSync(base, { recursive: true, force: true });
}
