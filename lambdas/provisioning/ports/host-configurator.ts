import { RoleFailedError } from '../../shared/errors';
/** Where and how to reach a host over SSH. */
export interface HostTarget {
  provisionId: string;
  hostName: string;
  address: string;
  port: number;
  /** Remote user; anyone but root runs the roles through `sudo -n`. */
  user: string;
  /**
   * Pinned host key (`ssh-ed25519 AAAA...`, comment ignored, or a `SHA256:`
   * fingerprint); when absent the first key seen is accepted and returned.
   */
  hostKey?: string;
}

/** One line of role output, streamed into the provision log. */
export interface RoleOutputLine {
  role: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** The private network between the hosts of a provision. */
export interface OverlaySettings {
  mode: 'vxlan' | 'evpn' | 'none';
  vni: number;
}

/** Input of {@link HostConfigurator.configure}. */
export interface ConfigureRequest {
  target: HostTarget;
  /** Resume at this role (after a retry or a time-boxed invocation); default: the first. */
  fromRole?: string;
  /**
   * Validated parameters handed to the roles as environment values; names and
   * patterns are listed in `PARAMS` (params.ts), anything else is refused.
   */
  params: Record<string, string>;
  /** Underlay addresses of the other hosts known now (VXLAN unicast FDB peers); the host's own is skipped. */
  peers: string[];
  overlay: OverlaySettings;
  /**
   * Time budget of this call in ms, counted from its start. A role is not
   * started once less than its reserve remains (the result then says
   * `done: false` and `nextRole`); the first role of a call always starts.
   */
  deadlineMs: number;
}

export interface ConfigureResult {
  /** All roles ran; otherwise continue with `nextRole`. */
  done: boolean;
  nextRole?: string;
  /** Host key presented by the host (to pin on first contact). */
  hostKey: string;
  /** Facts reported by the roles run in this call (default_ipv4_nic, cpu, memory_mb, first_host...). */
  facts: Record<string, string>;
  rolesRun: Array<{ role: string; changed: boolean; durationMs: number }>;
}

/**
 * Turns an allocated machine into an OpenNebula KVM node by running ordered,
 * idempotent roles over one SSH connection.
 *
 * Errors: `ValidationError` (bad request, nothing sent), `HostUnreachableError`
 * (no SSH within the bounded time, or connection lost mid-role),
 * `HostKeyMismatchError`, `UnsupportedOsError`, `RoleFailedError` (role, exit
 * code, last 20 lines). `resumeRole(err)` names the role to retry at.
 */
export interface HostConfigurator {
  /** Role names in the order they run. */
  roles(): readonly string[];
  configure(request: ConfigureRequest, log: (line: RoleOutputLine) => void): Promise<ConfigureResult>;
  /** Writes the full VXLAN peer set on one host (ConvergeOverlay); idempotent. */
  setPeers(target: HostTarget, peers: string[], overlay: OverlaySettings, log?: (line: RoleOutputLine) => void): Promise<void>;
}

/** Where a configuration stopped: attached to the errors the runner throws mid-run. */
export interface RoleContext {
  /** The role that was running; a retry starts there. */
  role?: string;
  /** Its last output lines. */
  lastLines?: string[];
}

/**
 * The role a retry should start at after `configure` threw `err`, or
 * `undefined` when no role had started (keep the previous `nextRole`).
 */
export function resumeRole(err: unknown): string | undefined {
  if (err instanceof RoleFailedError) return err.role;
  const role = (err as RoleContext | undefined)?.role;
  return typeof role === 'string' ? role : undefined;
}
