import { createHash, randomBytes } from 'node:crypto';
import { InvalidStateError, NotFoundError, ValidationError } from '../shared/errors';
import type { Deps } from './ports/deps';
import type { MachineName } from './ports/workflow';
import type { HostRecord, Provision, ProvisionOperation, ProvisionState } from './model';
import type { ProvisionPlan } from './plan';
import { assertDeletable, DELETABLE_STATES } from './steps/delete';
import { recordInterrupted } from './steps/compensate';
import { holderRuns, newOperationId, operationRecord } from './lock/operation-lock';
import { startOperation } from './lock/start-operation';
import { releaseNames, reserveNames } from './name-reservations';
import { adoptCredentials, dropPendingCredentials } from './credentials';
import { PROVISION_STATES } from './model';

/** States in which an execution is (or should be) moving the provision. */
export const MOVING_STATES: readonly ProvisionState[] = ['PENDING', 'PROVISIONING', 'SCALING', 'DELETING'];

/** How long a provision may sit in a moving state with no operation holding it before it counts as stuck. */
const UNHELD_GRACE_MS = 120_000;

/**
 * A provision in a moving state that no operation holds (its execution was
 * started without the lock, or released it and died before settling) is
 * stuck once it has not changed for a while: it is recorded as interrupted
 * — ERROR with step `interrupted`, or `delete` — so that retry and delete
 * can act on it. A held provision is settled by the lock itself. Returns
 * the provision as it is now.
 */
