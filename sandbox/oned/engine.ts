import { buildAddressRange } from './address-range';
import { MONITORED_CAPACITY, type HostUsage } from './bodies';
import { loadState, saveState, type SimHost, type SimState, type SimVm, type SimVnet } from './state';
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
  /** Pool listing order; a packaged oned.conf sets `API_LIST_ORDER = "DESC"`. */
  listOrder: 'ASC' | 'DESC';
  /** Clock in epoch ms; tests pass their own to step through transitions. */
  now: () => number;
  /** Keep the objects in this JSON file across restarts. */
  statePath?: string;
}

/** VM states in which a VM holds capacity on its host (what `one.host.delete` checks). */
const HOLDING_STATES = new Set([3, 5, 8]);

/**
 * The state and rules of the simulated oned. Asynchronous transitions (vnet
 * driver, host monitoring, VM shutdown) are due times applied lazily by
 * `advance()` before every call, so no timer outlives a test and a restarted
 * daemon resumes them from the saved file.
 */
export class OnedEngine {
  state: SimState;
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
      if (vm.doneAt !== undefined && now >= vm.doneAt) this.finishVm(vm, vm.doneAt);
    }
  }

  private monitor(host: SimHost, now: number): void {
    host.monitoredAt = undefined;
    if (host.state !== 0) return;
    host.state = 2;
    host.prevState = 2;
    host.monitored = true;
    host.lastMonitorTime = now;
    setAttr(host.template, 'ARCH', 'x86_64');
    setAttr(host.template, 'CPUSPEED', '3200');
    setAttr(host.template, 'HOSTNAME', host.name);
    setAttr(host.template, 'HYPERVISOR', 'dummy');
    setAttr(host.template, 'MODELNAME', 'Dummy(R) Core @ 3.2GHz');
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

  private finishVm(vm: SimVm, at: number): void {
    vm.doneAt = undefined;
    vm.state = 6;
    vm.lcmState = 0;
    vm.etime = Math.floor(at / 1000);
    this.touch();
  }

  /** Ends a VM now (terminate of a VM that never ran). */
  finishVmNow(vm: SimVm): void {
    this.finishVm(vm, this.now());
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

  /** The cluster's members, derived from each object's own cluster fields. */
  members(clusterId: number): { hostIds: number[]; datastoreIds: number[]; vnetIds: number[] } {
    return {
      hostIds: this.state.hosts.filter((h) => h.clusterId === clusterId).map((h) => h.id),
      datastoreIds: this.state.datastores.filter((d) => d.clusterIds.includes(clusterId)).map((d) => d.id),
      vnetIds: this.state.vnets.filter((v) => v.clusterIds.includes(clusterId)).map((v) => v.id),
    };
  }

  /** VMs holding capacity on the host, and what they use. */
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
