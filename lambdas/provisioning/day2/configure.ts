import { InvalidStateError } from '../../shared/errors';
import { getOwnedProvision } from '../commands';
import type { Deps } from '../ports/deps';
import type { HostRecord, HostState, Provision } from '../model';
import { startOperation } from '../lock/start-operation';
import { ConfigureInputSchema, type ConfigureInput } from './requests';
import type { StartedOperation } from './scale';
import { findHost, LIVE_PROVISION_STATES, liveHosts } from './settle';

/** Steps a FAILED host resumes configuration from (earlier failures need the host pipeline: scale it in and out). */
const RESUMABLE_STEPS = ['configure', 'register'];

/** Whether `configure` can run on the host: a machine that booted and has an SSH endpoint. */
function configurable(h: HostRecord): boolean {
  return h.sshHost !== undefined && h.providerId !== undefined && ['RUNNING', 'FAILED'].includes(h.state);
}

/** Hosts a configure without force works on: those whose configuration or registration failed. */
function unfinished(h: HostRecord): boolean {
  return h.state === 'FAILED' && configurable(h) && RESUMABLE_STEPS.includes(h.failedStep ?? '');
}

/**
 * Reconfigure (oneprovision's `configure`): without `force`, hosts whose
 * configuration or registration failed resume at their failed role; with
 * `force`, every role runs again from the first on the chosen live hosts
 * (all by default), e.g. after an OS update or a changed role. Roles are
 * idempotent, so VMs keep running. Then every host gets the full peer set.
 */
export async function configureProvision(
  deps: Deps,
  input: { owner: string; id: string; force?: boolean; hosts?: string[] },
): Promise<StartedOperation> {
  const p = await getOwnedProvision(deps, input.owner, input.id);
  const force = input.force === true;
  if (!p.operation) pickConfigureHosts(p, force, input.hosts);
  return startOperation(
    deps,
    p.id,
    {
      kind: 'configure',
      summary: `configure${force ? ' --force' : ''} ${input.hosts?.join(', ') ?? 'all hosts'}`,
      machine: 'configure-provision',
      inStates: LIVE_PROVISION_STATES,
      executionPrefix: 'configure',
    },
    async (locked): Promise<ConfigureInput> => ({ indexes: pickConfigureHosts(locked, force, input.hosts).map((h) => h.index), force }),
  );
}

function pickConfigureHosts(p: Provision, force: boolean, refs?: string[]): HostRecord[] {
  const named = refs?.map((ref) => findHost(p, ref));
  for (const h of named ?? []) {
    if (!configurable(h)) throw new InvalidStateError(`host ${h.name} is ${h.state} without a reachable machine; it cannot be configured`);
    if (!force && !unfinished(h)) {
      throw new InvalidStateError(`host ${h.name} is configured (${h.state}); configure with force to run every role again`);
    }
  }
  const chosen = named ?? liveHosts(p).filter(force ? configurable : unfinished);
  if (chosen.length === 0) {
    throw new InvalidStateError(
      force
        ? `provision ${p.id} has no host that can be configured`
        : `every host of provision ${p.id} is configured; configure with force to run every role again`,
    );
  }
  return chosen;
}

/**
 * First step of configure-provision: each host goes back to CONFIGURING,
 * from the first role with force, or from its failed role; a host that
 * failed in registration goes straight to REGISTERING.
 */
export async function beginConfigure(deps: Deps, p: Provision, request: unknown) {
  const input = ConfigureInputSchema.parse(request);
  for (const index of input.indexes) {
    const h = p.hosts.find((x) => x.index === index);
    if (!h || ['CONFIGURING', 'REGISTERING'].includes(h.state)) continue;
    const to: HostState = !input.force && h.failedStep === 'register' ? 'REGISTERING' : 'CONFIGURING';
    await deps.store.updateHost(p.id, index, ['RUNNING', 'FAILED'], to, {
      clearError: true,
      ...(input.force && h.nextRole ? { remove: ['nextRole' as const] } : {}),
    });
  }
  return {
    force: input.force,
    pollSeconds: deps.settings.pollSeconds,
    maxConcurrency: p.plan.maxConcurrency,
    hosts: input.indexes.map((index) => ({ provisionId: p.id, index })),
  };
}
