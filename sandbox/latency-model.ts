import { createHash } from 'node:crypto';

/**
 * Calibrated latencies of the simulated world: provider and IPAM APIs, host
 * boot, SSH round trips and role work on the hosts, and oned. Every number is
 * a real-world figure (ms at time scale 1) with its source in
 * docs/performance.md ("Latency model"); the sandbox sleeps `figure × timeScale`.
 *
 * Per-host variation comes from a seed: the same seed and host name give the
 * same latencies in every run, so a provision measured alone and inside a
 * fan-out sees the same hosts.
 */

/** One place hosts can be provisioned in, as the orchestrator sees it. */
export interface SiteProfile {
  /** Location code as descriptors name it (`provision.location`). */
  code: string;
  city: string;
  /** Round trip between the orchestrator (and the front-end) in Frankfurt and a host there, ms. */
  rttMs: number;
  /**
   * Factor on bare-metal deploy and package downloads: far sites were slower
   * in the seed demo (its Japan site was the last to finish).
   */
  slowdown: number;
}

/** The orchestrator's and the OpenNebula front-end's own metro, and the site of unknown locations. */
export const HOME_SITE: SiteProfile = { code: 'fra', city: 'Frankfurt', rttMs: 2, slowdown: 1 };

/**
 * Seventeen bare-metal metros on four continents, like the seed demo's 17
 * Packet locations. RTTs from Frankfurt; slowdowns are estimates that make
 * the far Asia-Pacific sites the slow ones and Tokyo the slowest.
 */
export const EDGE_SITES: readonly SiteProfile[] = [
  { code: 'ams', city: 'Amsterdam', rttMs: 8, slowdown: 1 },
  HOME_SITE,
  { code: 'par', city: 'Paris', rttMs: 10, slowdown: 1 },
  { code: 'lon', city: 'London', rttMs: 14, slowdown: 1 },
  { code: 'ewr', city: 'New York', rttMs: 80, slowdown: 1.05 },
  { code: 'iad', city: 'Ashburn', rttMs: 90, slowdown: 1.05 },
  { code: 'yyz', city: 'Toronto', rttMs: 100, slowdown: 1.05 },
  { code: 'ord', city: 'Chicago', rttMs: 105, slowdown: 1.1 },
  { code: 'atl', city: 'Atlanta', rttMs: 110, slowdown: 1.1 },
  { code: 'dfw', city: 'Dallas', rttMs: 130, slowdown: 1.1 },
  { code: 'sea', city: 'Seattle', rttMs: 160, slowdown: 1.1 },
  { code: 'lax', city: 'Los Angeles', rttMs: 165, slowdown: 1.1 },
  { code: 'sjc', city: 'San Jose', rttMs: 170, slowdown: 1.1 },
  { code: 'sin', city: 'Singapore', rttMs: 170, slowdown: 1.3 },
  { code: 'hkg', city: 'Hong Kong', rttMs: 200, slowdown: 1.3 },
  { code: 'syd', city: 'Sydney', rttMs: 340, slowdown: 1.4 },
  { code: 'nrt', city: 'Tokyo', rttMs: 280, slowdown: 1.6 },
];

/** How long a provider takes to hand over a bare-metal host. */
export interface BootProfile {
  name: string;
  /** Allocate → SSH reachable, ms, at slowdown 1. */
  bootMs: number;
  /** Uniform spread around it between hosts, ± ms. */
  bootJitterMs: number;
}

/** Packet bare metal as the seed demo used it: deploys of 1 min 58 s to 2 min 38 s in oneprovision's logs. */
export const PACKET_2019: BootProfile = { name: 'packet-2019', bootMs: 138_000, bootJitterMs: 20_000 };

/** AWS `*.metal` instances today: often 15–25 minutes to SSH (reference/providers.md). */
export const AWS_METAL: BootProfile = { name: 'aws-metal', bootMs: 1_200_000, bootJitterMs: 300_000 };

/** Real-world work of each configuration role on a fresh host, ms at slowdown 1 (sum ≈ 4.5 min). */
export const ROLE_WORK_MS: Readonly<Record<string, number>> = {
  'os-check': 1_000,
  repository: 15_000,
  'node-packages': 240_000,
  'oneadmin-ssh': 1_000,
  firewall: 5_000,
  bridge: 2_000,
  overlay: 3_000,
  facts: 1_000,
};

/** Roles whose work is mostly downloading packages: they take the site's slowdown. */
const DOWNLOAD_ROLES = new Set(['repository', 'node-packages']);

/** Spread of role work between hosts: uniform ± this fraction. */
const ROLE_JITTER = 0.15;

/** One provider or IPAM API call (HTTPS to the provider's API from Frankfurt), ms. */
export const PROVIDER_API_MS = 200;

/**
 * oned, measured on OpenNebula's own oned 7.5.80 (sqlite, loopback): object
 * allocations and updates, reads, a new vnet's LOCK_CREATE → READY and a new
 * host's INIT → MONITORED.
 */
export const ONED = {
  writeCallMs: 60,
  readCallMs: 5,
  vnetReadyMs: 100,
  hostMonitorMs: 6_000,
  vmTerminateMs: 20_000,
} as const;

