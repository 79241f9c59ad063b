import { buildAddressRange, leaseInRange } from './address-range';
import { MONITORED_CAPACITY, PROBE_TEMPLATE } from './dummy-probe';
import type { HostUsage } from './bodies';
import { IM_MADS } from './drivers';
import { loadState, saveState, type SimHost, type SimImage, type SimLease, type SimState, type SimVm, type SimVnet } from './state';
import { getVectors, removeAttr, setAttr } from './template';

/** Behaviour knobs of the simulated oned. */
export interface EngineOptions {
  user: string;
  password: string;
  /** What `one.system.version` answers. */
  version: string;
  /** LOCK_CREATE → READY of a new vnet (the network driver's run). */
  vnetReadyDelayMs: number;
  /** LOCK_DELETE → gone of a deleted vnet. */
  vnetDeleteDelayMs: number;
  /** INIT → MONITORED of a new host (its first monitoring answer). */
  hostMonitorDelayMs: number;
  /** Shutdown → DONE of a terminated VM. */
  vmTerminateDelayMs: number;
  /** PROLOG → RUNNING of a deployed VM. */
  vmDeployDelayMs: number;
  /** LOCKED → READY of a new image, and delete → gone (the datastore driver's run). */
  imageDelayMs: number;
  /** Pool listing order; a packaged oned.conf sets `API_LIST_ORDER = "DESC"`. */
  listOrder: 'ASC' | 'DESC';
  /** Clock in epoch ms; tests pass their own to step through transitions. */
  now: () => number;
  /** Keep the objects in this JSON file across restarts. */
  statePath?: string;
}

/** VM states in which a VM holds capacity on its host (what `one.host.delete` checks). */
const HOLDING_STATES = new Set([3, 5, 8]);

const LCM_RUNNING = 3;

