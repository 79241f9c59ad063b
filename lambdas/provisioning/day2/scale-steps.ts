import { DrainTimeoutError, VmsRunningError, describeError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { loadHost, timing } from '../context';
import type { HostRecord, Provision, ProvisionOperation } from '../model';
import { convergeOverlay } from '../steps/finalize';
import { deregisterHost, releaseHost } from '../steps/teardown';
import type { BeginResult, OperationStepInput } from './operation-input';
import { ScaleInputSchema, type ScaleInInput, type ScaleOutInput } from './requests';
import { describeVms } from './scale';

/** A host a scale-in drains, as its Map iteration carries it. */
export interface DrainItem {
  provisionId: string;
  index: number;
  drain: boolean;
  force: boolean;
  /** When waiting for VMs to leave gives up (ISO time). */
  deadline: string;
  drainTimeoutSeconds: number;
  /** Carried through the rounds for the machine's Wait. */
  pollSeconds?: number;
}

/**
 * First step of scale-provision: records the new hosts (scale-out: their
 * plans and PENDING records; never twice) and moves the provision to
 * SCALING. Hands the Map the hosts to work on.
 */
export async function beginScale(
  deps: Deps,
  p: Provision,
  operation: ProvisionOperation,
  request: unknown,
): Promise<
  Omit<BeginResult, 'startedAt' | 'provisionId' | 'operationId' | 'kind'> & {
    direction: 'out' | 'in';
    hosts: Array<{ provisionId: string; index: number } & Partial<DrainItem>>;
  }
> {
  const input = ScaleInputSchema.parse(request);
  if (input.direction === 'out') await recordNewHosts(deps, p, input);
  if (p.state !== 'SCALING') await deps.store.transition(p.id, ['RUNNING', 'DEGRADED'], 'SCALING');
  const base = { pollSeconds: deps.settings.pollSeconds, maxConcurrency: p.plan.maxConcurrency, direction: input.direction };
  if (input.direction === 'out') return { ...base, hosts: input.hosts.map((h) => ({ provisionId: p.id, index: h.index })) };
  const deadline = drainDeadline(deps, operation, input);
  return {
    ...base,
    hosts: input.indexes.map((index) => ({
      provisionId: p.id,
      index,
      drain: input.drain,
      force: input.force,
      deadline,
      drainTimeoutSeconds: input.drainTimeoutSeconds,
    })),
  };
}

async function recordNewHosts(deps: Deps, p: Provision, input: ScaleOutInput): Promise<void> {
  const planned = new Set(p.plan.hosts.map((h) => h.index));
  const added = input.hosts.filter((h) => !planned.has(h.index));
  if (added.length)
    await deps.store.patch(p.id, ['RUNNING', 'DEGRADED', 'SCALING'], { plan: { ...p.plan, hosts: [...p.plan.hosts, ...added] } });
  const recorded = new Set(p.hosts.map((h) => h.index));
  const at = deps.now().toISOString();
  const records: HostRecord[] = input.hosts
    .filter((h) => !recorded.has(h.index))
    .map((h) => ({ index: h.index, name: h.name, state: 'PENDING', publicIps: [], version: 1, updatedAt: at }));
  if (records.length) await deps.store.addHosts(p.id, records);
}

/** The drain timeout counts from the operation's start, in the flows' time (scaled in the sandbox). */
function drainDeadline(deps: Deps, operation: ProvisionOperation, input: ScaleInInput): string {
  const scale = deps.settings.timeScale ?? 1;
  return new Date(Date.parse(operation.startedAt) + input.drainTimeoutSeconds * 1000 * scale).toISOString();
}

/**
 * One round of draining a host before its removal: disabled in OpenNebula
 * (no new VMs); drained once no VM is left on it. Its VMs are asked to move
 * (`resched`, for OpenNebula's scheduler) or, with force, terminated; past
 * the deadline the drain fails (DrainTimeoutError) and the host is restored.
 * The machine waits between rounds.
 */
export async function drainHost(
  deps: Deps,
  input: DrainItem & { round?: number },
): Promise<DrainItem & { drained: boolean; round: number }> {
  const { provision, host } = await loadHost(deps, input);
  const round = (input.round ?? 0) + 1;
  const result = (drained: boolean) => ({ ...input, drained, round });
  if (host.state === 'RELEASING' || host.state === 'RELEASED') return result(true);
  if (host.state !== 'DRAINING') {
    await deps.store.updateHost(provision.id, host.index, ['RUNNING', 'OFF', 'FAILED'], 'DRAINING', {
      timings: timing(host, 'drain', 'start', deps.now()),
    });
  }
  if (host.oneId === undefined) return result(true);
  const one = await deps.openNebula(provision);
  const state = await one.hostState(host.oneId);
  if (state !== 'DISABLED' && state !== 'OFFLINE') await one.setHostStatus(host.oneId, 'disabled');
  const vms = await one.vmsOnHosts([host.oneId]);
  if (vms.length === 0) return result(true);
  if (!input.drain) {
    throw new VmsRunningError(`${host.name} runs VM(s) ${describeVms(vms)}, started after the scale-in was accepted; scale in with drain`);
  }
  if (input.force) {
    const fresh = vms.filter((vm) => vm.state !== 6 && ![12, 16].includes(vm.lcmState) && !(host.terminatedVms ?? []).includes(vm.id));
    for (const vm of fresh) await one.terminateVm(vm.id);
    if (fresh.length) {
      await deps.store.updateHost(provision.id, host.index, ['DRAINING'], undefined, {
        terminatedVms: [...(host.terminatedVms ?? []), ...fresh.map((vm) => vm.id)],
      });
      await deps.lifecycle.note(provision.id, 'Drain Terminating', { host: host.name, vms: fresh.map((vm) => vm.id) });
    }
    return result(false);
  }
  if (round === 1) {
    for (const vm of vms) {
      await one
        .vmAction(vm.id, 'resched')
        .catch((err: unknown) =>
          deps.lifecycle.note(provision.id, 'Resched Refused', { host: host.name, vmId: vm.id, ...describeError(err) }),
        );
    }
    await deps.lifecycle.note(provision.id, 'Drain Waiting', { host: host.name, vms: vms.map((vm) => vm.id), until: input.deadline });
  }
  if (deps.now().getTime() > Date.parse(input.deadline)) {
    throw new DrainTimeoutError(
      `VM(s) ${describeVms(vms)} still run on ${host.name} after the drain timeout of ${input.drainTimeoutSeconds} s; migrate them, or drain with force to terminate them`,
    );
  }
  return result(false);
}

/**
 * Compensation of a failed scale-out: releases what it bought (each host it
 * added: OpenNebula host, address ranges, IPs, machine) and writes the peer
 * set of the hosts that stay. A new host that already runs VMs is kept, and
 * named in `undoErrors`: VMs are never terminated by a rollback.
 */
export async function compensateScaleOut(
  deps: Deps,
  input: OperationStepInput & { hosts: Array<{ index: number }> },
): Promise<{ undone: boolean; undoErrors: string[] }> {
  const undoErrors: string[] = [];
  for (const { index } of [...input.hosts].reverse()) {
    try {
      await deregisterHost(deps, { provisionId: input.provisionId, index, cleanup: false });
      await releaseHost(deps, { provisionId: input.provisionId, index });
    } catch (err) {
      const host = await deps.store.getHost(input.provisionId, index);
      undoErrors.push(`${host?.name ?? index}: ${describeError(err).message}`);
    }
  }
  try {
    await convergeOverlay(deps, { provisionId: input.provisionId });
  } catch (err) {
    undoErrors.push(`overlay: ${describeError(err).message}`);
  }
  return { undone: undoErrors.length === 0, undoErrors };
}
