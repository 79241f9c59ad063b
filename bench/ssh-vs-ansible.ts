import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createSshHostConfigurator } from '../lambdas/hostconfig';
import { generateSshKeyPair } from '../lambdas/hostconfig/keys';
import { ROLE_NAMES, RoleScripts } from '../lambdas/hostconfig/roles';
import { buildRoleScript } from '../lambdas/hostconfig/script';
import type { ConfigureRequest } from '../lambdas/provisioning/ports/host-configurator';
import { whichSync } from '../sandbox/hosts/shim-bin';
import { median, type BenchContext } from './figures';
import { findSshd, startSshdHosts, type SshdHost } from './sshd-hosts';

const run = promisify(execFile);

/** Hosts of the comparison and Ansible's forks (one per host). */
export const SSH_HOSTS = 8;

/** Alternating (ours, Ansible) pairs; each side's median is reported. */
export const PAIRS = 3;

const OVERLAY = { mode: 'vxlan', vni: 4242 } as const;

/** The configuration request of one host, as ConfigureHost makes it. */
function requestOf(host: SshdHost, index: number, peers: string[], frontendKey: string): ConfigureRequest {
  return {
    target: { provisionId: 'p-bench', hostName: host.name, address: '127.0.0.1', port: host.port, user: host.user, hostKey: host.hostKey },
    params: { EDGE_FRONTEND_PUBKEY: frontendKey, EDGE_HOST_INDEX: String(index) },
    peers,
    overlay: OVERLAY,
    deadlineMs: 600_000,
  };
}

/** The environment the runner gives each role (its `roleEnv`), so Ansible runs the very same script text. */
function roleEnv(r: ConfigureRequest): Record<string, string> {
  return {
    EDGE_SSH_PORT: String(r.target.port),
    ...r.params,
    EDGE_PROVISION_ID: r.target.provisionId,
    EDGE_HOST_NAME: r.target.hostName,
    EDGE_OVERLAY_MODE: r.overlay.mode,
    EDGE_VNI: String(r.overlay.vni),
    EDGE_PEERS: [...new Set(r.peers)].join(' '),
  };
}

/** Our runner: every host at once, one SSH connection per host, all roles in order. */
async function runOurs(requests: ConfigureRequest[], privateKey: string): Promise<number> {
  const configurator = createSshHostConfigurator({ privateKey, maxConcurrency: requests.length, connectTimeoutMs: 10_000 });
  const started = Date.now();
  const results = await Promise.all(requests.map((r) => configurator.configure(r, () => undefined)));
  const wall = Date.now() - started;
  const unfinished = results.filter((r) => !r.done);
  if (unfinished.length > 0) throw new Error(`our runner left ${unfinished.length} hosts unconfigured`);
  return wall;
}

/**
 * A directory Ansible runs from: inventory (one entry per host, its own
 * user and port), the role scripts built per host exactly as our runner
 * sends them, a playbook of one `script` task per role, and an ansible.cfg
 * that only sets what a default install would otherwise prompt for or share
 * (forks, the key, known hosts, private temp and control directories).
 */
function ansibleProject(dir: string, hosts: SshdHost[], requests: ConfigureRequest[], keyPath: string): void {
  const scripts = new RoleScripts();
  const knownHosts = hosts.map((h) => `[127.0.0.1]:${h.port} ${h.hostKey}`).join('\n');
  writeFileSync(join(dir, 'known_hosts'), `${knownHosts}\n`);
  hosts.forEach((h, i) => {
    const r = requests[i] as ConfigureRequest;
    mkdirSync(join(dir, 'scripts', h.name), { recursive: true });
    for (const role of ROLE_NAMES) writeFileSync(join(dir, 'scripts', h.name, `${role}.sh`), buildRoleScript(scripts, role, roleEnv(r)));
  });
  writeFileSync(
    join(dir, 'inventory.ini'),
    ['[edge]', ...hosts.map((h) => `${h.name} ansible_host=127.0.0.1 ansible_port=${h.port} ansible_user=${h.user}`), ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'playbook.yml'),
    [
      '- hosts: edge',
      // The roles need root; our runner gets it with `sudo -n`, Ansible with become (sudo).
      '  become: true',
      '  tasks:',
      ...ROLE_NAMES.flatMap((role) => [
        `    - name: ${role}`,
        `      ansible.builtin.script: scripts/{{ inventory_hostname }}/${role}.sh`,
        '      args:',
        '        executable: bash',
      ]),
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'ansible.cfg'),
    [
      '[defaults]',
      `forks = ${hosts.length}`,
      'inventory = inventory.ini',
      `private_key_file = ${keyPath}`,
      `local_tmp = ${join(dir, 'local-tmp')}`,
      'interpreter_python = auto_silent',
      '[ssh_connection]',
      `ssh_common_args = -o UserKnownHostsFile=${join(dir, 'known_hosts')}`,
      '',
    ].join('\n'),
  );
}

