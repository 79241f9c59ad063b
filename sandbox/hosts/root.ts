import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { OS_RELEASES } from './os-release';

/** What a simulated host looks like before any role ran. */
export interface HostRootOptions {
  /** Body of `/etc/os-release`; default Ubuntu 24.04. */
  osRelease?: string;
  cpus?: number;
  memoryMb?: number;
  /** Name of the NIC with the default route. */
  nic?: string;
  /** Underlay address with prefix length, e.g. `10.0.0.11/24`. */
  address?: string;
  /** OpenSSH public host key written to `/etc/ssh/ssh_host_ed25519_key.pub`. */
  sshHostPublicKey?: string;
  /** Whether `/dev/kvm` exists already (else `modprobe` makes it appear). */
  kvm?: boolean;
  /** An Ubuntu host with ufw switched on. */
  ufwActive?: boolean;
}

const STATE = 'var/lib/edge-sim';
const CALLS = 'var/log/edge-sim/calls.log';

function put(root: string, path: string, body: string): void {
  const at = join(root, path);
  mkdirSync(dirname(at), { recursive: true });
  writeFileSync(at, body);
}

/** Writes the files and stand-in state a fresh simulated host starts from. */
export function seedHostRoot(root: string, options: HostRootOptions = {}): void {
  const nic = options.nic ?? 'eth0';
  const address = options.address ?? '10.0.0.10/24';
  const ip = address.split('/')[0] ?? address;
  const gateway = ip.replace(/\.\d+$/, '.1');
  const cpus = options.cpus ?? 4;
  put(root, 'etc/os-release', options.osRelease ?? OS_RELEASES['ubuntu-24.04']);
  put(root, 'etc/passwd', 'root:x:0:0:root:/root:/bin/bash\n');
  put(root, 'proc/cpuinfo', Array.from({ length: cpus }, (_, i) => `processor\t: ${i}\nvendor_id\t: GenuineIntel\n`).join('\n'));
  put(root, 'proc/meminfo', `MemTotal:       ${(options.memoryMb ?? 8192) * 1024} kB\n`);
  if (options.sshHostPublicKey) put(root, 'etc/ssh/ssh_host_ed25519_key.pub', `${options.sshHostPublicKey.trim()}\n`);
  if (options.kvm ?? true) put(root, 'dev/kvm', '');
  mkdirSync(join(root, 'root'), { recursive: true });
  mkdirSync(join(root, 'tmp'), { recursive: true });
  put(root, `${STATE}/links/lo`, 'index=1\nkind=\nspec=\nmtu=65536\nup=1\n');
  put(root, `${STATE}/links/${nic}`, 'index=2\nkind=\nspec=\nmtu=1500\nup=1\n');
  put(root, `${STATE}/addrs/${nic}`, `${address}\n`);
  put(root, `${STATE}/routes`, `default via ${gateway} dev ${nic} proto dhcp src ${ip} metric 100\n`);
  put(root, `${STATE}/packages`, options.ufwActive ? 'openssh-server\nufw\n' : 'openssh-server\n');
  if (options.ufwActive) put(root, `${STATE}/ufw.active`, '');
  put(root, CALLS, '');
}

/** Privileged calls made on the host so far, one command line each, oldest first. */
export function readCalls(root: string): string[] {
  const at = join(root, CALLS);
  if (!existsSync(at)) return [];
  return readFileSync(at, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

/** Makes `command` fail on the host with `exitCode` and `message` on stderr (until {@link healCommand}). */
export function failCommand(root: string, command: string, exitCode: number, message: string): void {
  put(root, `${STATE}/fail/${command}`, `${exitCode}\n${message}\n`);
}

/** Undoes {@link failCommand}. */
export function healCommand(root: string, command: string): void {
  rmSync(join(root, `${STATE}/fail/${command}`), { force: true });
}

/** The simulated FDB flood entries of a VXLAN device: the peer addresses. */
export function readFdbPeers(root: string, device: string): string[] {
  const at = join(root, `${STATE}/fdb/${device}`);
  if (!existsSync(at)) return [];
  return readFileSync(at, 'utf8')
    .split('\n')
    .map((line) => /^00:00:00:00:00:00 dst (\S+)/.exec(line)?.[1])
    .filter((peer): peer is string => peer !== undefined)
    .sort();
}