/** A modelled wait the sandbox served: what it stands for and what it took here. */
export interface LatencyWait {
  kind: 'api' | 'ssh-handshake' | 'ssh-command' | 'role';
  /** Host name (or provision id) the wait belongs to. */
  key?: string;
  /** What it stands for at time scale 1, ms. */
  modelledMs: number;
  /** What the sandbox slept: `modelledMs × timeScale`. */
  realMs: number;
  /** Epoch ms when it started. */
  at: number;
}

/** Every modelled wait served on a host's or a provision's behalf, for projections to time scale 1. */
export class LatencyLedger {
  readonly waits: LatencyWait[] = [];

  record(wait: LatencyWait): void {
    this.waits.push(wait);
  }
}

/** Settings of {@link LatencyModel}. */
export interface LatencyModelOptions {
  /** Real time per simulated time (0.1: a 2.3-minute deploy takes 14 s). */
  timeScale: number;
  seed?: number;
  boot?: BootProfile;
  sites?: readonly SiteProfile[];
  /** Where served waits are recorded; none when unset. */
  ledger?: LatencyLedger;
}

/**
 * The calibrated latency model. Every method answers in *real* (scaled) ms
 * what the sandbox should wait, and records the wait in the ledger.
 */
export class LatencyModel {
  readonly timeScale: number;
  readonly seed: number;
  readonly boot: BootProfile;
  readonly ledger?: LatencyLedger;
  private readonly sites: Map<string, SiteProfile>;

  constructor(options: LatencyModelOptions) {
    if (!(options.timeScale > 0)) throw new Error(`time scale must be positive, got ${options.timeScale}`);
    this.timeScale = options.timeScale;
    this.seed = options.seed ?? 1;
    this.boot = options.boot ?? PACKET_2019;
    this.ledger = options.ledger;
    this.sites = new Map((options.sites ?? EDGE_SITES).map((s) => [s.code, s]));
  }

  /** The site of a location code; unknown codes (e.g. `sim-fra-1`) are the home site. */
  site(location: string | undefined): SiteProfile {
    return (location && this.sites.get(location)) || HOME_SITE;
  }

  /** A uniform draw in [-1, 1] fixed by the seed and the parts. */
  jitter(...parts: string[]): number {
    const h = createHash('sha256')
      .update([this.seed, ...parts].join(':'))
      .digest();
    return (h.readUInt32BE(0) / 0xffffffff) * 2 - 1;
  }

  /** One provider or IPAM API call made for `key` (a host name or provision id). */
  apiMs(call: string, key?: string): number {
    return this.serve('api', PROVIDER_API_MS, key);
  }

  /** Allocate → running of a bare-metal host, real ms; served through readiness polls, so not recorded. */
  bootMs(hostName: string, location?: string): number {
    return this.bootModelledMs(hostName, location) * this.timeScale;
  }

  /** Allocate → running of a bare-metal host, ms at time scale 1. */
  bootModelledMs(hostName: string, location?: string): number {
    const site = this.site(location);
    return Math.max(0, (this.boot.bootMs + this.jitter('boot', hostName) * this.boot.bootJitterMs) * site.slowdown);
  }

  /** What the model alone makes of a host's pipeline at time scale 1: boot plus every role's work, ms. */
  pipelineModelledMs(hostName: string, location?: string): number {
    const site = this.site(location);
    const roles = Object.keys(ROLE_WORK_MS).reduce((sum, role) => sum + this.roleWorkMs(hostName, role, site), 0);
    return this.bootModelledMs(hostName, location) + roles;
  }

  /** The SSH latencies of one host, for the simulated host's server. */
  sshHost(hostName: string, location?: string): { handshakeMs(): number; commandMs(): number; roleMs(role: string): number } {
    const site = this.site(location);
    return {
      // TCP, key exchange and public-key authentication: about three round trips.
      handshakeMs: () => this.serve('ssh-handshake', 3 * site.rttMs, hostName),
      // Channel open and exec: one round trip.
      commandMs: () => this.serve('ssh-command', site.rttMs, hostName),
      roleMs: (role) => this.serve('role', this.roleWorkMs(hostName, role, site), hostName),
    };
  }

  /** Modelled work of one role on one host, ms at time scale 1. */
  roleWorkMs(hostName: string, role: string, site: SiteProfile): number {
    const base = ROLE_WORK_MS[role] ?? 0;
    const factor = DOWNLOAD_ROLES.has(role) ? site.slowdown : 1;
    return base * factor * (1 + this.jitter('role', hostName, role) * ROLE_JITTER);
  }

  /** Latency oned adds to an XML-RPC method, real ms (not attributed: under a second per provision). */
  onedCallMs(method: string): number {
    const read = /\.(info|version|config)$/.test(method) || method.endsWith('pool.info');
    return (read ? ONED.readCallMs : ONED.writeCallMs) * this.timeScale;
  }

  /** Scaled oned transition delays (real ms). */
  onedDelays(): { vnetReadyDelayMs: number; hostMonitorDelayMs: number; vmTerminateDelayMs: number } {
    return {
      vnetReadyDelayMs: ONED.vnetReadyMs * this.timeScale,
      hostMonitorDelayMs: ONED.hostMonitorMs * this.timeScale,
      vmTerminateDelayMs: ONED.vmTerminateMs * this.timeScale,
    };
  }

  private serve(kind: LatencyWait['kind'], modelledMs: number, key?: string): number {
    const realMs = modelledMs * this.timeScale;
    this.ledger?.record({ kind, key, modelledMs, realMs, at: Date.now() });
    return realMs;
  }
}
