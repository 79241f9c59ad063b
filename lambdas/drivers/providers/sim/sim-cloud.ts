import { readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { ProviderHostStatus } from '../../../provisioning/ports/provider';
import type { SimFault, SimIpamFault } from './faults';

/** A machine in the simulated cloud. */
export interface SimMachine {
  providerId: string;
  name: string;
  provisionId: string;
  idempotencyKey: string;
  status: ProviderHostStatus;
  /** Epoch ms at which a pending machine starts running. */
  readyAt: number;
  /** Never becomes running (fault injection). */
  neverBoots?: boolean;
  privateIp: string;
  /** The descriptor's `provision.location`, which a latency model may place the machine by. */
  location?: string;
  sshHost?: string;
  sshPort?: number;
  tags: Record<string, string>;
  createdAt: number;
}

/** A public address in the simulated IPAM. */
export interface SimAddress {
  leaseId: string;
  address: string;
  provisionId: string;
  idempotencyKey: string;
  attachedTo?: string;
  privateIp?: string;
  releasedAt?: number;
}

/** Starts and stops the SSH endpoint of a simulated machine (an `ssh2` server per host). */
export interface SimHostRuntime {
  /**
   * `underlayIp`: the machine's private address, which its overlay uses;
   * `location` where it runs; `port`: the one it had before a restart.
   */
  start(
    providerId: string,
    name: string,
    underlayIp?: string,
    location?: string,
    port?: number,
  ): Promise<{ address: string; port: number }>;
  /** `keepDisk`: a power-off; the next start boots the same disk (files, SSH host key). */
  stop(providerId: string, options?: { keepDisk?: boolean }): Promise<void>;
}

/** Calibrated latencies, in real-world milliseconds before time scaling. */
export interface SimLatencies {
  /** API round trip of a provider call. */
  apiMs: number;
  /** Boot of a bare-metal host, from RunInstances to status checks OK. */
  bootMs: number;
  /** Spread of boot time between hosts (uniform, ± this many ms). */
  bootJitterMs: number;
}

/**
 * Real-world figures the sim is calibrated on: AWS metal instances take 5–10
 * minutes to pass status checks (reference/providers.md); API calls ~200 ms.
 */
export const DEFAULT_LATENCIES: SimLatencies = { apiMs: 200, bootMs: 420_000, bootJitterMs: 60_000 };

/**
 * Latencies from a calibrated model instead of {@link SimLatencies}: real
 * (already scaled) ms, per call and per machine.
 */
export interface SimLatencySource {
  /** One API round trip; `key` names the host or provision the call is made for. */
  apiMs(call: string, key?: string): number;
  /** Allocate → running of the machine `name` in `location`. */
  bootMs(name: string, location?: string): number;
}

/** Options of {@link SimCloud}. */
export interface SimCloudOptions {
  /** Real time per simulated time: 0.001 makes a 7-minute boot take 0.42 s. */
  timeScale?: number;
  latencies?: Partial<SimLatencies>;
  /** Addresses the IPAM may hand out. */
  addressQuota?: number;
  /** JSON file the state is written through to, so a restarted sandbox keeps its "cloud". */
  statePath?: string;
  /** Seed for boot jitter, so runs are repeatable. */
  seed?: number;
  runtime?: SimHostRuntime;
  /** Calibrated latencies; replaces `latencies` and `seed` when set. */
  latency?: SimLatencySource;
}

interface SimState {
  seq: number;
  machines: SimMachine[];
  addresses: SimAddress[];
}

/**
 * The simulated infrastructure provider and its IPAM: one in-process "cloud"
 * that the sim drivers call. It keeps every machine and address it ever
 * handed out, so tests and audits can count leaks and duplicates.
 */
export class SimCloud {
  readonly timeScale: number;
  readonly latencies: SimLatencies;
  readonly addressQuota: number;
  private state: SimState;
  private readonly statePath?: string;
  private readonly seed: number;
  private runtime?: SimHostRuntime;
  private readonly latency?: SimLatencySource;
  /** Calls per API name, for tests and the cost model. */
  readonly calls = new Map<string, number>();
  /** Allocation attempts per idempotency key, for once-only faults. */
  private readonly attempts = new Map<string, number>();
  /** Faults injected by tests and campaigns, per host name, with how many calls they still hit. */
  private readonly injected = new Map<string, { fault: SimFault; remaining: number }>();
  /** Failures injected per API call name. */
  private readonly apiFaults = new Map<string, { error: () => Error; remaining: number }>();

  constructor(options: SimCloudOptions = {}) {
    this.timeScale = options.timeScale ?? 0.001;
    this.latencies = { ...DEFAULT_LATENCIES, ...options.latencies };
    this.addressQuota = options.addressQuota ?? 64;
    this.statePath = options.statePath;
    this.seed = options.seed ?? 1;
    this.runtime = options.runtime;
    this.latency = options.latency;
    this.state =
      this.statePath && existsSync(this.statePath)
        ? (JSON.parse(readFileSync(this.statePath, 'utf8')) as SimState)
        : { seq: 0, machines: [], addresses: [] };
  }

  /** Plugs in the SSH endpoints of simulated hosts. */
  setRuntime(runtime: SimHostRuntime): void {
    this.runtime = runtime;
  }

  /** Waits one scaled API round trip and counts the call (`key`: the host or provision it is for); an injected API fault fails it instead. */
  async api(name: string, key?: string): Promise<void> {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
    const ms = this.latency ? this.latency.apiMs(name, key) : this.latencies.apiMs * this.timeScale;
    if (ms >= 1) await new Promise((r) => setTimeout(r, ms));
    const fault = this.apiFaults.get(name);
    if (fault && fault.remaining > 0) {
      fault.remaining -= 1;
      throw fault.error();
    }
  }

  /** Makes the next `times` calls of provider or IPAM API `name` (e.g. `TerminateInstances`) fail with the error. */
  injectApiFault(name: string, error: () => Error, times = 1): void {
    this.apiFaults.set(name, { error, remaining: times });
  }

  /** Makes the next `times` allocations of host `name` fail with `fault` (all of them by default). */
  injectFault(name: string, fault: SimFault, times = Number.POSITIVE_INFINITY): void {
    this.injected.set(name, { fault, remaining: times });
  }

  /** Removes every injected fault. */
  clearFaults(): void {
    this.injected.clear();
    this.ipamFault = undefined;
    this.apiFaults.clear();
  }

  /** IPAM fault for the next `times` address requests. */
  private ipamFault: { fault: SimIpamFault; remaining: number } | undefined;

  /** Makes the next `times` address requests fail with `fault` (exhausted pool, or throttled). */
  injectIpamFault(fault: SimIpamFault, times = 1): void {
    this.ipamFault = { fault, remaining: times };
  }

  /** The injected IPAM fault for this request, if any (consumes one use). */
  takeIpamFault(): SimIpamFault | undefined {
    if (!this.ipamFault || this.ipamFault.remaining <= 0) return undefined;
    this.ipamFault.remaining -= 1;
    return this.ipamFault.fault;
  }

  /** The faults still armed, per host name and for the IPAM (for operators). */
  armedFaults(): { provider: Record<string, { fault: SimFault; remaining: number }>; ipam?: { fault: SimIpamFault; remaining: number } } {
    const provider = Object.fromEntries([...this.injected].filter(([, f]) => f.remaining > 0).map(([name, f]) => [name, { ...f }]));
    return { provider, ...(this.ipamFault && this.ipamFault.remaining > 0 ? { ipam: { ...this.ipamFault } } : {}) };
  }

  /** The injected fault for this allocation of `name`, if any (consumes one use). */
  takeFault(name: string): SimFault | undefined {
    const f = this.injected.get(name);
    if (!f || f.remaining <= 0) return undefined;
    f.remaining -= 1;
    return f.fault;
  }

  /** Counts an allocation attempt for a key and returns its ordinal (1 = first). */
  countAttempt(idempotencyKey: string): number {
    const n = (this.attempts.get(idempotencyKey) ?? 0) + 1;
    this.attempts.set(idempotencyKey, n);
    return n;
  }

  nextId(prefix: string): string {
    this.state.seq += 1;
    return `${prefix}-${this.state.seq.toString(16).padStart(8, '0')}`;
  }

  /** Boot duration of a machine in real ms: deterministic jitter from seed and name. */
  bootDurationMs(name: string, location?: string): number {
    if (this.latency) return this.latency.bootMs(name, location);
    const h = createHash('sha256').update(`${this.seed}:${name}`).digest();
    const unit = (h.readUInt32BE(0) / 0xffffffff) * 2 - 1;
    return Math.max(0, (this.latencies.bootMs + unit * this.latencies.bootJitterMs) * this.timeScale);
  }

  get machines(): readonly SimMachine[] {
    return this.state.machines;
  }

  get addresses(): readonly SimAddress[] {
    return this.state.addresses;
  }

  addMachine(machine: SimMachine): void {
    this.state.machines.push(machine);
    this.save();
  }

  addAddress(address: SimAddress): void {
    this.state.addresses.push(address);
    this.save();
  }

  /** Applies time: pending machines whose boot time passed become running (and get an SSH endpoint). */
  async refresh(machine: SimMachine): Promise<void> {
    if (machine.status === 'pending' && !machine.neverBoots && Date.now() >= machine.readyAt) {
      if (this.runtime) {
        const ep = await this.runtime.start(machine.providerId, machine.name, machine.privateIp, machine.location);
        machine.sshHost = ep.address;
        machine.sshPort = ep.port;
      }
      machine.status = 'running';
      this.save();
    }
  }

  /**
   * Brings back the SSH endpoints of the machines that run, after the
   * process simulating them restarted: a cloud's machines do not stop when
   * its API client does. Returns how many came back.
   */
  async resumeRunningHosts(): Promise<number> {
    if (!this.runtime) return 0;
    const runningMachines = this.state.machines.filter((m) => m.status === 'running');
    for (const m of runningMachines) {
      const ep = await this.runtime.start(m.providerId, m.name, m.privateIp, m.location, m.sshPort);
      m.sshHost = ep.address;
      m.sshPort = ep.port;
    }
    if (runningMachines.length) this.save();
    return runningMachines.length;
  }

  async setStatus(machine: SimMachine, status: SimMachine['status']): Promise<void> {
    if (status === 'terminated' || status === 'stopped') await this.runtime?.stop(machine.providerId, { keepDisk: status === 'stopped' });
    machine.status = status;
    this.save();
  }

  /** Live (not terminated) machines; what a bill would show. */
  liveMachines(provisionId?: string): SimMachine[] {
    return this.state.machines.filter((m) => m.status !== 'terminated' && (provisionId === undefined || m.provisionId === provisionId));
  }

  /** Leased (not released) addresses. */
  liveAddresses(provisionId?: string): SimAddress[] {
    return this.state.addresses.filter((a) => a.releasedAt === undefined && (provisionId === undefined || a.provisionId === provisionId));
  }

  /** Machines created more than once for one idempotency key (must always be empty). */
  duplicateAllocations(): string[] {
    const seen = new Map<string, number>();
    for (const m of this.state.machines) seen.set(m.idempotencyKey, (seen.get(m.idempotencyKey) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  }

  save(): void {
    if (!this.statePath) return;
    const tmp = `${this.statePath}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.statePath);
  }
}
