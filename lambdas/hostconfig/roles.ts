import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One configuration role: a bash script in `roles/`. */
export interface RoleSpec {
  name: string;
  /** Why the role exists, for logs and docs. */
  summary: string;
  /**
   * Time (ms) to keep in hand before starting this role: when less of the
   * invocation's budget is left, the role waits for the next invocation.
   */
  reserveMs: number;
}

/** The roles in the order they run (oneprovision's playbook order, see docs). */
export const ROLES: readonly RoleSpec[] = [
  { name: 'os-check', summary: 'refuse unsupported distributions', reserveMs: 10_000 },
  { name: 'repository', summary: 'OpenNebula package repository', reserveMs: 60_000 },
  { name: 'node-packages', summary: 'OpenNebula KVM node packages, libvirtd, kvm module', reserveMs: 300_000 },
  { name: 'oneadmin-ssh', summary: 'front-end key for oneadmin; report host keys', reserveMs: 10_000 },
  { name: 'firewall', summary: 'inbound 22/tcp, 179/tcp, 8472/udp only', reserveMs: 60_000 },
  { name: 'bridge', summary: 'bridge for the public network', reserveMs: 10_000 },
  { name: 'overlay', summary: 'private overlay: unicast VXLAN or BGP EVPN', reserveMs: 120_000 },
  { name: 'facts', summary: 'report facts for ${updates.*}', reserveMs: 10_000 },
];

/** Role names in order. */
export const ROLE_NAMES: readonly string[] = ROLES.map((role) => role.name);

/** The role ConvergeOverlay runs alone. */
export const OVERLAY_ROLE = 'overlay';

/** Where the role scripts are; a bundler must copy this directory next to the bundle. */
export const DEFAULT_ROLES_DIR = join(__dirname, 'roles');

/** Reads role scripts once per directory and keeps them. */
export class RoleScripts {
  private readonly cache = new Map<string, string>();

  constructor(private readonly dir: string = DEFAULT_ROLES_DIR) {}

  /** The helper library every role runs with. */
  library(): string {
    return this.read('lib.sh');
  }

  /** The body of one role. */
  body(role: string): string {
    if (!ROLE_NAMES.includes(role)) throw new Error(`unknown role ${role}`);
    return this.read(`${role}.sh`);
  }

  private read(file: string): string {
    let text = this.cache.get(file);
    if (text === undefined) {
      text = readFileSync(join(this.dir, file), 'utf8');
      this.cache.set(file, text);
    }
    return text;
  }
}
