import { TERMINAL_PROVISION_STATES } from '../lambdas/provisioning/model';
import type { ProvisionPlan } from '../lambdas/descriptor';
import type { Sandbox } from '../sandbox/sandbox';
import type { BusEvent } from '../sandbox/local-bus';
import { getAttr, getVectors, type SimTemplate } from '../sandbox/oned/template';
import { PROVISION_TAG } from '../lambdas/opennebula';

/** What one run left behind, counted against the store. */
export interface RunAudit {
  leakedHosts: number;
  leakedIps: number;
  leakedOneObjects: number;
  stuck: number;
  duplicateAllocations: number;
  failedInvariant: string[];
}

const LIVE_STATES = new Set(['PENDING', 'PROVISIONING', 'RUNNING', 'DEGRADED', 'SCALING', 'DELETING', 'ERROR']);

/**
 * Audits the sim provider, sim IPAM and sim oned against the store for one
 * run's provision: every machine and address at the provider and every
 * OpenNebula object named for the provision belongs to a live provision;
 * the provision is terminal (ERROR only with a recorded step); nothing was
 * bought twice for one request; its events agree with its end (no duplicate
 * `Ip Released`, nothing after `Provision Deleted`).
 */
export async function audit(
  sandbox: Sandbox,
  id: string,
  plan: ProvisionPlan,
  invariants: string[],
  /** Everything published, also by sandboxes killed since (default: this sandbox's bus). */
  allEvents: readonly BusEvent[] = sandbox.bus.events,
): Promise<RunAudit> {
  const failed = [...invariants];
  const p = await sandbox.deps.store.get(id);
  const live = p !== undefined && LIVE_STATES.has(p.state);

  const machines = sandbox.cloud.machines.filter((m) => m.provisionId === id);
  const liveMachines = sandbox.cloud.liveMachines(id);
  const liveAddresses = sandbox.cloud.liveAddresses(id);
  const leakedHosts = live ? 0 : liveMachines.length;
  const leakedIps = live ? 0 : liveAddresses.length;
  if (leakedHosts) failed.push(`leaked hosts: ${liveMachines.map((m) => `${m.name} (${m.providerId})`).join(', ')}`);
  if (leakedIps) failed.push(`leaked IPs: ${liveAddresses.map((a) => a.address).join(', ')}`);

  // OpenNebula: every object named for the provision (a tag may never have arrived).
  const state = sandbox.oned?.snapshot();
  const prefix = plan.name;
  const hostNames = new Set(plan.hosts.map((h) => h.name));
  // Hosts are registered by address and tagged once their id is recorded: an untagged one is known by its machine's address.
  const machineAddresses = new Set(machines.flatMap((m) => [m.privateIp, ...(m.sshHost ? [m.sshHost] : [])]));
  const ownHost = (h: { name: string; template: SimTemplate }) =>
    named(h.name) ||
    hostNames.has(h.name) ||
    machineAddresses.has(h.name) ||
    getAttr(h.template, PROVISION_TAG) === id ||
    getVectors(h.template, 'PROVISION').some((v) => v.some(([k, value]) => k === 'ID' && value === id));
  const named = (name: string) => name === prefix || name.startsWith(`${prefix}-`);
  const oneObjects = state
    ? [
        ...state.clusters.filter((c) => named(c.name)).map((c) => `cluster ${c.name}`),
        ...state.datastores.filter((d) => named(d.name)).map((d) => `datastore ${d.name}`),
        ...state.vnets.filter((v) => named(v.name)).map((v) => `vnet ${v.name}`),
        ...state.hosts.filter(ownHost).map((h) => `host ${h.name}`),
      ]
    : [];
  const leakedOneObjects = live ? 0 : oneObjects.length;
  if (leakedOneObjects) failed.push(`orphaned OpenNebula objects: ${oneObjects.join(', ')}`);

  const terminal = p !== undefined && TERMINAL_PROVISION_STATES.includes(p.state);
  const timedOut = invariants.some((i) => i.includes('still running'));
  const stuck = p && (!terminal || timedOut || (p.state === 'ERROR' && !p.failedStep)) ? 1 : 0;
  if (p && !terminal) failed.push(`provision ${id} is stuck in ${p.state}`);
  if (p?.state === 'ERROR' && !p.failedStep) failed.push(`provision ${id} is ERROR without a failed step`);

  // Bought twice: two machines (or addresses) for one idempotent request.
  const keys = new Map<string, number>();
  for (const k of [
    ...machines.map((m) => `host ${m.idempotencyKey}`),
    ...sandbox.cloud.addresses.filter((a) => a.provisionId === id).map((a) => `ip ${a.idempotencyKey}`),
  ])
    keys.set(k, (keys.get(k) ?? 0) + 1);
  const duplicates = [...keys].filter(([, n]) => n > 1);
  const duplicateAllocations = duplicates.reduce((sum, [, n]) => sum + n - 1, 0);
  if (duplicateAllocations) failed.push(`bought twice: ${duplicates.map(([k, n]) => `${k} ×${n}`).join(', ')}`);

  // Events agree with the end state.
  failed.push(
    ...eventFindings(
      allEvents.filter((e) => e.detail['provisionId'] === id),
      p?.state,
    ),
  );

  return { leakedHosts, leakedIps, leakedOneObjects, stuck, duplicateAllocations, failedInvariant: failed };
}

/**
 * What a provision's events (in publication order) say against its end
 * state: no address released more often than it was assigned (at any point), nothing
 * after `Provision Deleted`, and a DELETED provision has its `Provision Deleted`.
 */
export function eventFindings(events: readonly BusEvent[], endState: string | undefined): string[] {
  const failed: string[] = [];
  // An address can come back: released by a rollback, it may be leased again by the retry. Released twice for one lease is a duplicate.
  const assigned = new Map<string, number>();
  const released = new Map<string, number>();
  const duplicated = new Set<string>();
  for (const e of events) {
    const address = String(e.detail['address']);
    if (e['detail-type'] === 'Ip Assigned') assigned.set(address, (assigned.get(address) ?? 0) + 1);
    if (e['detail-type'] !== 'Ip Released') continue;
    released.set(address, (released.get(address) ?? 0) + 1);
    if ((released.get(address) ?? 0) > (assigned.get(address) ?? 0)) duplicated.add(address);
  }
  for (const address of duplicated) {
    failed.push(`Ip Released ${released.get(address) ?? 0} times for ${address} after ${assigned.get(address) ?? 0} assignment(s)`);
  }
  const deletedAt = events.findIndex((e) => e['detail-type'] === 'Provision Deleted');
  if (deletedAt >= 0 && deletedAt < events.length - 1) {
    failed.push(
      `events after Provision Deleted: ${events
        .slice(deletedAt + 1)
        .map((e) => e['detail-type'])
        .join(', ')}`,
    );
  }
  if (endState === 'DELETED' && deletedAt < 0) failed.push('DELETED without a Provision Deleted event');
  return failed;
}
