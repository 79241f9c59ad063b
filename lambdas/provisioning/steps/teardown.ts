import { CleanupTimeoutError, describeError, ImagesPresentError, VmsRunningError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { ipamFor, loadHost, providerFor, timing, type HostStepInput } from '../context';
import { HOST_STATES, type HostState, type Provision } from '../model';

const NOT_RELEASED: HostState[] = HOST_STATES.filter((s) => s !== 'RELEASED');

/** How long cleanup waits for a host's VMs, or for an image, to be gone when the delete does not say (seconds). */
export const DEFAULT_CLEANUP_TIMEOUT_SECONDS = 120;

/** Input of the per-host delete steps. */
export interface TeardownHostInput extends HostStepInput {
  cleanup?: boolean;
  /** `--cleanup-timeout`: how long to wait for the host's VMs to be gone (seconds). */
  cleanupTimeoutSeconds?: number;
}

/**
 * Removes the host from OpenNebula: refuses while VMs run unless cleanup,
 * which terminates them (hard) and answers `done: false` until they are gone
 * (the machine waits and calls again), failing with `CleanupTimeoutError`
 * past `cleanupTimeoutSeconds`; then deletes the host and its public address
 * ranges.
 */
export async function deregisterHost(deps: Deps, input: TeardownHostInput): Promise<TeardownHostInput & { done: boolean }> {
  const { provision, host } = await loadHost(deps, input);
  if (host.state === 'RELEASED') return { ...input, done: true };
  const one = await deps.openNebula(provision);
  if (host.oneId !== undefined) {
    const vms = await one.vmsOnHosts([host.oneId]);
    if (vms.length > 0) {
      if (!input.cleanup) {
        throw new VmsRunningError(
          `host ${host.name} runs ${vms.length} VM(s) (${vms.map((v) => v.id).join(', ')}); delete with cleanup to terminate them`,
        );
      }
      const since = host.timings?.['cleanup']?.start;
      if (!since) {
        await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, undefined, {
          timings: timing(host, 'cleanup', 'start', deps.now()),
        });
      }
      let refused: string | undefined;
      for (const vm of vms) {
        // A VM between states (PROLOG, BOOT, a migration) refuses terminate: asked again on the next call.
        await one.terminateVm(vm.id).catch((err: unknown) => (refused = describeError(err).message));
      }
      const left = await one.vmsOnHosts([host.oneId]);
      if (left.length > 0) {
        const limit = input.cleanupTimeoutSeconds ?? DEFAULT_CLEANUP_TIMEOUT_SECONDS;
        const waited = since ? (deps.now().getTime() - Date.parse(since)) / 1000 : 0;
        if (waited > limit) {
          throw new CleanupTimeoutError(
            `host ${host.name}: VM(s) ${left.map((v) => v.id).join(', ')} still not DONE ${Math.round(waited)} s after cleanup terminated them ` +
              `(cleanup timeout ${limit} s)${refused ? `; oned refused: ${refused}` : ''}`,
          );
        }
        return { ...input, done: false };
      }
    }
    await one.deleteHost(host.oneId);
  }
  for (const ip of host.publicIps) {
    const vnet = provision.networks.find((n) => n.name === ip.network);
    if (vnet && ip.arId !== undefined) await one.removeAddressRange(vnet.oneId, ip.arId);
  }
  await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, 'RELEASING', { oneId: undefined });
  return { ...input, done: true };
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

/** Input of the delete machine's infrastructure step. */
export interface DeleteInfraInput {
  provisionId: string;
  /** Delete the images in the provision's datastores (refused without). */
  cleanup?: boolean;
  /** How long to wait for each image to be gone (seconds). */
  cleanupTimeoutSeconds?: number;
}

/**
 * Deletes vnets, VN and VM templates, images (with cleanup, as oneprovision
 * does), datastores and cluster (reverse registration order), then sweeps
 * everything still tagged with the provision at the provider, the IPAMs and
 * OpenNebula — objects whose creation response was lost and so never reached
 * the store — and removes the provider infrastructure.
 */
export async function deleteNetworkInfra(deps: Deps, input: DeleteInfraInput): Promise<{ provisionId: string }> {
  const p = await deps.store.get(input.provisionId);
  if (!p) return { provisionId: input.provisionId };
  const one = await deps.openNebula(p);
  const found = await one.findByProvision(p.id);
  for (const h of found.hosts) await one.deleteHost(h.id);
  const networkIds = new Set([...p.networks.map((n) => n.oneId), ...found.networks.map((n) => n.id)]);
  for (const id of networkIds) await one.deleteNetwork(id);
  for (const t of found.vnTemplates) await one.deleteVnTemplate(t.id);
  for (const t of found.vmTemplates) await one.deleteVmTemplate(t.id);
  const datastoreIds = new Set([...p.datastores.map((d) => d.oneId), ...found.datastores.map((d) => d.id)]);
  await deleteImages(deps, p, [...datastoreIds], found.images, input);
  for (const id of datastoreIds) await one.deleteDatastore(id);
  const clusterIds = new Set([...(p.cluster ? [p.cluster.oneId] : []), ...found.clusters.map((c) => c.id)]);
  for (const id of clusterIds) await one.deleteCluster(id);
  await sweepProvider(deps, p);
  return input;
}

/** The images in the provision's datastores (and tagged with it), deleted with cleanup: a datastore holding one cannot be deleted. */
async function deleteImages(
  deps: Deps,
  p: Provision,
  datastoreIds: number[],
  tagged: ReadonlyArray<{ id: number; name: string }>,
  input: DeleteInfraInput,
): Promise<void> {
  const one = await deps.openNebula(p);
  const images = [...(await one.imagesIn(datastoreIds)), ...tagged];
  const ids = [...new Set(images.map((i) => i.id))];
  if (ids.length === 0) return;
  if (!input.cleanup) {
    throw new ImagesPresentError(`images ${ids.join(', ')} are in the datastores of provision ${p.id}; delete with cleanup to delete them`);
  }
  const limit = input.cleanupTimeoutSeconds ?? DEFAULT_CLEANUP_TIMEOUT_SECONDS;
  for (const id of ids) {
    if (!(await one.deleteImage(id, { timeoutMs: limit * 1000 }))) {
      throw new CleanupTimeoutError(`image ${id} of provision ${p.id} was still not deleted after ${limit} s (cleanup timeout)`);
    }
  }
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
