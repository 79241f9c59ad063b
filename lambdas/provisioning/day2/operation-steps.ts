import { InvalidStateError, OperationFailedError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { loadProvision, publicNetworks } from '../context';
import type { HostRecord, OperationOutcome, Provision, ProvisionOperation } from '../model';
import { parseCause } from '../steps/host-register';
import { beginConfigure } from './configure';
import { beginHostAction } from './host-power';
import { beginIpAction } from './ip-steps';
import { lockedProvision, type BeginResult, type OperationStepInput } from './operation-input';
import { beginScale } from './scale-steps';
import { liveHosts, settleProvision } from './settle';

/** What a compensation step hands the failure record (`$.begin.compensation`). */
export interface CompensationResult {
  undone: boolean;
  undoErrors: string[];
}

/**
 * First step of every day-2 machine: checks that the operation still holds
 * the lock, does what its kind needs before work starts (new host records,
 * SCALING, hosts marked), emits `Operation Started`, and hands the machine
 * the hosts to work on.
 */
export async function beginOperation(
  deps: Deps,
  input: OperationStepInput & { request: Record<string, unknown> },
): Promise<BeginResult & Record<string, unknown>> {
  const { provision: p, operation } = await lockedProvision(deps, input);
  const specific = await begin(deps, p, operation, input.request);
  const after = await loadProvision(deps, p.id);
  const names = specific.hosts.map((h) => after.hosts.find((x) => x.index === h.index)?.name ?? String(h.index));
  await deps.lifecycle.emit(p.id, 'Operation Started', { ...operationDetail(operation), ...(names.length ? { hosts: names } : {}) });
  return {
    ...specific,
    provisionId: p.id,
    operationId: operation.id,
    kind: operation.kind,
    startedAt: operation.startedAt,
    compensation: { undone: false, undoErrors: [] },
  };
}

function begin(deps: Deps, p: Provision, operation: ProvisionOperation, request: unknown) {
  switch (operation.kind) {
    case 'scale-out':
    case 'scale-in':
      return beginScale(deps, p, operation, request);
    case 'host-action':
      return beginHostAction(deps, p, request);
    case 'ip-add':
    case 'ip-remove':
      return beginIpAction(deps, p, request);
    case 'configure':
      return beginConfigure(deps, p, request);
    default:
      throw new InvalidStateError(`operation ${operation.id} (${operation.kind}) has no day-2 machine`);
  }
}

function operationDetail(operation: ProvisionOperation) {
  return { operationId: operation.id, kind: operation.kind, summary: operation.summary };
}

/**
 * The operation's lock holder, or the outcome it already ended with (a
 * re-run ending step finds it released).
 */
async function holderOrOutcome(
  deps: Deps,
  input: OperationStepInput,
): Promise<{ provision: Provision; operation: ProvisionOperation } | { ended: OperationOutcome; provision: Provision }> {
  const p = await loadProvision(deps, input.provisionId);
  if (p.operation?.id === input.operationId) return { provision: p, operation: p.operation };
  const ended = p.operations?.find((r) => r.id === input.operationId);
  if (ended) return { ended: ended.outcome, provision: p };
  return lockedProvision(deps, input);
}

function opHosts(p: Provision, hosts: Array<{ index: number }>): HostRecord[] {
  return hosts.map((h) => p.hosts.find((x) => x.index === h.index)).filter((h): h is HostRecord => h !== undefined);
}

/** Why a host is not where the operation wanted it. */
function hostProblem(h: HostRecord): string {
  return h.error ? `${h.name} failed in ${h.failedStep}: ${h.error.errorName}: ${h.error.message}` : `${h.name} is ${h.state}`;
}

/**
 * Last step of a day-2 machine that reached its end: checks the goal
 * (scale-out: every new host RUNNING; scale-in: every host RELEASED; host
 * action: the host OFF or RUNNING; configure: every host RUNNING) or throws
 * OperationFailedError for the machine's compensation; then settles the
 * provision (RUNNING or DEGRADED), the public IP policy follows `ip add` and
 * `ip remove`, the lock is released, and the events say what happened.
 */
export async function finishOperation(
  deps: Deps,
  input: OperationStepInput & { hosts: Array<{ index: number }>; action?: string },
): Promise<{ provisionId: string; state: string }> {
  const held = await holderOrOutcome(deps, input);
  if ('ended' in held) return { provisionId: held.provision.id, state: held.provision.state };
  const { provision: p, operation } = held;
  const hosts = opHosts(p, input.hosts);
  const goal = { 'scale-out': 'RUNNING', 'scale-in': 'RELEASED', configure: 'RUNNING' }[operation.kind as string];
  const wanted = operation.kind === 'host-action' ? (input.action === 'poweroff' ? 'OFF' : 'RUNNING') : goal;
  const missed = wanted ? hosts.filter((h) => h.state !== wanted) : [];
  if (missed.length) throw new OperationFailedError(`${operation.summary} did not complete: ${missed.map(hostProblem).join('; ')}`);
  if (operation.kind === 'ip-add' || operation.kind === 'ip-remove') await followIpPolicy(deps, p);
  const settled = await settleProvision(deps, p.id, { operationId: operation.id, outcome: 'SUCCEEDED' });
  await emitHostOutcomes(deps, p, operation, hosts);
  await deps.lifecycle.emit(p.id, 'Operation Succeeded', { ...operationDetail(operation), state: settled.state });
  return { provisionId: p.id, state: settled.state };
}

/** The descriptor's public IP count of each network becomes what the provision holds after `ip add` / `ip remove`. */
async function followIpPolicy(deps: Deps, p: Provision): Promise<void> {
  const current = await loadProvision(deps, p.id);
  const held = (name: string) => liveHosts(current).reduce((n, h) => n + h.publicIps.filter((ip) => ip.network === name).length, 0);
  const changed = publicNetworks(current)
    .concat(current.plan.networks.filter((n) => n.role === 'public' && n.publicIps === 0))
    .some((n) => held(n.name) !== n.publicIps);
  if (!changed) return;
  const networks = current.plan.networks.map((n) => (n.role === 'public' ? { ...n, publicIps: held(n.name) } : n));
  await deps.store.patch(p.id, ['RUNNING', 'DEGRADED', 'SCALING'], { plan: { ...current.plan, networks } });
}

/** `Host Added` for each host a scale-out added, `Host Removed` for each a scale-in removed. */
async function emitHostOutcomes(deps: Deps, p: Provision, operation: ProvisionOperation, hosts: HostRecord[]): Promise<void> {
  const now = await loadProvision(deps, p.id);
  for (const before of hosts) {
    const h = now.hosts.find((x) => x.index === before.index) ?? before;
    const base = { host: h.name, index: h.index, operationId: operation.id };
    if (operation.kind === 'scale-out' && h.state === 'RUNNING' && h.oneId !== undefined) {
      await deps.lifecycle.emit(p.id, 'Host Added', { ...base, oneId: h.oneId });
    }
    if (operation.kind === 'scale-in' && h.state === 'RELEASED') {
      await deps.lifecycle.emit(p.id, 'Host Removed', { ...base, vmsTerminated: h.terminatedVms ?? [] });
    }
  }
}

/**
 * The failure path's last step, after the kind's compensation: records the
 * failed step and its root cause (a failed host's own error rather than the
 * check that noticed it), settles the provision by its hosts, releases the
 * lock, and emits `Operation Failed` saying whether everything was undone.
 */
export async function failOperation(
  deps: Deps,
  input: OperationStepInput & {
    step?: string;
    error: { Error?: string; Cause?: string };
    begin: { hosts?: Array<{ index: number }>; compensation?: CompensationResult };
  },
): Promise<{ provisionId: string; state: string }> {
  const held = await holderOrOutcome(deps, input).catch(() => undefined);
  if (!held || 'ended' in held) return { provisionId: input.provisionId, state: held?.provision.state ?? 'unknown' };
  const { provision: p, operation } = held;
  const hosts = opHosts(p, input.begin.hosts ?? []);
  const failedHost = hosts.find((h) => h.error);
  const errorName =
    (input.error.Error === 'OperationFailedError' ? failedHost?.error?.errorName : undefined) ?? input.error.Error ?? 'Error';
  const message = (input.error.Error === 'OperationFailedError' ? failedHost?.error?.message : undefined) ?? parseCause(input.error.Cause);
  const step = (input.error.Error === 'OperationFailedError' ? failedHost?.error?.step : undefined) ?? input.step ?? 'operation';
  const undoErrors = input.begin.compensation?.undoErrors ?? [];
  const undone = compensated(operation, hosts, input.begin.compensation);
  const settled = await settleProvision(deps, p.id, { operationId: operation.id, outcome: 'FAILED', error: { step, errorName, message } });
  await emitHostOutcomes(deps, p, operation, hosts);
  await deps.lifecycle.emit(p.id, 'Operation Failed', {
    ...operationDetail(operation),
    step,
    errorName,
    message,
    state: settled.state,
    undone,
    ...(undoErrors.length ? { undoErrors } : {}),
  });
  return { provisionId: p.id, state: settled.state };
}

/** Whether nothing is left half: compensated kinds say so themselves; the others by where their hosts rest. */
function compensated(operation: ProvisionOperation, hosts: HostRecord[], compensation?: CompensationResult): boolean {
  if (operation.kind === 'scale-out' || operation.kind === 'ip-add' || operation.kind === 'ip-remove') return compensation?.undone === true;
  if (operation.kind === 'configure') return false;
  return hosts.every((h) => ['RUNNING', 'OFF', 'RELEASED'].includes(h.state));
}
