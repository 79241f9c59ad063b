/** Where and how to reach a host over SSH. */
export interface HostTarget {
  provisionId: string;
  hostName: string;
  address: string;
  port: number;
  user: string;
  /** Pinned host key; when absent the first key seen is accepted and returned. */
  hostKey?: string;
}

/** One line of role output, streamed into the provision log. */
export interface RoleOutputLine {
  role: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Input of {@link HostConfigurator.configure}. */
export interface ConfigureRequest {
  target: HostTarget;
  /** Resume at this role (after a retry or a time-boxed invocation); default: the first. */
  fromRole?: string;
  /** Validated parameters handed to the roles as environment values. */
  params: Record<string, string>;
  /** Underlay addresses of the other hosts known now (VXLAN unicast FDB peers). */
  peers: string[];
  overlay: { mode: 'vxlan' | 'evpn' | 'none'; vni: number };
  /** Stop starting new roles once less than this many ms remain. */
  deadlineMs: number;
}

export interface ConfigureResult {
  /** All roles ran; otherwise continue with `nextRole`. */
  done: boolean;
  nextRole?: string;
  /** Host key presented by the host (to pin on first contact). */
  hostKey: string;
  /** Facts reported by the last role (default_ipv4_nic, cpu, memory_mb...). */
  facts: Record<string, string>;
  rolesRun: Array<{ role: string; changed: boolean; durationMs: number }>;
}

/**
 * Turns an allocated machine into an OpenNebula KVM node by running ordered,
 * idempotent roles over one SSH connection.
 */
export interface HostConfigurator {
  /** Role names in the order they run. */
  roles(): readonly string[];
  configure(request: ConfigureRequest, log: (line: RoleOutputLine) => void): Promise<ConfigureResult>;
  /** Writes the full VXLAN peer set on one host (ConvergeOverlay); idempotent. */
  setPeers(target: HostTarget, peers: string[], overlay: { mode: 'vxlan' | 'evpn' | 'none'; vni: number }): Promise<void>;
}
