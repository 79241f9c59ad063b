import type { ProvisionMeta } from '../ports/store';
import type { Deps } from '../ports/deps';
import { loadHost, timing, type HostStepInput } from '../context';
import { resolveDeferred } from '../deferred';
import { describeError } from '../../shared/errors';
import type { HostStepResult } from './host-allocate';
import type { HostRecord } from '../model';
import type { HostPlan } from '../plan';

/** What OpenNebula is told about a host: name, drivers, cluster and template (deferred values filled in). */
export function hostRegistration(provision: ProvisionMeta, host: HostRecord, plan: HostPlan) {
  return {
    name: host.name,
    provisionId: provision.id,
    imMad: plan.imMad,
    vmMad: plan.vmMad,
    clusterId: provision.cluster?.oneId ?? 0,
    attributes: resolveDeferred(
      {
        ...plan.attributes,
        PROVISION_HOST_INDEX: String(host.index),
        PROVISION_PROVIDER_ID: host.providerId ?? '',
      },
      { clusterId: provision.cluster?.oneId, updates: host.facts },
    ).ready,
  };
}

/** Registers the configured host in the provision's OpenNebula cluster. */
export async function registerHost(deps: Deps, input: HostStepInput): Promise<HostStepResult> {
  const { provision, host, plan } = await loadHost(deps, input);
  if (host.state === 'RUNNING') return { ...input, done: true };
  const one = await deps.openNebula(provision);
  const started = timing(host, 'register', 'start', deps.now());
  const oneId = await one.ensureHost(hostRegistration(provision, host, plan));
  await deps.store.updateHost(provision.id, host.index, ['REGISTERING'], 'RUNNING', {
    oneId,
    timings: timing({ ...host, timings: started }, 'register', 'end', deps.now()),
  });
  await deps.lifecycle.emit(provision.id, 'Host Registered', { host: host.name, index: host.index, oneId });
  return { ...input, done: true };
}

/** Input of the Map iteration's Catch: which step failed and why. */
export interface HostFailureInput {
  provisionId: string;
  index: number;
  step: string;
  error: { Error?: string; Cause?: string };
}

/**
 * Records a host's failure with the step it failed in, so `retry` resumes
 * there, and emits `Host Failed`. The iteration then ends normally: one bad
 * host does not stop the others; the finalize step applies the failure policy.
 */
export async function recordHostFailure(deps: Deps, input: HostFailureInput): Promise<{ index: number; failed: true }> {
  const { provision, host } = await loadHost(deps, input);
  const errorName = input.error.Error ?? 'Error';
  const message = parseCause(input.error.Cause);
  const failure = { step: input.step, errorName, message, attempt: (host.error?.attempt ?? 0) + 1, at: deps.now().toISOString() };
  try {
    await deps.store.updateHost(
      provision.id,
      host.index,
      // A registered host fails only at converge (its overlay peers could not be written).
      input.step === 'converge' ? ['RUNNING', 'FAILED'] : ['PENDING', 'ALLOCATING', 'BOOTING', 'CONFIGURING', 'REGISTERING', 'FAILED'],
      'FAILED',
      { failedStep: input.step, error: failure },
    );
  } catch (err) {
    // The host may have moved on (e.g. already RUNNING after a concurrent retry): keep the failure in the log only.
    await deps.lifecycle.note(provision.id, 'Host Failure Not Recorded', { host: host.name, ...describeError(err) });
  }
  await deps.lifecycle.emit(provision.id, 'Host Failed', { host: host.name, index: host.index, step: input.step, errorName, message });
  return { index: host.index, failed: true };
}

/** Lambda failures carry a JSON `{errorType, errorMessage}` in Cause; local ones the plain message. */
export function parseCause(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}
