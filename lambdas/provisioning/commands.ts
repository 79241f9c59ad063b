import { createHash, randomBytes } from 'node:crypto';
import { InvalidStateError, NotFoundError } from '../shared/errors';
import type { Deps } from './ports/deps';
import type { HostRecord, Provision, ProvisionState } from './model';
import { ProvisionPlanSchema, type ProvisionPlan } from './plan';
import { assertDeletable } from './steps/delete';

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
 * Stores a PENDING provision (with PENDING hosts) and starts the create
 * machine; the execution name is the provision id, so a duplicate start is a
 * no-op. Returns the existing provision when the id is already taken by the
 * same owner (an idempotent retry).
 */
export async function createProvision(deps: Deps, input: { id: string; owner: string; plan: ProvisionPlan }): Promise<Provision> {
  const plan = ProvisionPlanSchema.parse(input.plan);
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

/** Starts the delete machine after the synchronous checks (409 on refusal). */
export async function deleteProvision(
  deps: Deps,
  input: { owner: string; id: string; cleanup: boolean; cleanupTimeoutSeconds?: number },
): Promise<{ provision: Provision; executionId?: string }> {
  const p = await getOwnedProvision(deps, input.owner, input.id);
  if (p.state === 'DELETED') return { provision: p };
  await assertDeletable(deps, p, input.cleanup);
  const attempt = deps.now().getTime().toString(36);
  const { executionId } = await deps.workflows.start('delete-provision', `delete-${p.id}-${attempt}`, {
    provisionId: p.id,
    cleanup: input.cleanup,
    ...(input.cleanupTimeoutSeconds !== undefined ? { cleanupTimeoutSeconds: input.cleanupTimeoutSeconds } : {}),
  });
  return { provision: p, executionId };
}

/** Lists a caller's provisions. */
export function listProvisions(deps: Deps, input: { owner: string; state?: ProvisionState; limit?: number; cursor?: string }) {
  return deps.store.list(input);
}

/**
 * Resumes a failed creation: restarts the create machine on a provision in
 * ERROR. Its steps are idempotent and resume where they stopped (failed
 * hosts at their failed step, rolled-back hosts from the start). A failed
 * delete is resumed by deleting again.
 */
export async function retryProvision(
  deps: Deps,
  input: { owner: string; id: string },
): Promise<{ provision: Provision; executionId: string }> {
  const p = await getOwnedProvision(deps, input.owner, input.id);
  if (p.state !== 'ERROR') throw new InvalidStateError(`provision ${p.id} is ${p.state}; only a provision in ERROR can be retried`);
  if (p.failedStep === 'delete') throw new InvalidStateError(`the delete of provision ${p.id} failed; delete it again to resume`);
  // Named after the version, so a double-sent retry starts one execution.
  const { executionId } = await deps.workflows.start('create-provision', `create-${p.id}-retry-${p.version}`, { provisionId: p.id });
  return { provision: p, executionId };
}