export async function settleIfStuck(deps: Deps, p: Provision): Promise<Provision> {
  if (!MOVING_STATES.includes(p.state) || p.operation) return p;
  if (deps.now().getTime() - Date.parse(p.updatedAt) < UNHELD_GRACE_MS) return p;
  await recordInterrupted(deps, { provisionId: p.id, reason: `no operation holds the provision, ${p.state} since ${p.updatedAt}` });
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
 * Stores a PENDING provision (with PENDING hosts), born holding the
 * operation lock for its creation, and starts the create machine; the
 * execution name is the provision id, so a duplicate start is a no-op.
 * Returns the existing provision when the id is already taken by the same
 * owner (an idempotent retry).
 */
export async function createProvision(deps: Deps, input: { id: string; owner: string; plan: ProvisionPlan }): Promise<Provision> {
  // Parsed once, by whoever made it (the descriptor loader, the API, the schedule store); not again here.
  const parsed = input.plan;
  const existing = await deps.store.get(input.id);
  if (existing) {
    await dropPendingCredentials(deps, parsed);
    if (existing.owner !== input.owner) throw new InvalidStateError(`provision id ${input.id} is taken`);
    return existing;
  }
  try {
    assertProvidersAccepted(deps, parsed);
    await reserveNames(deps, input.id, input.owner, parsed);
  } catch (err) {
    // Refused before it existed: nothing will ever read the credentials rendered for it.
    await dropPendingCredentials(deps, parsed);
    throw err;
  }
  // Its inline credentials become its own secret, deleted with it.
  const plan = await adoptCredentials(deps, parsed, input.id);
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
  const operation: ProvisionOperation = {
    id: newOperationId(),
    kind: 'create',
    summary: `create ${hosts.length} host(s)`,
    machine: 'create-provision',
    executionName: `create-${input.id}`,
    startedAt: at,
  };
  const provision: Provision = {
    id: input.id,
    owner: input.owner,
    name: plan.name,
    state: 'PENDING',
    plan,
    hosts,
    datastores: [],
    networks: [],
    operation,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  try {
    await deps.store.create(provision);
  } catch (err) {
    // Another request stored this id first (an idempotent retry): its names are its own.
    if (!(await deps.store.get(input.id))) await releaseNames(deps, provision);
    throw err;
  }
  await deps.lifecycle.emit(provision.id, 'Provision Requested', {
    name: plan.name,
    owner: input.owner,
    provider: plan.provider.name,
    hosts: hosts.length,
  });
  const { executionId } = await deps.workflows.start('create-provision', operation.executionName, {
    provisionId: provision.id,
    operationId: operation.id,
  });
  await deps.store.setOperationExecution(provision.id, operation.id, executionId);
  return { ...((await deps.store.get(provision.id)) ?? provision), executionId };
}

/** A provision as its owner may see it; another caller gets NotFoundError (no existence leak). */
export async function getOwnedProvision(deps: Deps, owner: string, id: string): Promise<Provision> {
  const p = await deps.store.get(id);
  if (!p || p.owner !== owner) throw new NotFoundError(`provision ${id} not found`);
  return p;
}

/**
 * Starts the delete machine under the operation lock, after the synchronous
 * checks (409 on refusal: another operation runs, VMs run without cleanup,
 * a state that cannot be deleted).
 *
 * Forced, it works from any state and takes the lock over: the execution
 * holding it is stopped (its lock released as INTERRUPTED), and the machine
 * removes everything recorded, tagged or named for the provision, reporting
 * what it could not.
 */
export async function deleteProvision(
  deps: Deps,
  input: { owner: string; id: string; cleanup: boolean; force?: boolean; cleanupTimeoutSeconds?: number },
): Promise<{ provision: Provision; executionId?: string }> {
  let p = await getOwnedProvision(deps, input.owner, input.id);
  if (input.force) {
    const holder = p.operation;
    if (holder && (await holderRuns(deps, holder))) {
      const message = `stopped by a forced delete of provision ${p.id}`;
      await deps.workflows.stop(holder.machine as MachineName, holder.executionName, message);
      await deps.store.releaseOperation(
        p.id,
        { operationId: holder.id },
        operationRecord(holder, 'INTERRUPTED', deps.now(), { step: 'interrupted', errorName: 'StoppedByForcedDelete', message }),
      );
      await deps.lifecycle.note(p.id, 'Operation Interrupted', { operationId: holder.id, kind: holder.kind, message });
    }
    const { provision, executionId } = await startOperation(
      deps,
      p.id,
      {
        kind: 'delete',
        summary: 'forced delete',
        machine: 'delete-provision',
        inStates: PROVISION_STATES,
        executionPrefix: 'delete-force',
      },
      async () => ({ cleanup: true, force: true, ...timeoutOf(input) }),
    );
    return { provision, executionId };
  }
  if (p.state === 'DELETED') return { provision: p };
  p = await settleIfStuck(deps, p);
  // The friendly refusal when nothing holds the lock; a holder is named by the lock itself.
  if (!p.operation) await assertDeletable(deps, p, input.cleanup);
  const { provision, executionId } = await startOperation(
    deps,
    p.id,
    {
      kind: 'delete',
      summary: input.cleanup ? 'delete with cleanup' : 'delete',
      machine: 'delete-provision',
      inStates: DELETABLE_STATES,
    },
    async (locked) => {
      await assertDeletable(deps, locked, input.cleanup);
      return {
        cleanup: input.cleanup,
        force: false,
        ...timeoutOf(input),
      };
    },
  );
  return { provision, executionId };
}

/** The delete machine's `cleanupTimeoutSeconds`, when the caller named one. */
function timeoutOf(input: { cleanupTimeoutSeconds?: number }): { cleanupTimeoutSeconds?: number } {
  return input.cleanupTimeoutSeconds !== undefined ? { cleanupTimeoutSeconds: input.cleanupTimeoutSeconds } : {};
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
  const refuse = (current: Provision) => {
    if (current.state !== 'ERROR') {
      throw new InvalidStateError(`provision ${current.id} is ${current.state}; only a provision in ERROR can be retried`);
    }
  };
  if (!p.operation) refuse(p);
  if (p.failedStep === 'delete') {
    // A failed or interrupted delete is continued as it was asked for.
    const deletion = p.deletion ?? { cleanup: false, force: false };
    const { provision, executionId } = await startOperation(
      deps,
      p.id,
      { kind: 'delete', summary: 'retry the delete', machine: 'delete-provision', inStates: ['ERROR'], executionPrefix: 'delete-retry' },
      async (locked) => {
        refuse(locked);
        return { cleanup: deletion.cleanup, force: deletion.force, ...timeoutOf(deletion) };
      },
    );
    return { provision, executionId };
  }
  // Under the lock, so a double-sent retry starts one execution and the second is told which.
  const { provision, executionId } = await startOperation(
    deps,
    p.id,
    { kind: 'retry', summary: 'retry the creation', machine: 'create-provision', inStates: ['ERROR'], executionPrefix: 'create-retry' },
    async (locked) => {
      refuse(locked);
      return {};
    },
  );
  return { provision, executionId };
}
