import type { Deps } from '../deps';
import { loadHost, timing, type HostStepInput } from '../context';
import type { HostRecord, Provision } from '../model';
import type { HostStepResult } from './host-allocate';

/** Hosts whose underlay address is known: VXLAN peers of the one being configured. */
export function knownPeers(provision: Provision, except?: number): string[] {
  return provision.hosts
    .filter((h) => h.index !== except && h.privateIp && !['FAILED', 'RELEASING', 'RELEASED'].includes(h.state))
    .map((h) => h.privateIp as string);
}

/** Parameters the roles receive (validated again by the configurator before use). */
export function roleParams(provision: Provision, host: HostRecord, configuration: Record<string, string>): Record<string, string> {
  return {
    ...configuration,
    provision_id: provision.id,
    host_name: host.name,
    host_index: String(host.index),
    private_ip: host.privateIp ?? '',
    public_ips: host.publicIps.map((a) => a.address).join(','),
    overlay_mode: provision.plan.overlay.mode,
    overlay_vni: String(provision.plan.overlay.vni),
    first_host: provision.hosts[0]?.privateIp ?? '',
  };
}

/**
 * Runs the host's configuration roles over SSH until they are done or this
 * invocation's time budget runs low; then returns `done: false` and the
 * machine loops back, resuming at `nextRole`. Role output goes to the log.
 */
export async function configureHost(deps: Deps, input: HostStepInput & { remainingMs?: number }): Promise<HostStepResult> {
  const { provision, host, plan } = await loadHost(deps, input);
  if (['REGISTERING', 'RUNNING'].includes(host.state)) return { ...input, done: true };
  const starting = host.state === 'BOOTING';
  const current = await deps.store.updateHost(provision.id, host.index, ['BOOTING', 'CONFIGURING'], 'CONFIGURING', {
    ...(starting ? { timings: timing(host, 'configure', 'start', deps.now()) } : {}),
  });
  const result = await deps.hostConfigurator.configure(
    {
      target: {
        provisionId: provision.id,
        hostName: host.name,
        address: current.sshHost ?? '',
        port: current.sshPort ?? 22,
        user: plan.connection.remoteUser,
        hostKey: current.hostKey ?? plan.hostKeyPin,
      },
      fromRole: current.nextRole,
      params: roleParams(provision, current, plan.configuration),
      peers: knownPeers(provision, host.index),
      overlay: provision.plan.overlay,
      deadlineMs: Math.min(input.remainingMs ?? deps.settings.configureBudgetMs, deps.settings.configureBudgetMs),
    },
    (line) => {
      // Logging must never fail the role run; a lost output line is acceptable.
      deps.lifecycle.note(provision.id, 'Role Output', { host: host.name, role: line.role, stream: line.stream, text: line.text }).catch(() => undefined);
    },
  );
  const patch = {
    hostKey: result.hostKey,
    facts: { ...(current.facts ?? {}), ...result.facts },
    nextRole: result.done ? undefined : result.nextRole,
  };
  if (!result.done) {
    await deps.store.updateHost(provision.id, host.index, ['CONFIGURING'], 'CONFIGURING', patch);
    return { ...input, done: false };
  }
  await deps.store.updateHost(provision.id, host.index, ['CONFIGURING'], 'REGISTERING', {
    ...patch,
    timings: timing(current, 'configure', 'end', deps.now()),
  });
  await deps.lifecycle.emit(provision.id, 'Host Configured', {
    host: host.name,
    index: host.index,
    roles: result.rolesRun.map((r) => r.role),
  });
  return { ...input, done: true };
}
