import { HostBootFailedError, HostNotReadyTimeoutError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { hostKey, loadHost, providerFor, timing, type HostStepInput } from '../context';

/** Result of the per-host steps: the Map iteration's running state. */
export interface HostStepResult extends HostStepInput {
  ready?: boolean;
  done?: boolean;
}

/**
 * Allocates the host at the provider. The idempotency key is fixed per
 * provision and host index, so a retried or resumed call returns the machine
 * the first call created instead of buying a second one.
 */
export async function allocateHost(deps: Deps, input: HostStepInput): Promise<HostStepResult> {
  const { provision, host, plan } = await loadHost(deps, input);
  if (host.providerId && host.state !== 'ALLOCATING') return { ...input, ready: false };
  const started = await deps.store.updateHost(provision.id, host.index, ['PENDING', 'ALLOCATING', 'FAILED'], 'ALLOCATING', {
    clearError: true,
    timings: timing(host, 'allocate', 'start', deps.now()),
  });
  const provider = await providerFor(deps, provision);
  const keys = await deps.secrets.get(deps.settings.sshKeyRef);
  const machine = await provider.allocate(
    { provisionId: provision.id, host: plan, sshPublicKey: keys['publicKey'], infrastructure: provision.infrastructure },
    hostKey(provision.id, host),
  );
  await deps.store.updateHost(provision.id, host.index, ['ALLOCATING'], 'BOOTING', {
    providerId: machine.providerId,
    privateIp: machine.privateIp,
    timings: timing({ ...started, timings: timing(started, 'allocate', 'end', deps.now()) }, 'boot', 'start', deps.now()),
  });
  await deps.lifecycle.emit(provision.id, 'Host Allocated', { host: host.name, index: host.index, providerId: machine.providerId });
  return { ...input, ready: false };
}

/**
 * One poll of the host's readiness (the machine waits between polls, no
 * Lambda sleeps). Ready means the provider reports it running and SSH has an
 * address; a failed or vanished machine, or one past the timeout, fails.
 */
export async function checkHostReady(deps: Deps, input: HostStepInput): Promise<HostStepResult> {
  const { provision, host } = await loadHost(deps, input);
  if (host.state !== 'BOOTING') return { ...input, ready: true };
  const provider = await providerFor(deps, provision);
  const [machine] = await provider.describe([host.providerId ?? '']);
  if (!machine || machine.status === 'terminated' || machine.status === 'failed') {
    throw new HostBootFailedError(`host ${host.name} (${host.providerId}) is ${machine?.status ?? 'gone'} at the provider`);
  }
  const sshHost = machine.sshHost ?? machine.publicIp ?? machine.privateIp;
  if (machine.status === 'running' && sshHost) {
    await deps.store.updateHost(provision.id, host.index, ['BOOTING'], 'BOOTING', {
      sshHost,
      sshPort: machine.sshPort ?? 22,
      privateIp: machine.privateIp ?? host.privateIp,
      timings: timing(host, 'boot', 'end', deps.now()),
    });
    return { ...input, ready: true };
  }
  const since = host.timings?.['boot']?.start ?? host.updatedAt;
  const waited = (deps.now().getTime() - Date.parse(since)) / 1000;
  if (waited > deps.settings.hostReadyTimeoutSeconds) {
    throw new HostNotReadyTimeoutError(`host ${host.name} not ready after ${Math.round(waited)} s (status ${machine.status})`);
  }
  return { ...input, ready: false };
}
