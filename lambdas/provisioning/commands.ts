import { createHash, randomBytes } from 'node:crypto';
import { InvalidStateError, NotFoundError, ValidationError } from '../shared/errors';
import type { Deps } from './ports/deps';
import type { HostRecord, Provision, ProvisionState } from './model';
import { ProvisionPlanSchema, type ProvisionPlan } from './plan';
import { assertDeletable } from './steps/delete';
import { recordInterrupted } from './steps/compensate';

/** States in which an execution is (or should be) moving the provision. */
export const MOVING_STATES: readonly ProvisionState[] = ['PENDING', 'PROVISIONING', 'SCALING', 'DELETING'];

/** A PENDING provision whose execution never started is given this long before it counts as stuck. */
const START_GRACE_MS = 60_000;

/**
 * A provision in a moving state whose execution has ended (failed without
 * reaching its own failure handling, was stopped, or never started) is
 * stuck: it is recorded as interrupted — ERROR with step `interrupted`, or
 * `delete` — so that retry and delete can act on it. Returns it as it is now.
 */
export async function settleIfStuck(deps: Deps, p: Provision): Promise<Provision> {
  if (!MOVING_STATES.includes(p.state)) return p;
  let reason: string;
  if (p.executionId) {
    const status = await deps.workflows.status(p.executionId);
    if (status === 'RUNNING') return p;
    reason = `execution ${p.executionId} ended (${status}) without settling the provision`;
  } else {
    if (deps.now().getTime() - Date.parse(p.updatedAt) < START_GRACE_MS) return p;
    reason = 'no execution was started for the provision';
  }
  await recordInterrupted(deps, { provisionId: p.id, reason });
  return (await deps.store.get(p.id)) ?? p;
}

/**
 * A new provision id. With an idempotency key the id is derived from owner and
 * key, so a retried create finds the provision the first call made.
 */
export function newProvisionId(owner?: string, idempotencyKey?: string): string {
  const raw = idempotencyKey
    ? createHash('sha256')
        .update(`${owner ?? ''}\0${idempotencyKey}`)
        .digest()
    : randomBytes(8);
  return `p-${raw.toString('hex').slice(0, 12)}`;
}

/**
 * Refuses a plan whose provider or IPAMs this deployment does not accept
 * (retired, unknown, or switched off here), before anything is stored or
 * bought: a 422 naming the field, never an execution that cannot work.
 */
export function assertProvidersAccepted(deps: Pick<Deps, 'providers' | 'ipams'>, plan: ProvisionPlan): void {
  const errors: Array<{ path: string; message: string }> = [];
  const provider = deps.providers.refusal(plan.provider.name);
  if (provider) errors.push({ path: 'provider.name', message: provider });
  plan.networks.forEach((n, i) => {
    if (n.role !== 'public' || n.publicIps === 0) return;
    const ipam = deps.ipams.refusal(n.ipam ?? plan.provider.name);
    if (ipam && (n.ipam !== undefined || !provider)) errors.push({ path: `networks.${i}.ipam`, message: ipam });
  });
  if (errors.length) {
    throw new ValidationError(
      `this deployment does not accept the provider of the plan; it accepts ${deps.providers.names().join(', ') || 'none'}`,
      errors,
    );
  }
}

/**
 * Stores a PENDING provision (with PENDING hosts) and starts the create
 * machine; the execution name is the provision id, so a duplicate start is a
 * no-op. Returns the existing provision when the id is already taken by the
 * same owner (an idempotent retry).
 */
