import type { Deps } from '../ports/deps';
import { ipamFor, loadProvision, providerFor, publicNetworks, type ProvisionStepInput } from '../context';
import type { HostRecord, HostState, Provision } from '../model';
import type { HostPatch } from '../ports/store';

/** What the create machine iterates over and how it waits. */
export interface PreparedProvision {
  provisionId: string;
  hosts: Array<{ provisionId: string; index: number }>;
  maxConcurrency: number;
  pollSeconds: number;
}

/** The host state from which each step runs again. */
const RESUME_STATE: Record<string, HostState> = {
  allocate: 'ALLOCATING',
  waitReady: 'BOOTING',
  assignIps: 'BOOTING',
  configure: 'CONFIGURING',
  register: 'REGISTERING',
  // Registered and configured; only the overlay peer set is written again.
  converge: 'RUNNING',
};

/** What a host that starts over (as a new machine) no longer has. */
function startOver(p: Provision, h: HostRecord): HostPatch {
  const pin = p.plan.hosts.find((x) => x.index === h.index)?.hostKeyPin;
  return {
    clearError: true,
    publicIps: [],
    generation: (h.generation ?? 0) + 1,
    ...(pin ? { hostKey: pin } : {}),
    remove: [
      'providerId',
      'sshHost',
      'sshPort',
      'privateIp',
      'oneId',
      'facts',
      'nextRole',
      'timings',
      ...(pin ? [] : ['hostKey' as const]),
    ],
  };
}

/**
 * Before a retry: a FAILED host goes back to the state of the step it failed
 * in (finished steps are not redone; configuration resumes at its next role).
 * A host released by a rollback, or whose machine never became ready (it is
 * released now), starts over from PENDING as a new machine: nothing of the
 * old one is kept, not its address, not the host key pinned when it was
 * first reached (only an operator's pin stays).
 */
export async function resetHostsForRetry(deps: Deps, p: Provision): Promise<void> {
  for (const h of p.hosts) {
    if (h.state === 'RELEASED') {
      await deps.store.updateHost(p.id, h.index, ['RELEASED'], 'PENDING', startOver(p, h));
    } else if (h.state === 'FAILED' && h.failedStep === 'waitReady' && h.providerId && h.publicIps.length === 0) {
      // Waiting again on a machine that never booted cannot help; a new one may.
      await (await providerFor(deps, p)).release([h.providerId]);
      await deps.lifecycle.emit(p.id, 'Host Released', { host: h.name, index: h.index, providerId: h.providerId });
      await deps.store.updateHost(p.id, h.index, ['FAILED'], 'PENDING', startOver(p, h));
    } else if (h.state === 'FAILED') {
      const resume = h.providerId ? (RESUME_STATE[h.failedStep ?? ''] ?? 'BOOTING') : 'PENDING';
      // A new attempt at registering waits for monitoring afresh (and enables a host left in ERROR).
      const { monitor: _monitor, ...timings } = h.timings ?? {};
      await deps.store.updateHost(p.id, h.index, ['FAILED'], resume, {
        clearError: true,
        ...(resume === 'REGISTERING' && h.timings ? { timings } : {}),
      });
    }
  }
}

/**
 * Before a retry: drops records of OpenNebula objects that no longer exist
 * (a rollback removed them but could not write that down), so they are
 * created again instead of being referenced by a dead id.
 */
export async function forgetVanishedObjects(deps: Deps, p: Provision): Promise<void> {
  if (!p.cluster && p.datastores.length === 0 && p.networks.length === 0) return;
  const found = await (await deps.openNebula(p)).findByProvision(p.id);
  const alive = (ids: Array<{ id: number }>) => new Set(ids.map((o) => o.id));
  const clusters = alive(found.clusters);
  const datastores = p.datastores.filter((d) => alive(found.datastores).has(d.oneId));
  const networks = p.networks.filter((n) => alive(found.networks).has(n.oneId));
  const clusterGone = p.cluster !== undefined && !clusters.has(p.cluster.oneId);
  if (!clusterGone && datastores.length === p.datastores.length && networks.length === p.networks.length) return;
  await deps.store.patch(p.id, [p.state], { datastores, networks, ...(clusterGone ? { remove: ['cluster' as const] } : {}) });
}

/**
 * Asks each IPAM whether the provision can hold all the public addresses its
 * networks take from it (networks sharing an IPAM add up), before a machine
 * is bought: a quota that is too small fails the create here, with nothing
 * to give back, instead of after the hosts are paid for.
 */
export async function ensureAddressCapacity(deps: Deps, p: Provision): Promise<void> {
  const byIpam = new Map<string, { network: Provision['plan']['networks'][number]; count: number }>();
  for (const net of publicNetworks(p)) {
    const name = net.ipam ?? p.plan.provider.name;
    const seen = byIpam.get(name);
    byIpam.set(name, { network: seen?.network ?? net, count: (seen?.count ?? 0) + net.publicIps });
  }
  for (const { network, count } of byIpam.values()) {
    await (await ipamFor(deps, p, network)).ensureCapacity({ provisionId: p.id, count });
  }
}

/**
 * First step of create: moves PENDING → PROVISIONING and hands the machine the
 * host list. Re-entrant: a provision already PROVISIONING (a resumed
 * execution) is picked up as it is.
 */
export async function prepareProvision(deps: Deps, input: ProvisionStepInput & { executionId?: string }): Promise<PreparedProvision> {
  const current = await loadProvision(deps, input.provisionId);
  if (current.state === 'ERROR' || current.state === 'PROVISIONING') {
    await resetHostsForRetry(deps, current);
    await forgetVanishedObjects(deps, current);
  }
  // A resumed execution takes over the record, so the provision is not taken for stuck.
  const p =
    current.state === 'PROVISIONING'
      ? input.executionId && input.executionId !== current.executionId
        ? await deps.store.patch(input.provisionId, ['PROVISIONING'], { executionId: input.executionId })
        : current
      : await deps.store.transition(input.provisionId, ['PENDING', 'ERROR'], 'PROVISIONING', {
          executionId: input.executionId,
          clearError: true,
        });
  await ensureAddressCapacity(deps, p);
  return {
    provisionId: p.id,
    hosts: p.hosts.filter((h) => h.state !== 'RUNNING').map((h) => ({ provisionId: p.id, index: h.index })),
    maxConcurrency: p.plan.maxConcurrency,
    pollSeconds: deps.settings.pollSeconds,
  };
}
