import type { SandboxFaults } from '../lambdas/api/sandbox-faults';
import type { Rng } from './rng';

const PROVIDER_FAULTS = ['capacity', 'quota', 'throttle-once', 'lost-response', 'never-boots', 'boot-fails'] as const;
const ROLES = ['os-check', 'repository', 'node-packages', 'oneadmin-ssh', 'firewall', 'bridge', 'overlay', 'facts'] as const;
/** Every XML-RPC call a create or a delete makes. */
const ONED_METHODS = [
  'one.cluster.allocate',
  'one.cluster.update',
  'one.cluster.addhost',
  'one.cluster.adddatastore',
  'one.cluster.addvnet',
  'one.cluster.delete',
  'one.datastore.allocate',
  'one.datastore.delete',
  'one.vn.allocate',
  'one.vn.info',
  'one.vn.delete',
  'one.host.allocate',
  'one.host.update',
  'one.host.info',
  'one.host.delete',
  'one.clusterpool.info',
  'one.hostpool.info',
  'one.vnpool.info',
  'one.datastorepool.info',
] as const;

/** The kinds of fault a run can draw, as they appear in its JSON line. */
export const FAULT_KINDS = [
  'provider',
  'ipam',
  'ssh-drop',
  'ssh-host-key',
  'oned-error',
  'oned-lost-answer',
  'oned-unreachable',
  'vnet-stall',
  'store-conflict',
  'daemon-kill',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One armed fault of a run: its kind and the spec the sandbox arms, or the transition at which the sandbox is killed. */
export interface ScheduledFault {
  kind: FaultKind;
  spec?: SandboxFaults;
  /** `daemon-kill`: the sandbox dies once the run's executions have entered this many states. */
  killAfterTransitions?: number;
}

/**
 * Range of the transition a kill lands on: from the create's first states
 * to well into its hosts' pipelines and (for a short create) its delete.
 */
export const KILL_TRANSITIONS = { min: 2, max: 60 } as const;

/**
 * A run's fault schedule, drawn from its seed: one to three faults, each
 * healing after its calls (or its short window), so that a retry or a
 * delete can always reach a terminal state.
 */
export function drawFaults(rng: Rng, hostNames: readonly string[], timeScale: number, howMany?: number): ScheduledFault[] {
  const faults: ScheduledFault[] = [];
  const count = howMany ?? rng.int(1, 3);
  for (let i = 0; i < count; i += 1) {
    const kind = rng.pick(FAULT_KINDS);
    const host = rng.pick(hostNames);
    const nth = rng.int(1, 3);
    switch (kind) {
      case 'provider':
        faults.push({ kind, spec: { provider: { [host]: { fault: rng.pick(PROVIDER_FAULTS), times: 1 } } } });
        break;
      case 'ipam':
        faults.push({ kind, spec: { ipam: { fault: rng.pick(['exhausted', 'throttle'] as const), times: 1 } } });
        break;
      case 'ssh-drop':
        faults.push({ kind, spec: { ssh: { [host]: { dropDuringRole: rng.pick(ROLES) } } } });
        break;
      case 'ssh-host-key':
        faults.push({ kind, spec: { ssh: { [host]: { otherHostKey: true } } } });
        break;
      case 'oned-error':
        faults.push({
          kind,
          spec: { oned: [{ method: rng.pick(ONED_METHODS), action: 'fail', code: rng.pick([0x0800, 0x2000]), nth, times: 1 }] },
        });
        break;
      case 'oned-lost-answer':
        faults.push({
          kind,
          spec: { oned: [{ method: rng.pick(ONED_METHODS), action: rng.pick(['drop-before', 'drop-after'] as const), nth, times: 1 }] },
        });
        break;
      case 'oned-unreachable':
        faults.push({ kind, spec: { onedUnreachableMs: Math.max(50, Math.round(rng.int(20_000, 120_000) * timeScale)) } });
        break;
      case 'vnet-stall':
        faults.push({ kind, spec: { vnetStallMs: Math.max(50, Math.round(rng.int(60_000, 600_000) * timeScale)) } });
        break;
      case 'store-conflict':
        faults.push({ kind, spec: { storeConflicts: rng.int(1, 3) } });
        break;
      case 'daemon-kill':
        faults.push({ kind, killAfterTransitions: rng.int(KILL_TRANSITIONS.min, KILL_TRANSITIONS.max) });
        break;
    }
  }
  return faults;
}
