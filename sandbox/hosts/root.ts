import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
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

/** The files (path under the root → body) and empty directories a fresh simulated host starts from. */
export function hostRootFiles(options: HostRootOptions = {}): { files: Array<[string, string]>; dirs: string[] } {
  const nic = options.nic ?? 'eth0';
  const address = options.address ?? '10.0.0.10/24';
  const ip = address.split('/')[0] ?? address;
  const gateway = ip.replace(/\.\d+$/, '.1');
  const cpus = options.cpus ?? 4;
  const files: Array<[string, string]> = [
    ['etc/os-release', options.osRelease ?? OS_RELEASES['ubuntu-24.04']],
    ['etc/passwd', 'root:x:0:0:root:/root:/bin/bash\n'],
    ['proc/cpuinfo', Array.from({ length: cpus }, (_, i) => `processor\t: ${i}\nvendor_id\t: GenuineIntel\n`).join('\n')],
    ['proc/meminfo', `MemTotal:       ${(options.memoryMb ?? 8192) * 1024} kB\n`],
  ];
  if (options.sshHostPublicKey) files.push(['etc/ssh/ssh_host_ed25519_key.pub', `${options.sshHostPublicKey.trim()}\n`]);
  if (options.kvm ?? true) files.push(['dev/kvm', '']);
  files.push(
    [`${STATE}/links/lo`, 'index=1\nkind=\nspec=\nmtu=65536\nup=1\n'],
    [`${STATE}/links/${nic}`, 'index=2\nkind=\nspec=\nmtu=1500\nup=1\n'],
    [`${STATE}/addrs/${nic}`, `${address}\n`],
    [`${STATE}/routes`, `default via ${gateway} dev ${nic} proto dhcp src ${ip} metric 100\n`],
    [`${STATE}/packages`, options.ufwActive ? 'openssh-server\nufw\n' : 'openssh-server\n'],
  );
  if (options.ufwActive) files.push([`${STATE}/ufw.active`, '']);
  files.push([CALLS, '']);
  return { files, dirs: ['root', 'tmp'] };
}

/** Writes the files and stand-in state a fresh simulated host starts from. */
export function seedHostRoot(root: string, options: HostRootOptions = {}): void {
  const { files, dirs } = hostRootFiles(options);
  for (const dir of dirs) mkdirSync(join(root, dir), { recursive: true });
  for (const [path, body] of files) put(root, path, body);
}

/** {@link seedHostRoot} off the event loop: a sandbox seeds many hosts while its executions run. */
export async function seedHostRootAsync(root: string, options: HostRootOptions = {}): Promise<void> {
  const { files, dirs } = hostRootFiles(options);
  await Promise.all(dirs.map((dir) => mkdir(join(root, dir), { recursive: true })));
  await Promise.all(
    files.map(async ([path, body]) => {
      const at = join(root, path);
      await mkdir(dirname(at), { recursive: true });
      await writeFile(at, body);
    }),
  );
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
