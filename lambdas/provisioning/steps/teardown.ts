import { HostBusyError, VmsRunningError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { ipamFor, loadHost, providerFor, type HostStepInput } from '../context';
import { HOST_STATES, type HostState, type Provision } from '../model';

const NOT_RELEASED: HostState[] = HOST_STATES.filter((s) => s !== 'RELEASED');

/** Input of the per-host delete steps. */
export interface TeardownHostInput extends HostStepInput {
  cleanup?: boolean;
}

/**
 * Removes the host from OpenNebula: refuses while VMs run unless cleanup,
 * which terminates them and is retried (HostBusyError) until they are gone;
 * then deletes the host and its public address ranges.
 */
export async function deregisterHost(deps: Deps, input: TeardownHostInput): Promise<TeardownHostInput> {
  const { provision, host } = await loadHost(deps, input);
  if (host.state === 'RELEASED') return input;
  const one = await deps.openNebula(provision);
  if (host.oneId !== undefined) {
    const vms = await one.vmsOnHosts([host.oneId]);
    if (vms.length > 0) {
      if (!input.cleanup) {
        throw new VmsRunningError(
          `host ${host.name} runs ${vms.length} VM(s) (${vms.map((v) => v.id).join(', ')}); delete with cleanup to terminate them`,
        );
      }
      for (const vm of vms) await one.terminateVm(vm.id);
      const left = await one.vmsOnHosts([host.oneId]);
      if (left.length > 0) throw new HostBusyError(`host ${host.name}: ${left.length} VM(s) still terminating`);
    }
    await one.deleteHost(host.oneId);
  }
  for (const ip of host.publicIps) {
    const vnet = provision.networks.find((n) => n.name === ip.network);
    if (vnet && ip.arId !== undefined) await one.removeAddressRange(vnet.oneId, ip.arId);
  }
  await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, 'RELEASING', { oneId: undefined });
  return input;
}

/** Releases the host's public IPs and then the machine itself; idempotent. */
export async function releaseHost(deps: Deps, input: TeardownHostInput): Promise<TeardownHostInput> {
  const { provision, host } = await loadHost(deps, input);
  if (host.state === 'RELEASED') return input;
  for (const ip of host.publicIps) {
    const net = provision.plan.networks.find((n) => n.name === ip.network);
    if (!net) continue;
    const ipam = await ipamFor(deps, provision, net);
    await ipam.release({ leaseId: ip.leaseId, address: ip.address, provisionId: provision.id });
    await deps.lifecycle.emit(provision.id, 'Ip Released', {
      host: host.name,
      index: host.index,
      address: ip.address,
      network: ip.network,
    });
  }
  if (host.providerId) {
    const provider = await providerFor(deps, provision);
    await provider.release([host.providerId]);
  }
  await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, 'RELEASED', { publicIps: [] });
  if (host.providerId)
    await deps.lifecycle.emit(provision.id, 'Host Released', { host: host.name, index: host.index, providerId: host.providerId });
  return input;
}

/**
 * Deletes vnets, datastores and cluster (reverse registration order), then
 * sweeps everything still tagged with the provision at the provider, the
 * IPAMs and OpenNebula — objects whose creation response was lost and so
 * never reached the store — and removes the provider infrastructure.
 */
export async function deleteNetworkInfra(deps: Deps, input: { provisionId: string }): Promise<{ provisionId: string }> {
  const p = await deps.store.get(input.provisionId);
  if (!p) return input;
  const one = await deps.openNebula(p);
  const found = await one.findByProvision(p.id);
  for (const h of found.hosts) await one.deleteHost(h.id);
  const networkIds = new Set([...p.networks.map((n) => n.oneId), ...found.networks.map((n) => n.id)]);
  for (const id of networkIds) await one.deleteNetwork(id);
  const datastoreIds = new Set([...p.datastores.map((d) => d.oneId), ...found.datastores.map((d) => d.id)]);
  for (const id of datastoreIds) await one.deleteDatastore(id);
  const clusterIds = new Set([...(p.cluster ? [p.cluster.oneId] : []), ...found.clusters.map((c) => c.id)]);
  for (const id of clusterIds) await one.deleteCluster(id);
  await sweepProvider(deps, p);
  return input;
}

async function sweepProvider(deps: Deps, p: Provision): Promise<void> {
  const provider = await providerFor(deps, p);
  const leftovers = await provider.list(p.id);
  if (leftovers.length > 0) await provider.release(leftovers.map((m) => m.providerId));
  const ipamNames = new Set(p.plan.networks.filter((n) => n.role === 'public').map((n) => n.ipam ?? p.plan.provider.name));
  for (const name of ipamNames) {
    const ipam = await deps.ipams.create({ ...p.plan.provider, name }, deps.secrets);
    for (const lease of await ipam.list(p.id)) await ipam.release(lease);
  }
  if (p.infrastructure) await provider.removeInfrastructure(p.id, p.infrastructure);
}
