import { NameTakenError } from '../shared/errors';
import type { Deps } from './ports/deps';
import type { Provision } from './model';
import type { ProvisionPlan } from './plan';

/** A name a provision holds while it lives. */
interface ReservedName {
  key: string;
  /** For messages: `provision name 'x'`, `OpenNebula cluster 'x'`. */
  what: string;
}

/**
 * The names a plan needs to itself: every OpenNebula name it creates.
 * Clusters, datastores, vnets and hosts of all owners share one front-end,
 * where each name exists once. (A provision's own name is a label: runs of a
 * recurring schedule share it, each with its own OpenNebula names.)
 */
export function namesOf(plan: ProvisionPlan): ReservedName[] {
  return [
    one('cluster', plan.cluster.name),
    ...plan.datastores.map((d) => one('datastore', d.name)),
    ...plan.networks.filter((n) => !n.template).map((n) => one('network', n.name)),
    ...plan.hosts.map((h) => hostName(h.name)),
  ];
}

function one(kind: string, name: string): ReservedName {
  return { key: `one-${kind}#${name}`, what: `OpenNebula ${kind} name '${name}'` };
}

function hostName(name: string): ReservedName {
  return one('host', name);
}

/**
 * Reserves every name of the plan for the provision before anything is
 * stored or bought, so of two creates with one name the second is refused
 * at once (409) instead of failing at OpenNebula after buying its hosts.
 * A reservation left by a provision that is gone or DELETED is taken over.
 * The message names the holder only when it is the caller's own provision:
 * who else uses the front-end is not the caller's business.
 */
export function reserveNames(deps: Deps, provisionId: string, owner: string, plan: ProvisionPlan): Promise<void> {
  return reserve(deps, provisionId, owner, namesOf(plan));
}

/**
 * Reserves the OpenNebula names of the hosts a scale-out adds, as a create
 * reserves its hosts': a name another live provision holds is a 409 before
 * anything is bought. They are given back with the provision's other names.
 */
export function reserveHostNames(deps: Deps, provisionId: string, owner: string, hosts: ReadonlyArray<{ name: string }>): Promise<void> {
  return reserve(
    deps,
    provisionId,
    owner,
    hosts.map((h) => hostName(h.name)),
  );
}

async function reserve(deps: Deps, provisionId: string, owner: string, names: readonly ReservedName[]): Promise<void> {
  const held: ReservedName[] = [];
  try {
    for (const name of names) {
      let holder = await deps.store.reserveName(name.key, provisionId);
      if (holder !== undefined) {
        const other = holder ? await deps.store.get(holder) : undefined;
        if (!other || other.state === 'DELETED') holder = await deps.store.reserveName(name.key, provisionId, { replacing: holder });
        if (holder !== undefined) {
          const current = other ?? (await deps.store.get(holder));
          throw new NameTakenError(
            current && current.owner === owner
              ? `${name.what} is used by your provision ${current.id} (${current.state}); delete it first or choose another name`
              : `${name.what} is used by another provision; choose another name`,
          );
        }
      }
      held.push(name);
    }
  } catch (err) {
    for (const name of held) await deps.store.releaseName(name.key, provisionId);
    throw err;
  }
}

/** Gives back a deleted provision's names. */
export async function releaseNames(deps: Deps, p: Provision): Promise<void> {
  // Hosts a scale-in released are still in the host records, not in the plan.
  const keys = new Set([...namesOf(p.plan), ...p.hosts.map((h) => hostName(h.name))].map((n) => n.key));
  for (const key of keys) await deps.store.releaseName(key, p.id);
}