/** `one_util::log_time()`: `Thu Dec  3 12:35:36 2026`. */
function logTime(ms: number): string {
  const d = new Date(ms);
  const day = d.toLocaleString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/**
 * The state and rules of the simulated oned. Asynchronous transitions (vnet
 * driver, host monitoring, VM deployment and shutdown, image copies) are due
 * times applied lazily by `advance()` before every call, so no timer outlives
 * a test and a restarted daemon resumes them from the saved file.
 */
export class OnedEngine {
  state: SimState;
  /** Host names whose monitoring fails (`*`: every host), with the probe's message. */
  readonly monitorErrors = new Map<string, string>();
  private dirty = false;

  /** Until when (epoch ms) the network driver does not answer: new vnets stay LOCK_CREATE (fault injection). */
  vnetDriverStalledUntil = 0;

  constructor(readonly options: EngineOptions) {
    this.state = loadState(options.statePath);
  }

  now(): number {
    return this.options.now();
  }

  /** Marks the state changed so it is saved after the call. */
  touch(): void {
    this.dirty = true;
  }

  /** Saves the state if a call or a transition changed it. */
  persist(): void {
    if (this.dirty && this.options.statePath) saveState(this.options.statePath, this.state);
    this.dirty = false;
  }

  /** Next ID of a pool; IDs are never reused. */
  nextId(kind: keyof SimState['lastOid']): number {
    this.state.lastOid[kind] += 1;
    this.touch();
    return this.state.lastOid[kind];
  }

  /**
   * An object was built and refused by its own checks (`X::insert`). oned's
   * pool keeps no last ID until something was stored, and such a refusal in
   * a pool that never stored anything spends ID 0 (measured on oned 7.5).
   */
  failedInsert(kind: keyof SimState['lastOid']): void {
    if (this.state.lastOid[kind] === -1) this.nextId(kind);
  }

  /** Sorts a pool listing as oned's `API_LIST_ORDER` does. */
  ordered<T extends { id: number }>(objects: readonly T[]): T[] {
    const sign = this.options.listOrder === 'DESC' ? -1 : 1;
    return [...objects].sort((a, b) => sign * (a.id - b.id));
  }

  /** Applies every transition that is due. */
  advance(): void {
    const now = this.now();
    for (const host of this.state.hosts) {
      if (host.monitoredAt !== undefined && now >= host.monitoredAt) this.monitor(host, now);
    }
    for (const vnet of [...this.state.vnets]) {
      if (vnet.readyAt !== undefined && now >= vnet.readyAt && now >= this.vnetDriverStalledUntil) this.finishCreate(vnet);
      if (vnet.goneAt !== undefined && now >= vnet.goneAt) {
        this.state.vnets = this.state.vnets.filter((v) => v.id !== vnet.id);
        this.touch();
      }
    }
    for (const vm of this.state.vms) {
      if (vm.runningAt !== undefined && now >= vm.runningAt) this.boot(vm, vm.runningAt);
      if (vm.doneAt !== undefined && now >= vm.doneAt) this.finishVm(vm, vm.doneAt);
      if (vm.state === 3 && vm.lcmState === LCM_RUNNING && vm.lastPoll === undefined && vm.deployedAt !== undefined) {
        if (now >= vm.deployedAt * 1000 + this.options.hostMonitorDelayMs) {
          vm.lastPoll = Math.floor(now / 1000);
          this.touch();
        }
      }
    }
    for (const image of [...this.state.images]) {
      if (image.readyAt !== undefined && now >= image.readyAt) this.imageReady(image);
      if (image.goneAt !== undefined && now >= image.goneAt) {
        this.state.images = this.state.images.filter((i) => i.id !== image.id);
        this.touch();
      }
    }
  }

  private monitor(host: SimHost, now: number): void {
    host.monitoredAt = undefined;
    if (host.state !== 0) return;
    const failure = this.monitorErrors.get(host.name) ?? this.monitorErrors.get('*');
    if (failure !== undefined) {
      host.state = 3;
      host.prevState = 3;
      host.monitorError = failure;
      setAttr(host.template, 'ERROR', `${logTime(now)} : Error monitoring Host ${host.name} (${host.id}): ${failure}`);
      this.touch();
      return;
    }
    // monitord has no driver for an unknown IM_MAD ("Cannot find driver"): the host stays INIT.
    if (!IM_MADS.has(host.imMad)) return;
    host.state = 2;
    host.prevState = 2;
    host.monitored = true;
    host.monitorError = undefined;
    host.lastMonitorTime = now;
    removeAttr(host.template, 'ERROR');
    for (const [name, value] of PROBE_TEMPLATE) setAttr(host.template, name, value);
    setAttr(host.template, 'HOSTNAME', host.name);
    setAttr(host.template, 'TOTALCPU', String(MONITORED_CAPACITY.totalCpu));
    setAttr(host.template, 'TOTALMEMORY', String(MONITORED_CAPACITY.totalMem));
    this.touch();
  }

  /** The driver answered: ranges are parsed now, and a bad one leaves the vnet in ERROR. */
  private finishCreate(vnet: SimVnet): void {
    vnet.readyAt = undefined;
    const ranges = [];
    for (const vector of getVectors(vnet.template, 'AR')) {
      const built = buildAddressRange(vnet.nextArId + ranges.length, vector, vnet.id * 256 + ranges.length);
      if (!built.ok) {
        vnet.prevState = vnet.state;
        vnet.state = 5;
        setAttr(vnet.template, 'ERROR', built.error);
        this.touch();
        return;
      }
      ranges.push(built.range);
    }
    removeAttr(vnet.template, 'AR');
    vnet.addressRanges.push(...ranges);
    vnet.nextArId += ranges.length;
    setAttr(vnet.template, 'OUTER_VLAN_ID', vnet.outerVlanId);
    setAttr(vnet.template, 'VLAN_ID', vnet.vlanId);
    vnet.state = 1;
    vnet.prevState = 1;
    this.touch();
  }

  private boot(vm: SimVm, at: number): void {
    vm.runningAt = undefined;
    if (vm.state !== 3) return;
    vm.lcmState = LCM_RUNNING;
    vm.prevState = 3;
    vm.prevLcmState = LCM_RUNNING;
    vm.deployedAt ??= Math.floor(at / 1000);
    this.touch();
  }

  private finishVm(vm: SimVm, at: number): void {
    vm.doneAt = undefined;
    vm.runningAt = undefined;
    vm.state = 6;
    vm.lcmState = 0;
    vm.prevState = 6;
    vm.prevLcmState = 0;
    vm.etime = Math.floor(at / 1000);
    for (const vnet of this.state.vnets) {
      const held = (vnet.leases ?? []).filter((lease) => lease.vmId === vm.id);
      if (held.length === 0) continue;
      vnet.leases = (vnet.leases ?? []).filter((lease) => lease.vmId !== vm.id);
      vnet.usedLeases = Math.max(0, vnet.usedLeases - held.length);
    }
    this.touch();
  }

  /** Ends a VM now (terminate of a VM that never ran). */
  finishVmNow(vm: SimVm): void {
    this.finishVm(vm, this.now());
  }

  private imageReady(image: SimImage): void {
    image.readyAt = undefined;
    image.prevState = image.state;
    image.state = 1;
    image.prevState = 1;
    this.touch();
  }

  /** Credentials check; the session splits on its first `:`. */
  authenticate(session: string): boolean {
    const colon = session.indexOf(':');
    if (colon < 0) return false;
    return session.slice(0, colon) === this.options.user && session.slice(colon + 1) === this.options.password;
  }

  cluster(id: number) {
    return this.state.clusters.find((c) => c.id === id);
  }

  host(id: number) {
    return this.state.hosts.find((h) => h.id === id);
  }

  datastore(id: number) {
    return this.state.datastores.find((d) => d.id === id);
  }

  vnet(id: number) {
    return this.state.vnets.find((v) => v.id === id);
  }

  vm(id: number) {
    return this.state.vms.find((v) => v.id === id);
  }

  image(id: number) {
    return this.state.images.find((i) => i.id === id);
  }

  /** Images stored in a datastore (what `datastore.delete` checks). */
  imageIdsOf(datastoreId: number): number[] {
    return this.state.images.filter((i) => i.datastoreId === datastoreId).map((i) => i.id);
  }

  /** The cluster's members, derived from each object's own cluster fields. */
  members(clusterId: number): { hostIds: number[]; datastoreIds: number[]; vnetIds: number[] } {
    return {
      hostIds: this.state.hosts.filter((h) => h.clusterId === clusterId).map((h) => h.id),
      datastoreIds: this.state.datastores.filter((d) => d.clusterIds.includes(clusterId)).map((d) => d.id),
      vnetIds: this.state.vnets.filter((v) => v.clusterIds.includes(clusterId)).map((v) => v.id),
    };
  }

  /**
   * Addresses of the vnet's ranges held by seeded VMs that are not DONE (their
   * NICs); VMs allocated over XML-RPC keep theirs in the vnet's own leases.
   */
  vnetLeases(vnet: SimVnet): SimLease[] {
    const leases: SimLease[] = [];
    for (const vm of this.state.vms) {
      if (vm.state === 6) continue;
      for (const nic of vm.nics ?? []) {
        if (nic.vnetId !== vnet.id) continue;
        for (const range of vnet.addressRanges) {
          const lease = leaseInRange(range, nic.ip);
          if (lease) leases.push({ arId: range.arId, index: lease.index, ip: nic.ip, mac: lease.mac, vmId: vm.id });
        }
      }
    }
    return leases;
  }

  hostUsage(host: SimHost): HostUsage {
    const vms = this.state.vms.filter((vm) => vm.hostId === host.id && HOLDING_STATES.has(vm.state));
    return {
      clusterName: this.cluster(host.clusterId)?.name ?? '',
      vmIds: vms.map((vm) => vm.id),
      cpuUsage: vms.reduce((sum, vm) => sum + Math.round(Number(vm.cpu) * 100), 0),
      memUsage: vms.reduce((sum, vm) => sum + Number(vm.memory) * 1024, 0),
    };
  }
}
