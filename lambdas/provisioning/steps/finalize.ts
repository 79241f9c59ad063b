import { describeError, ProvisionFailedError } from '../../shared/errors';
import { recordHostFailure } from './host-register';
import { armTeardownTriggers } from '../scheduling/teardown-triggers';
import type { Deps } from '../ports/deps';
import { loadProvision, type ProvisionStepInput } from '../context';
import { resolveDeferred } from '../deferred';
import { allReady, ensureNetworks } from './network-infra';
import type { Provision } from '../model';
import { withRelease } from '../lock/operation-lock';

/**
 * Writes the full VXLAN peer set on every running host (hosts configured
 * early only knew the peers allocated before them), then fills the
 * `${updates.*}` values now known into the OpenNebula objects, and creates
 * the vnets that were waiting for them. A host that cannot be reached is
 * recorded FAILED at step `converge` (the failure policy decides what that
 * means); it does not undo the healthy ones.
 */
export async function convergeOverlay(deps: Deps, input: ProvisionStepInput): Promise<{ provisionId: string; networksReady: boolean }> {
  const p = await loadProvision(deps, input.provisionId);
  const live = p.hosts.filter((h) => h.state === 'RUNNING' && h.sshHost && h.privateIp);
  const results = await Promise.allSettled(
    live.map((h) => {
      const plan = p.plan.hosts.find((x) => x.index === h.index);
      return deps.hostConfigurator.setPeers(
        {
          provisionId: p.id,
          hostName: h.name,
          address: h.sshHost as string,
          port: h.sshPort ?? 22,
          user: plan?.connection.remoteUser ?? 'root',
          hostKey: h.hostKey,
        },
        live.filter((o) => o.index !== h.index).map((o) => o.privateIp as string),
        p.plan.overlay,
      );
    }),
  );
  for (const [i, result] of results.entries()) {
    const host = live[i];
    if (result.status === 'fulfilled' || !host) continue;
    await recordHostFailure(deps, { provisionId: p.id, index: host.index, step: 'converge', error: toStepError(result.reason) });
  }
  const current = results.some((r) => r.status === 'rejected') ? await loadProvision(deps, p.id) : p;
  const updates = updatesOf(current);
  await fillUpdates(deps, current, updates);
  if (current.cluster) {
    const networks = await ensureNetworks(deps, current, current.cluster.oneId, updates);
    if (networks.length !== current.networks.length) await deps.store.patch(p.id, ['PROVISIONING', 'SCALING'], { networks });
  }
  return { provisionId: p.id, networksReady: await allReady(deps, p.id) };
}

/** A thrown value as the `{Error, Cause}` a state machine's Catch hands over. */
function toStepError(err: unknown): { Error: string; Cause: string } {
  const { name, message } = describeError(err);
  return { Error: name, Cause: message };
}

/** `${updates.X}` values: facts of the first running host, plus `first_host`. */
export function updatesOf(p: Provision): Record<string, string> {
  const first = p.hosts.find((h) => h.state === 'RUNNING');
  if (!first) return {};
  return { ...(first.facts ?? {}), first_host: first.sshHost && first.privateIp ? first.privateIp : first.name };
}

async function fillUpdates(deps: Deps, p: Provision, updates: Record<string, string>): Promise<void> {
  if (Object.keys(updates).length === 0) return;
  const one = await deps.openNebula(p);
  const values = { clusterId: p.cluster?.oneId, updates };
  const objects = [
    ...p.plan.datastores.map((d) => ({ kind: 'datastore' as const, plan: d, rec: p.datastores.find((x) => x.name === d.name) })),
    ...p.plan.networks.map((n) => ({ kind: 'network' as const, plan: n, rec: p.networks.find((x) => x.name === n.name) })),
  ];
  for (const { kind, plan, rec } of objects) {
    const deferred = Object.fromEntries(Object.entries(plan.attributes).filter(([, v]) => v.includes('${updates.')));
    if (rec && Object.keys(deferred).length) await one.updateTemplate(kind, rec.oneId, resolveDeferred(deferred, values).ready);
  }
}

/**
 * Applies the failure policy: all hosts RUNNING → RUNNING; at least
 * `minHealthyHosts` (default: all) → DEGRADED; otherwise ProvisionFailedError,
 * which the machine catches to compensate. Settling releases the operation lock.
 */
export async function finalizeProvision(
  deps: Deps,
  input: ProvisionStepInput & { executionName?: string },
): Promise<{ provisionId: string; state: string }> {
  const p = await loadProvision(deps, input.provisionId);
  const healthy = p.hosts.filter((h) => h.state === 'RUNNING').length;
  const total = p.hosts.length;
  const required = Math.min(p.plan.failurePolicy.minHealthyHosts ?? total, total);
  if (healthy === total || (healthy >= required && healthy > 0)) {
    const state = healthy === total ? 'RUNNING' : 'DEGRADED';
    // Armed while still PROVISIONING, so a TTL or rule that cannot be set up fails the
    // creation (and compensates) instead of leaving an edge nothing will tear down.
    // A scale-out settling again keeps the expiry set at its first RUNNING.
    const { expiresAt } = p.state === 'PROVISIONING' ? await armTeardownTriggers(deps, p) : {};
    const holder = { executionName: input.executionName };
    await deps.store.transition(
      p.id,
      ['PROVISIONING', 'SCALING'],
      state,
      withRelease(p, holder, { clearError: true }, 'SUCCEEDED', deps.now()),
    );
    await deps.lifecycle.emit(p.id, state === 'RUNNING' ? 'Provision Running' : 'Provision Degraded', {
      name: p.name,
      owner: p.owner,
      hosts: total,
      healthyHosts: healthy,
      ttlSeconds: p.plan.ttlSeconds,
      ...(expiresAt ? { expiresAt } : {}),
    });
    return { provisionId: p.id, state };
  }
  const failed = p.hosts.filter((h) => h.state === 'FAILED').map((h) => `${h.name} (${h.failedStep}: ${h.error?.errorName})`);
  throw new ProvisionFailedError(`${healthy} of ${total} hosts healthy, ${required} required; failed: ${failed.join(', ') || 'none'}`);
}