export async function createProvision(deps: Deps, input: { id: string; owner: string; plan: ProvisionPlan }): Promise<Provision> {
  const plan = ProvisionPlanSchema.parse(input.plan);
  assertProvidersAccepted(deps, plan);
  const existing = await deps.store.get(input.id);
  if (existing) {
    if (existing.owner !== input.owner) throw new InvalidStateError(`provision id ${input.id} is taken`);
    return existing;
  }
  const at = deps.now().toISOString();
  const hosts: HostRecord[] = plan.hosts.map((h) => ({
    index: h.index,
    name: h.name,
    state: 'PENDING',
    publicIps: [],
    ...(h.hostKeyPin ? { hostKey: h.hostKeyPin } : {}),
    version: 1,
    updatedAt: at,
  }));
  const provision: Provision = {
    id: input.id,
    owner: input.owner,
    name: plan.name,
    state: 'PENDING',
    plan,
    hosts,
    datastores: [],
    networks: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await deps.store.create(provision);
  await deps.lifecycle.emit(provision.id, 'Provision Requested', {
    name: plan.name,
    owner: input.owner,
    provider: plan.provider.name,
    hosts: hosts.length,
  });
  const { executionId } = await deps.workflows.start('create-provision', `create-${provision.id}`, { provisionId: provision.id });
  return deps.store.patch(provision.id, ['PENDING', 'PROVISIONING'], { executionId });
}

/** A provision as its owner may see it; another caller gets NotFoundError (no existence leak). */
export async function getOwnedProvision(deps: Deps, owner: string, id: string): Promise<Provision> {
  const p = await deps.store.get(id);
  if (!p || p.owner !== owner) throw new NotFoundError(`provision ${id} not found`);
  return p;
}

/**
 * Starts the delete machine after the synchronous checks (409 on refusal).
 * Forced, it first stops the execution moving the provision, from any
 * state, and the machine then removes everything recorded, tagged or named
 * for the provision, reporting what it could not.
 */
export async function deleteProvision(
  deps: Deps,
  input: { owner: string; id: string; cleanup: boolean; force?: boolean },
): Promise<{ provision: Provision; executionId?: string }> {
  let p = await getOwnedProvision(deps, input.owner, input.id);
  const attempt = deps.now().getTime().toString(36);
  if (input.force) {
    if (p.executionId && MOVING_STATES.includes(p.state) && (await deps.workflows.status(p.executionId)) === 'RUNNING') {
      await deps.workflows.stop(p.executionId, 'stopped by a forced delete');
    }
    const { executionId } = await deps.workflows.start('delete-provision', `delete-${p.id}-force-${attempt}`, {
      provisionId: p.id,
      cleanup: true,
      force: true,
    });
    return { provision: p, executionId };
  }
  if (p.state === 'DELETED') return { provision: p };
  p = await settleIfStuck(deps, p);
  await assertDeletable(deps, p, input.cleanup);
  const { executionId } = await deps.workflows.start('delete-provision', `delete-${p.id}-${attempt}`, {
    provisionId: p.id,
    cleanup: input.cleanup,
    force: false,
  });
  return { provision: p, executionId };
}

/** Lists a caller's provisions. */
export function listProvisions(deps: Deps, input: { owner: string; state?: ProvisionState; limit?: number; cursor?: string }) {
  return deps.store.list(input);
}

/**
 * Resumes a failed provision: restarts the create machine on a provision in
 * ERROR. Its steps are idempotent and resume where they stopped (failed
 * hosts at their failed step, rolled-back hosts from the start). A failed or
 * interrupted delete is continued: the delete machine runs again, as it was
 * asked for. A provision stuck in a moving state is settled first.
 */
export async function retryProvision(
  deps: Deps,
  input: { owner: string; id: string },
): Promise<{ provision: Provision; executionId: string }> {
  const p = await settleIfStuck(deps, await getOwnedProvision(deps, input.owner, input.id));
  if (p.state !== 'ERROR') throw new InvalidStateError(`provision ${p.id} is ${p.state}; only a provision in ERROR can be retried`);
  if (p.failedStep === 'delete') {
    const deletion = p.deletion ?? { cleanup: false, force: false };
    const { executionId } = await deps.workflows.start('delete-provision', `delete-${p.id}-retry-${p.version}`, {
      provisionId: p.id,
      cleanup: deletion.cleanup,
      force: deletion.force,
    });
    return { provision: p, executionId };
  }
  // Named after the version, so a double-sent retry starts one execution.
  const { executionId } = await deps.workflows.start('create-provision', `create-${p.id}-retry-${p.version}`, { provisionId: p.id });
  return { provision: p, executionId };
}