/** ansible-playbook over the project, with a fresh control directory (no master connection left from an earlier run). */
async function runAnsible(playbook: string, dir: string, run1: number): Promise<number> {
  const control = join(dir, `cp-${run1}`);
  mkdirSync(control);
  const env = {
    ...process.env,
    ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
    ANSIBLE_HOME: join(dir, 'home'),
    ANSIBLE_SSH_CONTROL_PATH_DIR: control,
  };
  const started = Date.now();
  try {
    await run(playbook, ['playbook.yml'], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`ansible-playbook failed: ${`${e.stdout ?? ''}${e.stderr ?? ''}`.split('\n').slice(-15).join('\n')}`);
  } finally {
    // The master connections persist 60 s by default; end ours now.
    for (const socket of readdirSync(control)) {
      try {
        execFileSync('ssh', ['-o', `ControlPath=${join(control, socket)}`, '-O', 'exit', 'bench'], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  }
  return Date.now() - started;
}

/**
 * Figure 4: the same role scripts on 8 real sshd hosts on loopback, run by
 * our SSH runner and by `ansible-playbook` (`script` module, forks = 8, fact
 * gathering as a default install does it), in alternating pairs; the ratio of
 * the medians of the wall times. Skipped with a message when ansible or sshd
 * is missing (`npm run bench:setup` installs them) or not running as root.
 */
export async function sshVsAnsibleFigures(ctx: BenchContext): Promise<void> {
  const playbook = whichSync('ansible-playbook', process.env['PATH'] ?? '');
  const sshd = findSshd();
  if (!playbook || !sshd || process.getuid?.() !== 0) {
    const missing = !playbook
      ? 'ansible-playbook is not installed'
      : !sshd
        ? 'sshd is not installed'
        : 'it needs root (one Unix user per host)';
    ctx.note(`ssh.speedup_vs_ansible skipped: ${missing}; run \`npm run bench:setup\` (as root) first`);
    return;
  }
  const version = execFileSync(playbook, ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  ctx.note(`comparing against ${version.trim()} and ${sshd}`);
  const key = generateSshKeyPair('edge-bench');
  const frontendKey = `${generateSshKeyPair().public.trim().split(' ').slice(0, 2).join(' ')} oneadmin@frontend`;
  const fleet = await startSshdHosts(sshd, SSH_HOSTS, key.public);
  const dir = mkdtempSync(join(tmpdir(), 'edge-bench-ansible-'));
  try {
    const keyPath = join(dir, 'id_ed25519');
    writeFileSync(keyPath, key.private, { mode: 0o600 });
    const peers = fleet.hosts.map((_, i) => `10.0.1.${10 + i}`);
    const requests = fleet.hosts.map((h, i) => requestOf(h, i, peers, frontendKey));
    ansibleProject(dir, fleet.hosts, requests, keyPath);
    const ours: number[] = [];
    const ansible: number[] = [];
    const reset = () => fleet.hosts.forEach((h) => h.reset());
    for (let pair = 0; pair < PAIRS; pair += 1) {
      const order = pair % 2 === 0 ? ['ours', 'ansible'] : ['ansible', 'ours'];
      for (const side of order) {
        reset();
        if (side === 'ours') ours.push(await runOurs(requests, key.private));
        else ansible.push(await runAnsible(playbook, dir, ansible.length));
      }
    }
    ctx.emit({
      name: 'ssh.wall_ms.ours',
      value: median(ours),
      unit: `ms, median of ${PAIRS}, ${SSH_HOSTS} hosts × ${ROLE_NAMES.length} roles`,
    });
    ctx.emit({
      name: 'ssh.wall_ms.ansible',
      value: median(ansible),
      unit: `ms, median of ${PAIRS}, ${SSH_HOSTS} hosts × ${ROLE_NAMES.length} roles`,
    });
    ctx.emit({ name: 'ssh.speedup_vs_ansible', value: median(ansible) / median(ours), unit: 'ansible / ours, wall time', target: '>= 5' });
  } finally {
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
