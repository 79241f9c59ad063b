import { NetworkNotReadyError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { loadProvision, providerFor, type ProvisionStepInput } from '../context';
import { resolveDeferred } from '../deferred';
import type { OneObjectRecord, Provision } from '../model';
import { overlayNetworkAttributes } from '../overlay-network';

/**
 * Creates what every host registration needs, in OpenNebula's order:
 * provider infrastructure, cluster, datastores, vnets. Each object is found
 * or created by name and provision tag, so a retry reuses what exists.
 * Attributes waiting for `${updates.*}` are left out and filled in later.
 */
export async function createNetworkInfra(deps: Deps, input: ProvisionStepInput): Promise<{ provisionId: string; networksReady: boolean }> {
  const p = await loadProvision(deps, input.provisionId);
  const provider = await providerFor(deps, p);
  const infrastructure = p.infrastructure ?? (await provider.ensureInfrastructure(p.id));
  const one = await deps.openNebula(p);
  const provisionId = p.id;

  const clusterId = p.cluster?.oneId ?? (await one.ensureCluster({ name: p.plan.cluster.name, provisionId }));
  // Recorded before it is tagged: a cluster whose tagging fails is still found, and deleted, by its id.
  await deps.store.patch(p.id, ['PROVISIONING'], { infrastructure, cluster: { name: p.plan.cluster.name, oneId: clusterId } });
  await one.tagCluster(clusterId, { provisionId, attributes: resolveDeferred(p.plan.cluster.attributes, {}).ready });
  for (const dsId of p.plan.cluster.datastoreIds) await one.addDatastoreToCluster(clusterId, dsId);

  const datastores: OneObjectRecord[] = [];
  for (const ds of p.plan.datastores) {
    const oneId = await one.ensureDatastore({
      name: ds.name,
      provisionId,
      type: ds.type,
      attributes: resolveDeferred(ds.attributes, { clusterId }).ready,
      clusterId,
    });
    datastores.push({ name: ds.name, oneId });
  }
  await deps.store.patch(p.id, ['PROVISIONING'], { datastores });

  const networks = await ensureNetworks(deps, p, clusterId, {});
  await deps.store.patch(p.id, ['PROVISIONING'], { networks });
  return { provisionId, networksReady: await allReady(deps, p.id) };
}

/**
 * Creates the vnets and VN templates whose attributes are all known. One
 * waiting for a host fact (e.g. `PHYDEV: ${updates.default_ipv4_nic}`,
 * mandatory for VXLAN) is left for after configuration, as oned refuses it
 * without the value. The private overlay network gets the attributes of the
 * overlay the roles build (`overlayNetworkAttributes`). VN templates carry
 * the provision tag from the allocate on, so the delete's sweep finds them;
 * the store keeps only vnets.
 */
export async function ensureNetworks(
  deps: Deps,
  p: Provision,
  clusterId: number,
  updates: Record<string, string>,
): Promise<OneObjectRecord[]> {
  const one = await deps.openNebula(p);
  for (const net of p.plan.networks.filter((n) => n.template)) {
    const { ready, waiting } = resolveDeferred(overlayNetworkAttributes(p.plan, net), { clusterId, updates });
    if (waiting.length > 0) continue;
    await one.ensureVnTemplate({ name: net.name, provisionId: p.id, vnMad: net.vnMad, attributes: ready });
  }
  const networks: OneObjectRecord[] = [...p.networks];
  for (const net of p.plan.networks.filter((n) => !n.template)) {
    if (networks.some((n) => n.name === net.name)) continue;
    const { ready, waiting } = resolveDeferred(overlayNetworkAttributes(p.plan, net), { clusterId, updates });
    if (waiting.length > 0) continue;
    const oneId = await one.ensureNetwork({
      name: net.name,
      provisionId: p.id,
      vnMad: net.vnMad,
      attributes: ready,
      addressRanges: net.addressRanges,
      clusterId,
    });
    networks.push({ name: net.name, oneId });
  }
  return networks;
}

/** Poll step of the network Wait loop; fails when a vnet is in ERROR or too slow. */
export async function checkNetworksReady(
  deps: Deps,
  input: ProvisionStepInput & { startedAt?: string },
): Promise<{ provisionId: string; networksReady: boolean }> {
  const ready = await allReady(deps, input.provisionId);
  if (!ready && input.startedAt) {
    const waited = (deps.now().getTime() - Date.parse(input.startedAt)) / 1000;
    if (waited > deps.settings.networkReadyTimeoutSeconds) {
      throw new NetworkNotReadyError(`virtual networks of ${input.provisionId} not READY after ${Math.round(waited)} s`);
    }
  }
  return { provisionId: input.provisionId, networksReady: ready };
}

/** True when every recorded vnet is READY; a vnet in ERROR fails the step. */
export async function allReady(deps: Deps, provisionId: string): Promise<boolean> {
  const p = await loadProvision(deps, provisionId);
  const one = await deps.openNebula(p);
  for (const n of p.networks) {
    const state = await one.networkState(n.oneId);
    if (state === 'ERROR' || state === 'UPDATE_FAILURE')
      throw new NetworkNotReadyError(`virtual network ${n.name} (${n.oneId}) is in ${state}`);
    if (state !== 'READY') return false;
  }
  return true;
}
