import type { ProvisionMeta } from '../ports/store';
import { describeError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { ipamFor, loadHost, providerFor } from '../context';
import { HOST_STATES, type HostState, type IpAssignment } from '../model';
import type { OpenNebulaPort } from '../ports/opennebula';
import { parseCause, hostSpec, hostTag } from '../steps/host-register';
import { deregisterHost, releaseHost } from '../steps/teardown';

const NOT_RELEASED: HostState[] = HOST_STATES.filter((s) => s !== 'RELEASED');

/** Input of {@link restoreHost}: the host, and the failure that called for it. */
export interface RestoreHostInput {
  provisionId: string;
  index: number;
  /** The step that failed and its error, for the record. */
  step?: string;
  error?: { Error?: string; Cause?: string };
}

/** Where a restored host ended. */
export type RestoreOutcome = 'registered' | 'off' | 'released' | 'failed';

/**
 * Compensation of a host a day-2 operation failed on (a removal, a power
 * action): never leaves it half there. A machine that still exists is
 * registered and enabled again (offline when stopped) with its public
 * address ranges, and VMs a forced action paused are resumed; a machine that
 * is gone is finished off (address ranges, IPs) and the host RELEASED. A
 * machine the provider reports failed or still starting is recorded FAILED.
 */
export async function restoreHost(
  deps: Deps,
  input: RestoreHostInput,
): Promise<{ provisionId: string; index: number; outcome: RestoreOutcome }> {
  const { provision, host, plan } = await loadHost(deps, input);
  const done = (outcome: RestoreOutcome) => ({ provisionId: provision.id, index: host.index, outcome });
  if (host.state === 'RELEASED') return done('released');
  const cause = { step: input.step ?? 'operation', errorName: input.error?.Error ?? 'Error', message: parseCause(input.error?.Cause) };
  const [machine] = host.providerId ? await (await providerFor(deps, provision)).describe([host.providerId]) : [];
  let outcome: RestoreOutcome;
  if (!machine || machine.status === 'terminated') {
    await deregisterHost(deps, { provisionId: provision.id, index: host.index, cleanup: false });
    await releaseHost(deps, { provisionId: provision.id, index: host.index });
    outcome = 'released';
  } else if (machine.status === 'failed' || machine.status === 'pending') {
    await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, 'FAILED', {
      failedStep: cause.step,
      error: { ...cause, attempt: (host.error?.attempt ?? 0) + 1, at: deps.now().toISOString() },
    });
    outcome = 'failed';
  } else {
    const one = await deps.openNebula(provision);
    const oneId = await one.ensureHost(hostSpec(provision, host, plan));
    await one.tagHost(oneId, hostTag(provision, host, plan));
    const publicIps = await restoreRanges(one, provision, host.name, await stillLeased(deps, provision, host.publicIps));
    const running = machine.status === 'running';
    await one.setHostStatus(oneId, running ? 'enabled' : 'offline');
    const resumed: number[] = [];
    if (running) {
      for (const vmId of host.pausedVms ?? []) {
        await one.vmAction(vmId, 'resume').then(
          () => resumed.push(vmId),
          (err: unknown) => deps.lifecycle.note(provision.id, 'Vm Not Resumed', { host: host.name, vmId, ...describeError(err) }),
        );
      }
    }
    // Back in service, but the failure stays on record (no failedStep: nothing to resume) for the operation's report.
    await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, running ? 'RUNNING' : 'OFF', {
      oneId,
      publicIps,
      error: { ...cause, attempt: (host.error?.attempt ?? 0) + 1, at: deps.now().toISOString() },
      remove: ['failedStep', ...(running && host.pausedVms?.length ? (['pausedVms'] as const) : [])],
    });
    outcome = running ? 'registered' : 'off';
    if (resumed.length) await deps.lifecycle.note(provision.id, 'Vms Resumed', { host: host.name, vms: resumed });
  }
  await deps.lifecycle.note(provision.id, 'Host Restored', { host: host.name, index: host.index, outcome, ...cause });
  return done(outcome);
}

/** The host's addresses its IPAM still leases (a removal may have released some before it failed). */
async function stillLeased(deps: Deps, p: ProvisionMeta, ips: IpAssignment[]): Promise<IpAssignment[]> {
  const held = new Set<string>();
  for (const name of new Set(ips.map((ip) => ip.network))) {
    const net = p.plan.networks.find((n) => n.name === name);
    if (net) for (const lease of await (await ipamFor(deps, p, net)).list(p.id)) held.add(lease.leaseId);
  }
  return ips.filter((ip) => held.has(ip.leaseId));
}

/** Puts the host's public addresses back on their vnets as size-1 ranges (found by IP when there). */
async function restoreRanges(one: OpenNebulaPort, p: ProvisionMeta, hostName: string, ips: IpAssignment[]): Promise<IpAssignment[]> {
  const out: IpAssignment[] = [];
  for (const ip of ips) {
    const vnet = p.networks.find((n) => n.name === ip.network);
    if (!vnet) {
      out.push(ip);
      continue;
    }
    const arId = await one.addAddressRange(vnet.oneId, {
      type: 'IP4',
      ip: ip.address,
      size: 1,
      attributes: { PROVISION_ID: p.id, IPAM_LEASE_ID: ip.leaseId, EDGE_HOST: hostName },
    });
    out.push({ ...ip, arId });
  }
  return out;
}
