import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Commands a role may change the machine with: always the stand-in on a simulated host. */
export const SHIMMED_COMMANDS: readonly string[] = [
  'apt-get',
  'dnf',
  'yum',
  'dpkg-query',
  'rpm',
  'systemctl',
  'ip',
  'bridge',
  'nft',
  'iptables',
  'ip6tables',
  'firewall-cmd',
  'ufw',
  'useradd',
  'usermod',
  'getent',
  'chown',
  'chgrp',
  'restorecon',
  'modprobe',
  'sysctl',
  'curl',
  'gpg',
  'vtysh',
  'hostnamectl',
  'sudo',
];

/**
 * Harmless tools the roles use, linked from the real system. Anything not here
 * and not shimmed is "command not found", so a role that grows a new
 * privileged command fails in tests instead of touching the test machine.
 */
export const PASSTHROUGH_TOOLS: readonly string[] = [
  'bash',
  'sh',
  'cat',
  'grep',
  'sed',
  'awk',
  'mkdir',
  'rm',
  'mv',
  'cp',
  'chmod',
  'ln',
  'tr',
  'cut',
  'sort',
  'uniq',
  'head',
  'tail',
  'wc',
  'env',
  'mktemp',
  'cmp',
  'dirname',
  'basename',
  'readlink',
  'tee',
  'date',
  'sleep',
  'stat',
  'touch',
  'id',
  'uname',
  'true',
  'false',
  'ls',
];

/** Path of the shim script shipped beside this file. */
export const SHIM_SCRIPT = join(__dirname, 'shim', 'edge-sim-shim');

/** Options of {@link createShimBin}. */
export interface ShimBinOptions {
  /** Commands to link to the real binary instead of the stand-in (e.g. `ip` inside a network namespace). */
  real?: readonly string[];
  /** Where real binaries are looked up; default: this process's PATH plus the sbin directories. */
  searchPath?: string;
}

/** Finds an executable by name on a PATH-style list. */
export function whichSync(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Fills `dir` with one entry per command a role may run: stand-ins for the
 * privileged ones and links to the real harmless tools. Used as the only PATH
 * entry of a simulated host. Returns the directory.
 */
export function createShimBin(dir: string, options: ShimBinOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const searchPath =
    options.searchPath ?? [process.env.PATH ?? '', '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'].join(delimiter);
  const real = new Set(options.real ?? []);
  const link = (target: string, name: string): void => {
    const at = join(dir, name);
    if (!existsSync(at)) symlinkSync(target, at);
  };
  for (const name of SHIMMED_COMMANDS) {
    if (real.has(name)) continue;
    link(SHIM_SCRIPT, name);
  }
  for (const name of [...PASSTHROUGH_TOOLS, ...real]) {
    const target = whichSync(name, searchPath);
    if (target) link(target, name);
    else if (real.has(name)) throw new Error(`${name} is not installed`);
  }
  return dir;
}
