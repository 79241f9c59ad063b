import type { ProvisionMeta } from '../ports/store';
import { HostBootFailedError, HostNotReadyTimeoutError, VmsRunningError, describeError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { loadHost, providerFor } from '../context';
import type { HostState, Provision } from '../model';
import { refuseHostAction } from './host-action';
import type { OperationStepInput } from './operation-input';
import { HostActionInputSchema, type HostActionInput } from './requests';
import { describeVms } from './scale';

/**
 * Where a host action stands between polls: `stopping` (the machine is
 * being stopped), `rebooting` / `starting` (waiting for it to run again),
 * `monitoring` (enabled in OpenNebula, waiting for MONITORED), `done`.
 */
export type PowerPhase = 'stopping' | 'rebooting' | 'starting' | 'monitoring' | 'done';

/** What the host-action machine carries between its steps. */
export interface PowerStepInput extends OperationStepInput, HostActionInput {
  phase?: PowerPhase;
  /** When the action began; it fails once the host is not back within the host-ready timeout. */
  startedAt: string;
}

const MOVING: Record<HostActionInput['action'], HostState> = { poweroff: 'POWERING_OFF', reboot: 'REBOOTING', resume: 'BOOTING' };

/** First step of host-action: checks the host again and marks it POWERING_OFF, REBOOTING or BOOTING. */
export async function beginHostAction(deps: Deps, p: Provision, request: unknown) {
  const input = HostActionInputSchema.parse(request);
  const host = p.hosts.find((h) => h.index === input.index);
  if (!host) throw new HostBootFailedError(`host ${input.index} of provision ${p.id} does not exist`);
  if (host.state !== MOVING[input.action]) {
    refuseHostAction(host, input.action);
    await deps.store.updateHost(p.id, host.index, [host.state], MOVING[input.action]);
  }
  return {
    ...input,
    pollSeconds: deps.settings.pollSeconds,
    maxConcurrency: 1,
    hosts: [{ provisionId: p.id, index: host.index }],
  };
}

/**
 * Starts the action: with force, pauses the host's running VMs
 * (`poweroff-hard`, remembered on the host); takes the host out of
 * scheduling (disabled for a power-off, offline for a reboot, whose capacity
 * OpenNebula must monitor anew); then asks the provider. Safe to run again.
 */
export async function startHostAction(deps: Deps, input: PowerStepInput): Promise<PowerStepInput> {
  const { provision, host } = await loadHost(deps, input);
  const provider = await providerFor(deps, provision);
  const one = await deps.openNebula(provision);
  const oneId = host.oneId as number;
  if (input.action !== 'resume') {
    const vms = (await one.vmsOnHosts([oneId])).filter((vm) => vm.state !== 8);
    if (vms.length && !input.force) {
      throw new VmsRunningError(`host ${host.name} runs VM(s) ${describeVms(vms)}, started after the ${input.action} was accepted`);
    }
    for (const vm of vms) await one.vmAction(vm.id, 'poweroff-hard');
    if (vms.length) {
      await deps.store.updateHost(provision.id, host.index, [host.state], undefined, {
        pausedVms: [...new Set([...(host.pausedVms ?? []), ...vms.map((vm) => vm.id)])],
      });
    }
    await one.setHostStatus(oneId, input.action === 'poweroff' ? 'disabled' : 'offline');
  }
  const providerId = host.providerId as string;
  if (input.action === 'resume') await provider.resume(providerId);
  else if (input.action === 'reboot' && !input.hard) await provider.reboot(providerId);
  else await provider.powerOff(providerId);
  const phase: PowerPhase = input.action === 'resume' ? 'starting' : input.action === 'reboot' && !input.hard ? 'rebooting' : 'stopping';
  return { ...input, phase };
}

/**
 * One poll of a host action (the machine waits between polls). Stopped:
 * a power-off ends OFFLINE in OpenNebula and OFF here; a hard reboot starts
 * the machine again. Running again: the SSH endpoint is recorded (a resumed
 * machine may have a new one) and the host enabled. MONITORED: paused VMs
 * are resumed and the host is RUNNING. Fails when the machine fails or the
 * host-ready timeout passes.
 */
export async function checkHostAction(deps: Deps, input: PowerStepInput): Promise<PowerStepInput & { done: boolean }> {
  const { provision, host } = await loadHost(deps, input);
  const one = await deps.openNebula(provision);
  const oneId = host.oneId as number;
  const provider = await providerFor(deps, provision);
  const next = (phase: PowerPhase) => ({ ...input, phase, done: phase === 'done' });
  const waited = (deps.now().getTime() - Date.parse(input.startedAt)) / 1000;
  if (waited > deps.settings.hostReadyTimeoutSeconds) {
    throw new HostNotReadyTimeoutError(
      `host ${host.name} did not finish ${input.action} within ${deps.settings.hostReadyTimeoutSeconds} s (${input.phase ?? 'starting'})`,
    );
  }
  if (input.phase === 'monitoring') {
    const state = await one.hostState(oneId);
    if (state !== 'MONITORED') return next('monitoring');
    const resumed = await resumePaused(deps, provision, host.name, host.pausedVms ?? []);
    await deps.store.updateHost(provision.id, host.index, [host.state], 'RUNNING', {
      clearError: true,
      ...(host.pausedVms?.length ? { remove: ['pausedVms' as const] } : {}),
    });
    const base = { host: host.name, index: host.index, operationId: input.operationId, vmsResumed: resumed };
    if (input.action === 'reboot') await deps.lifecycle.emit(provision.id, 'Host Rebooted', { ...base, hard: input.hard });
    else await deps.lifecycle.emit(provision.id, 'Host Resumed', base);
    return next('done');
  }
  const [machine] = await provider.describe([host.providerId as string]);
  if (!machine || machine.status === 'terminated' || machine.status === 'failed') {
    throw new HostBootFailedError(`host ${host.name} (${host.providerId}) is ${machine?.status ?? 'gone'} at the provider`);
  }
  if (input.phase === 'stopping') {
    if (machine.status !== 'stopped') return next('stopping');
    if (input.action === 'reboot') {
      await provider.resume(host.providerId as string);
      return next('starting');
    }
    await one.setHostStatus(oneId, 'offline');
    await deps.store.updateHost(provision.id, host.index, [host.state], 'OFF');
    await deps.lifecycle.emit(provision.id, 'Host Powered Off', {
      host: host.name,
      index: host.index,
      operationId: input.operationId,
      vmsPoweredOff: host.pausedVms ?? [],
    });
    return next('done');
  }
  const sshHost = machine.sshHost ?? machine.publicIp ?? machine.privateIp;
  if (machine.status !== 'running' || !sshHost) return next(input.phase ?? 'starting');
  await deps.store.updateHost(provision.id, host.index, [host.state], undefined, {
    sshHost,
    sshPort: machine.sshPort ?? 22,
    privateIp: machine.privateIp ?? host.privateIp,
  });
  await one.setHostStatus(oneId, 'enabled');
  return next('monitoring');
}

async function resumePaused(deps: Deps, p: ProvisionMeta, hostName: string, vms: number[]): Promise<number[]> {
  const one = await deps.openNebula(p);
  const resumed: number[] = [];
  for (const vmId of vms) {
    try {
      await one.vmAction(vmId, 'resume');
      resumed.push(vmId);
    } catch (err) {
      await deps.lifecycle.note(p.id, 'Vm Not Resumed', { host: hostName, vmId, ...describeError(err) });
    }
  }
  return resumed;
}
