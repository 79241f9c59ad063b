import { randomBytes } from 'node:crypto';
import type { Deps } from './ports/deps';
import type { ProvisionPlan } from './plan';

/**
 * Where credentials found inline in a descriptor live: one secret per
 * provision or recurring schedule, named after it, deleted with it.
 *
 * A descriptor is rendered before its provision or schedule has an id (the
 * CLI renders locally; the API renders, then creates), so its credentials
 * first go to a *pending* secret. Creating the provision or schedule adopts
 * it: the value moves to the owner's own secret and the pending one is
 * deleted. A provision a schedule creates gets its own copy of the
 * schedule's secret, so either can be deleted without taking the other's.
 */

/** The secret name of an owner's (provision's or schedule's) inline credentials. */
export function ownSecretName(ownerId: string): string {
  return `edge-provisioner/${ownerId}/provider-connection`;
}

/** A fresh pending secret name, for credentials rendered before their owner exists. */
export function pendingSecretName(): string {
  return ownSecretName(`pending-${randomBytes(8).toString('hex')}`);
}

const PENDING = /(^|:)edge-provisioner\/pending-[0-9a-f]{16}\/provider-connection$/;
const SCHEDULE = /(^|:)edge-provisioner\/s-[0-9a-f]{12}\/provider-connection$/;

/** True for a reference to a pending secret (nobody owns it yet). */
export function isPendingSecret(ref: string | undefined): boolean {
  return ref !== undefined && PENDING.test(ref);
}

/** True when the reference is the owner's own secret (deleted with it). */
export function isOwnSecret(ref: string | undefined, ownerId: string): boolean {
  return ref !== undefined && ref.endsWith(ownSecretName(ownerId));
}

/**
 * The plan with its inline credentials in the owner's own secret: a pending
 * secret is moved there, a schedule's secret copied there. Any other
 * reference (a secret the operator named and shares) is left as it is.
 */
export async function adoptCredentials(deps: Pick<Deps, 'secrets'>, plan: ProvisionPlan, ownerId: string): Promise<ProvisionPlan> {
  const ref = plan.provider.connectionRef;
  if (!ref || isOwnSecret(ref, ownerId)) return plan;
  const pending = PENDING.test(ref);
  if (!pending && !SCHEDULE.test(ref)) return plan;
  const own = await deps.secrets.put(ownSecretName(ownerId), await deps.secrets.get(ref));
  if (pending) await deps.secrets.delete(ref);
  return { ...plan, provider: { ...plan.provider, connectionRef: own } };
}

/** Deletes a pending secret left by a create that was refused (nothing will adopt it). */
export async function dropPendingCredentials(deps: Pick<Deps, 'secrets'>, plan: ProvisionPlan): Promise<void> {
  if (isPendingSecret(plan.provider.connectionRef)) await deps.secrets.delete(plan.provider.connectionRef as string);
}
