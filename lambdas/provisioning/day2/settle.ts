import { NotFoundError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { loadProvision } from '../context';
import type { HostRecord, HostState, OperationOutcome, OperationRecord, Provision, ProvisionState } from '../model';
import { withRelease } from '../lock/operation-lock';

/**
 * Host states a live provision may rest in: running, or powered off on
 * purpose. Anything else (FAILED, or a state a step left behind) degrades it.
 */
export const RESTING_HOST_STATES: readonly HostState[] = ['RUNNING', 'OFF'];

/** States a day-2 operation starts from. */
export const LIVE_PROVISION_STATES: readonly ProvisionState[] = ['RUNNING', 'DEGRADED'];

/** Hosts that still exist (not released). */
export function liveHosts(p: Provision): HostRecord[] {
  return p.hosts.filter((h) => h.state !== 'RELEASED');
}

/**
 * Where a provision rests after a day-2 operation: RUNNING when every host
 * is RUNNING or OFF (none, after emptying it on purpose), else DEGRADED.
 */
export function settledState(p: Provision): 'RUNNING' | 'DEGRADED' {
  return liveHosts(p).every((h) => RESTING_HOST_STATES.includes(h.state)) ? 'RUNNING' : 'DEGRADED';
}

/** The lock an operation's end releases, with its outcome. */
export interface Release {
  operationId: string;
  outcome: OperationOutcome;
  error?: OperationRecord['error'];
}

/**
 * Moves the provision from SCALING (or RUNNING/DEGRADED) to the state its
 * hosts call for, releasing the operation's lock in the same write when
 * asked. A provision something else moved (ERROR, DELETING) keeps its state.
 * Idempotent.
 */
export async function settleProvision(deps: Deps, provisionId: string, release?: Release): Promise<Provision> {
  const p = await loadProvision(deps, provisionId);
  const target = settledState(p);
  const moves = p.state !== target && ['SCALING', ...LIVE_PROVISION_STATES].includes(p.state);
  const patch = release ? withRelease(p, { operationId: release.operationId }, {}, release.outcome, deps.now(), release.error) : {};
  if (moves) return deps.store.transition(p.id, ['SCALING', ...LIVE_PROVISION_STATES], target, patch);
  if (patch.whileHolding) return deps.store.patch(p.id, [p.state], patch);
  return p;
}

/**
 * A host of the provision by name or index (`edge-host1` or `1`); released
 * hosts only when `released`. NotFoundError names what exists.
 */
export function findHost(p: Provision, ref: string, options: { released?: boolean } = {}): HostRecord {
  const candidates = options.released ? p.hosts : liveHosts(p);
  const host = candidates.find((h) => h.name === ref) ?? (/^\d+$/.test(ref) ? candidates.find((h) => h.index === Number(ref)) : undefined);
  if (!host) {
    const names = liveHosts(p)
      .map((h) => h.name)
      .join(', ');
    throw new NotFoundError(`provision ${p.id} has no host ${ref}${names ? ` (its hosts: ${names})` : ' (it has no hosts)'}`);
  }
  return host;
}
