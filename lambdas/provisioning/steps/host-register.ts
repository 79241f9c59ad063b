import { isIPv4 } from 'node:net';
import type { ProvisionMeta } from '../ports/store';
import type { Deps } from '../ports/deps';
import { loadHost, timing, type HostStepInput } from '../context';
import { resolveDeferred } from '../deferred';
import { describeError, HostMonitorTimeoutError, HostNotMonitoredError } from '../../shared/errors';
import type { HostRecord } from '../model';
import type { HostStepResult } from './host-allocate';
import type { HostPlan } from '../plan';

/** How a host is allocated in OpenNebula: its registration name, drivers and cluster. */
export function hostSpec(provision: ProvisionMeta, host: HostRecord, plan: HostPlan) {
  return {
    name: registrationName(host),
    provisionId: provision.id,
    imMad: plan.imMad,
    vmMad: plan.vmMad,
    clusterId: provision.cluster?.oneId ?? 0,
  };
}

/** What a registered host is tagged with: the descriptor's attributes (deferred values filled in) and its provision. */
export function hostTag(provision: ProvisionMeta, host: HostRecord, plan: HostPlan) {
  const attributes = resolveDeferred(plan.attributes, { clusterId: provision.cluster?.oneId, updates: host.facts }).ready;
  return {
    provisionId: provision.id,
    attributes: { ...attributes, LABELS: labels(attributes['LABELS'], host.name) },
    provision: { deployId: host.providerId ?? '', hostname: host.name, driver: provision.plan.provider.name, index: host.index },
  };
}

/** How long a registered host may stay unmonitored (INIT) when the settings do not say. */
export const DEFAULT_HOST_MONITOR_TIMEOUT_SECONDS = 600;

/** Host monitoring states that mean "not monitored yet, keep waiting". */
const WAITING_STATES = new Set(['INIT', 'MONITORING_INIT', 'MONITORING_MONITORED']);

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address);
}

/**
 * The name a host is registered under in OpenNebula: the address the
 * front-end reaches it by, as oneprovision registers hosts by IP. That is the
 * address the provisioner reached it over SSH (a cloud host's public address,
 * an on-premises host's given address), except for hosts on this machine's
 * loopback (simulated hosts), whose own address is their private one.
 * oned refuses `:` in host names, so IPv6 addresses fall back to the
 * descriptor's name.
 */
export function registrationName(host: Pick<HostRecord, 'name' | 'sshHost' | 'privateIp'>): string {
  const ssh = host.sshHost;
  if (ssh && !isLoopback(ssh) && !ssh.includes(':')) return ssh;
  if (host.privateIp && isIPv4(host.privateIp)) return host.privateIp;
  return host.name;
}

/** `LABELS` keeps the descriptor's name visible beside the address (Sunstone shows it as a label). */
function labels(existing: string | undefined, name: string): string {
  const list = (existing ?? '').split(',').filter((l) => l.trim() !== '');
  return [...new Set([...list, name])].join(',');
}

/**
 * Registers the configured host in the provision's cluster, then waits (one
 * poll per invocation; the machine waits between them) until OpenNebula has
 * monitored it. The host's id is recorded before it is tagged, so a host
 * whose tagging fails is still found, and deleted, by its id.
 *
 * Returns `done: true` once MONITORED. A host in ERROR fails the step with
 * `HostNotMonitoredError` carrying oned's message; one still INIT after
 * `hostMonitorTimeoutSeconds` fails with `HostMonitorTimeoutError`.
 */
export async function registerHost(deps: Deps, input: HostStepInput): Promise<HostStepResult> {
  const { provision, host, plan } = await loadHost(deps, input);
  if (host.state === 'RUNNING') return { ...input, done: true };
  const one = await deps.openNebula(provision);
  const name = registrationName(host);
  let current = host;

  if (current.oneId === undefined) {
    const oneId = await one.ensureHost(hostSpec(provision, host, plan));
    current = await deps.store.updateHost(provision.id, host.index, ['REGISTERING'], undefined, {
      oneId,
      timings: timing(current, 'register', 'start', deps.now()),
    });
  }
  const oneId = current.oneId as number;

  if (!current.timings?.['monitor']) {
    await one.tagHost(oneId, hostTag(provision, host, plan));
    // A retry after a monitoring failure: enabling the host makes the front-end monitor it again.
    if ((await one.hostMonitoring(oneId)).state === 'ERROR') await one.setHostStatus(oneId, 'enabled');
    current = await deps.store.updateHost(provision.id, host.index, ['REGISTERING'], undefined, {
      timings: timing(current, 'monitor', 'start', deps.now()),
    });
  }

  const monitoring = await one.hostMonitoring(oneId);
  const where = `host ${host.name} (${name}, OpenNebula host ${oneId})`;
  if (monitoring.state === 'MONITORED') {
    const now = deps.now();
    await deps.store.updateHost(provision.id, host.index, ['REGISTERING'], 'RUNNING', {
      timings: timing({ ...current, timings: timing(current, 'monitor', 'end', now) }, 'register', 'end', now),
    });
    await deps.lifecycle.emit(provision.id, 'Host Registered', { host: host.name, index: host.index, oneId });
    return { ...input, done: true };
  }
  if (monitoring.state === 'ERROR') {
    throw new HostNotMonitoredError(`OpenNebula could not monitor ${where}: ${monitoring.error ?? 'no ERROR message in its template'}`);
  }
  if (!WAITING_STATES.has(monitoring.state)) {
    throw new HostNotMonitoredError(`${where} is ${monitoring.state} in OpenNebula; enable it (onehost enable ${oneId}) and retry`);
  }
  const since = current.timings?.['monitor']?.start ?? current.updatedAt;
  const waited = (deps.now().getTime() - Date.parse(since)) / 1000;
  const limit = deps.settings.hostMonitorTimeoutSeconds ?? DEFAULT_HOST_MONITOR_TIMEOUT_SECONDS;
  if (waited > limit) {
    throw new HostMonitorTimeoutError(
      `${where} is still ${monitoring.state} after ${Math.round(waited)} s: the front-end has not monitored it. ` +
        `Check that its monitoring daemon runs the IM_MAD '${plan.imMad}' and that the front-end reaches ${name} over SSH as oneadmin`,
    );
  }
  return { ...input, done: false };
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
