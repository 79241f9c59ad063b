import type { SandboxFaults } from '../lambdas/api/sandbox-faults';
import type { SimCloud } from '../lambdas/drivers/providers/sim/sim-cloud';
import type { LocalSimHostFleet } from './hosts';
import type { SimHostFaults } from './hosts/sim-host';
import type { SimOned } from './oned/server';
import type { ConflictingStore } from './conflicting-store';

/** What the sandbox's simulated services let an operator break. */
export interface FaultTargets {
  cloud: SimCloud;
  fleet?: LocalSimHostFleet;
  oned?: SimOned;
  store: ConflictingStore;
}

/**
 * Arms the faults an operator rehearses (`edgectl sandbox faults`) on the
 * sim provider and IPAM, the simulated SSH hosts, the simulated oned and the
 * table, and reports what is armed. Faults a target of this sandbox cannot
 * take (a real OpenNebula, hosts not simulated) are refused by name.
 */
export class FaultController {
  private readonly ssh = new Map<string, SimHostFaults>();
  private onedWindows: { unreachableUntil?: number; vnetStallUntil?: number } = {};

  constructor(private readonly targets: FaultTargets) {}

  arm(faults: SandboxFaults): Record<string, unknown> {
    const { cloud, fleet, oned, store } = this.targets;
    const missing = [
      ...(faults.ssh && !fleet ? ['ssh (the sandbox does not simulate its hosts)'] : []),
      ...((faults.oned || faults.onedUnreachableMs || faults.vnetStallMs) && !oned ? ['oned (the sandbox uses a real OpenNebula)'] : []),
    ];
    if (missing.length) throw Object.assign(new Error(`cannot arm faults of ${missing.join(', ')}`), { name: 'ValidationError' });
    for (const [host, f] of Object.entries(faults.provider ?? {})) cloud.injectFault(host, f.fault, f.times);
    if (faults.ipam) cloud.injectIpamFault(faults.ipam.fault, faults.ipam.times);
    for (const [host, f] of Object.entries(faults.ssh ?? {})) {
      const next: SimHostFaults = {
        ...(f.refuseAuth ? { refuseAuth: true } : {}),
        ...(f.otherHostKey ? { presentOtherHostKey: true } : {}),
        ...(f.dropDuringRole ? { dropDuringRole: f.dropDuringRole } : {}),
        ...(f.latencyMs ? { latencyMs: f.latencyMs } : {}),
      };
      this.ssh.set(host, next);
      fleet?.setFaults(host, next);
    }
    for (const rule of faults.oned ?? []) {
      const when = { nth: rule.nth, times: rule.times };
      if (rule.action === 'fail') oned?.faults.failCall(rule.method, { code: rule.code ?? 0x2000, message: rule.message, ...when });
      else if (rule.action === 'delay') oned?.faults.latency(rule.method, rule.ms ?? 1000, when);
      else oned?.faults.dropConnection(rule.method, { when: rule.action === 'drop-after' ? 'after' : 'before', ...when });
    }
    if (faults.onedUnreachableMs) {
      oned?.faults.unreachableFor(faults.onedUnreachableMs);
      this.onedWindows.unreachableUntil = Date.now() + faults.onedUnreachableMs;
    }
    if (faults.vnetStallMs) {
      oned?.stallVnetDriver(faults.vnetStallMs);
      this.onedWindows.vnetStallUntil = Date.now() + faults.vnetStallMs;
    }
    if (faults.storeConflicts) store.conflicts(faults.storeConflicts);
    return this.armed();
  }

  armed(): Record<string, unknown> {
    const now = Date.now();
    const { provider, ipam } = this.targets.cloud.armedFaults();
    const until = (at: number | undefined) => (at !== undefined && at > now ? new Date(at).toISOString() : undefined);
    const view: Record<string, unknown> = {
      provider,
      ...(ipam ? { ipam } : {}),
      ssh: Object.fromEntries(this.ssh),
      oned: this.targets.oned?.faults.pending().filter((r) => r.left < Number.MAX_SAFE_INTEGER) ?? [],
      storeConflicts: this.targets.store.pendingConflicts(),
    };
    const unreachable = until(this.onedWindows.unreachableUntil);
    const stalled = until(this.onedWindows.vnetStallUntil);
    if (unreachable) view['onedUnreachableUntil'] = unreachable;
    if (stalled) view['vnetStallUntil'] = stalled;
    return view;
  }

  /** Heals everything. */
  clear(): Record<string, unknown> {
    this.targets.cloud.clearFaults();
    for (const host of this.ssh.keys()) this.targets.fleet?.setFaults(host, undefined);
    this.ssh.clear();
    this.targets.oned?.faults.clear();
    this.targets.oned?.stallVnetDriver(0);
    this.onedWindows = {};
    this.targets.store.clear();
    return this.armed();
  }
}
