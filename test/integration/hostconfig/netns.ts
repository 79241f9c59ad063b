import { spawn, spawnSync } from 'node:child_process';

import { whichSync } from '../../../sandbox/hosts/shim-bin';

const SBIN = ['/usr/sbin', '/sbin', '/usr/bin', '/bin', process.env.PATH ?? ''].join(':');

/** Absolute path of iproute2's `ip`, if installed. */
export const IP = whichSync('ip', SBIN);

/** Runs `ip ARGS`; throws with its stderr on failure. */
export function ip(...args: string[]): string {
  const out = spawnSync(IP ?? 'ip', args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`ip ${args.join(' ')}: ${out.stderr.trim()}`);
  return out.stdout;
}

/** Absolute path of iproute2's `bridge`, if installed. */
export const BRIDGE = whichSync('bridge', SBIN);

/** Runs `bridge ARGS`; throws with its stderr on failure. */
export function bridge(...args: string[]): string {
  const out = spawnSync(BRIDGE ?? 'bridge', args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`bridge ${args.join(' ')}: ${out.stderr.trim()}`);
  return out.stdout;
}

/** Whether this process may create network namespaces (root, not blocked by a sandbox). */
export function canUseNetns(probe: string): { ok: boolean; why: string } {
  if (!IP) return { ok: false, why: 'iproute2 is not installed (apt-get install -y iproute2)' };
  const added = spawnSync(IP, ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.status !== 0) return { ok: false, why: `ip netns add failed: ${added.stderr.trim()}` };
  const vxlan = spawnSync(IP, ['-n', probe, 'link', 'add', 'vx0', 'type', 'vxlan', 'id', '1', 'dstport', '8472', 'nolearning'], {
    encoding: 'utf8',
  });
  spawnSync(IP, ['netns', 'del', probe]);
  if (vxlan.status !== 0) return { ok: false, why: `the kernel refuses VXLAN devices: ${vxlan.stderr.trim()}` };
  return { ok: true, why: '' };
}

/**
 * Deletes namespaces named `<prefix><pid>-*` whose test process is gone (a
 * crashed earlier run) and those of this process.
 */
export function removeStaleNamespaces(prefix: string): void {
  const names = spawnSync(IP ?? 'ip', ['netns', 'list'], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => line.split(' ')[0] ?? '');
  for (const name of names) {
    const pid = new RegExp(`^${prefix}(\\d+)-`).exec(name)?.[1];
    if (pid === undefined) continue;
    if (Number(pid) !== process.pid && isAlive(Number(pid))) continue;
    spawnSync(IP ?? 'ip', ['netns', 'del', name]);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command inside a namespace, without blocking the event loop; resolves with its exit code and output. */
export function inNetns(
  ns: string,
  command: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(IP ?? 'ip', ['netns', 'exec', ns, ...command], {
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (child.stdin) {
      // A command that exits without reading its input is not an error here.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}
