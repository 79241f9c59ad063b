import { CleanupTimeoutError, ImagesPresentError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import type { OneNamedCluster, OneNamedObject, OpenNebulaPort } from '../ports/opennebula';
import { providerFor } from '../context';
import type { OneObjectRecord, Provision } from '../model';
import { type BestEffort } from '../best-effort';
import { registrationName } from './host-register';
import { DEFAULT_CLEANUP_TIMEOUT_SECONDS } from './teardown';

/** What a sweep left of the provision's shared objects (what the store should still record). */
export interface SweepResult {
  cluster?: OneObjectRecord;
  datastores: OneObjectRecord[];
  networks: OneObjectRecord[];
  /** Whether the provider infrastructure is gone. */
  infrastructureRemoved: boolean;
}

/** Options of {@link sweepProvision}. */
export interface SweepOptions {
  /**
   * Also find OpenNebula objects by the names the plan gives them (objects
   * whose tag never arrived), and delete hosts with their VMs.
   */
  byName?: boolean;
  /**
   * Delete the images in the provision's datastores (a datastore holding
   * one cannot be deleted), as oneprovision's cleanup does; without, their
   * presence fails the sweep with `ImagesPresentError`. True when unset.
   */
  cleanup?: boolean;
  /** How long to wait for each image to be gone (seconds). */
  cleanupTimeoutSeconds?: number;
}

/** The object ids a sweep deletes, by kind, with how each was found. */
interface Targets {
  hosts: Map<number, string>;
  networks: Map<number, string>;
  datastores: Map<number, string>;
  clusters: Map<number, string>;
  /** Found by tag only: the store records neither. */
  vnTemplates: Array<{ id: number; name: string }>;
  vmTemplates: Array<{ id: number; name: string }>;
  images: Array<{ id: number; name: string }>;
}

function isOwn(o: OneNamedObject, provisionId: string, clusterIds: Set<number>): boolean {
  if (o.provisionId !== undefined) return o.provisionId === provisionId;
  // Untagged: ours only when it sits in one of the provision's clusters.
  return o.clusterIds.some((id) => clusterIds.has(id));
}

/**
 * An untagged cluster with the plan's name is the provision's own when
 * everything in it is the provision's too (or a shared datastore the plan
 * only attached): deleting it then takes nothing of anyone else's.
 */
function isOwnCluster(c: OneNamedCluster, p: Provision, owned: Targets): boolean {
  if (c.provisionId !== undefined) return c.provisionId === p.id;
  const attached = new Set(p.plan.cluster.datastoreIds);
  return (
    c.hostIds.every((id) => owned.hosts.has(id)) &&
    c.networkIds.every((id) => owned.networks.has(id)) &&
    c.datastoreIds.every((id) => owned.datastores.has(id) || attached.has(id))
  );
}

async function findTargets(one: OpenNebulaPort, p: Provision, byName: boolean, effort: BestEffort): Promise<Targets> {
  const targets: Targets = {
    hosts: new Map(),
    networks: new Map(),
    datastores: new Map(),
    clusters: new Map(),
    vnTemplates: [],
    vmTemplates: [],
    images: [],
  };
  if (p.cluster) targets.clusters.set(p.cluster.oneId, `cluster ${p.cluster.name}`);
  for (const n of p.networks) targets.networks.set(n.oneId, `network ${n.name}`);
  for (const d of p.datastores) targets.datastores.set(d.oneId, `datastore ${d.name}`);
  const tagged = await effort.run(`OpenNebula objects tagged with ${p.id}`, () => one.findByProvision(p.id));
  if (tagged) {
    for (const h of tagged.hosts) targets.hosts.set(h.id, `host ${h.name}`);
    for (const n of tagged.networks) targets.networks.set(n.id, `network ${n.name}`);
    for (const d of tagged.datastores) targets.datastores.set(d.id, `datastore ${d.name}`);
    for (const c of tagged.clusters) targets.clusters.set(c.id, `cluster ${c.name}`);
    targets.vnTemplates.push(...tagged.vnTemplates);
    targets.vmTemplates.push(...tagged.vmTemplates);
    targets.images.push(...tagged.images);
  }
  if (!byName) return targets;
  const names = {
    clusters: [p.plan.cluster.name],
    // Hosts are registered under their address; plans of older registrations named them as the descriptor did.
    hosts: [...new Set([...p.hosts.map((h) => registrationName(h)), ...p.plan.hosts.map((h) => h.name)])],
    datastores: p.plan.datastores.map((d) => d.name),
    networks: p.plan.networks.filter((n) => !n.template).map((n) => n.name),
  };
  const found = await effort.run(`OpenNebula objects named by ${p.id}'s plan`, () => one.findByNames(names));
  if (!found) return targets;
  const clusterIds = new Set(targets.clusters.keys());
  // A cluster tagged with the provision (or recorded) anchors its untagged members.
  for (const c of found.clusters) if (c.provisionId === p.id) clusterIds.add(c.id);
  const adopt = (objects: OneNamedObject[], into: Map<number, string>, kind: string) => {
    for (const o of objects) if (isOwn(o, p.id, clusterIds)) into.set(o.id, `${kind} ${o.name}`);
  };
  // Untagged members of an untagged cluster of ours are adopted with it.
  for (const c of found.clusters) {
    if (c.provisionId !== undefined || clusterIds.has(c.id)) continue;
    const members = {
      ...targets,
      hosts: new Map(targets.hosts),
      networks: new Map(targets.networks),
      datastores: new Map(targets.datastores),
    };
    const inCluster = (objects: OneNamedObject[]) => objects.filter((o) => o.provisionId === undefined && o.clusterIds.includes(c.id));
    for (const h of inCluster(found.hosts)) members.hosts.set(h.id, `host ${h.name}`);
    for (const n of inCluster(found.networks)) members.networks.set(n.id, `network ${n.name}`);
    for (const d of inCluster(found.datastores)) members.datastores.set(d.id, `datastore ${d.name}`);
    if (isOwnCluster(c, p, members)) clusterIds.add(c.id);
  }
  for (const id of clusterIds) if (!targets.clusters.has(id)) targets.clusters.set(id, `cluster ${p.plan.cluster.name}`);
  adopt(found.hosts, targets.hosts, 'host');
  adopt(found.networks, targets.networks, 'network');
  adopt(found.datastores, targets.datastores, 'datastore');
  return targets;
}

/**
 * Deletes what the provision shares and whatever is still tagged with it —
 * OpenNebula hosts, vnets, datastores and cluster (reverse registration
 * order), then machines and addresses at the provider and the IPAMs (those
 * whose creation answer was lost never reached the store), then the provider
 * infrastructure. Each removal is tried even when another failed; failures
 * are collected in `effort`. Returns what remains recorded.
 */
export async function sweepProvision(deps: Deps, p: Provision, effort: BestEffort, options: SweepOptions = {}): Promise<SweepResult> {
  const one = await effort.run('OpenNebula front-end', () => deps.openNebula(p));
  const gone = { networks: new Set<number>(), datastores: new Set<number>(), clusters: new Set<number>() };
  if (one) {
    const targets = await findTargets(one, p, options.byName === true, effort);
    for (const [id, what] of targets.hosts) {
      await effort.run(`OpenNebula ${what} (${id})`, () => one.deleteHost(id, { cleanup: options.byName === true }));
    }
    for (const [id, what] of targets.networks) {
      if ((await effort.run(`OpenNebula ${what} (${id})`, () => one.deleteNetwork(id).then(() => true))) === true) gone.networks.add(id);
    }
    for (const t of targets.vnTemplates) await effort.run(`OpenNebula VN template ${t.name} (${t.id})`, () => one.deleteVnTemplate(t.id));
    for (const t of targets.vmTemplates) await effort.run(`OpenNebula VM template ${t.name} (${t.id})`, () => one.deleteVmTemplate(t.id));
    await deleteImages(one, p, [...targets.datastores.keys()], targets.images, options, effort);
    for (const [id, what] of targets.datastores) {
      if ((await effort.run(`OpenNebula ${what} (${id})`, () => one.deleteDatastore(id).then(() => true))) === true) {
        gone.datastores.add(id);
      }
    }
    for (const [id, what] of targets.clusters) {
      if ((await effort.run(`OpenNebula ${what} (${id})`, () => one.deleteCluster(id).then(() => true))) === true) gone.clusters.add(id);
    }
  }
  const infrastructureRemoved = await sweepProvider(deps, p, effort);
  return {
    ...(p.cluster && !gone.clusters.has(p.cluster.oneId) ? { cluster: p.cluster } : {}),
    datastores: p.datastores.filter((d) => !gone.datastores.has(d.oneId)),
    networks: p.networks.filter((n) => !gone.networks.has(n.oneId)),
    infrastructureRemoved,
  };
}

/**
 * The images in the provision's datastores (and those tagged with it): deleted
 * with cleanup, each waited for up to the cleanup timeout; without cleanup
 * their presence is the failure, before any datastore is touched.
 */
async function deleteImages(
  one: OpenNebulaPort,
  p: Provision,
  datastoreIds: number[],
  tagged: ReadonlyArray<{ id: number; name: string }>,
  options: SweepOptions,
  effort: BestEffort,
): Promise<void> {
  const inDatastores = await effort.run(`images in the datastores of ${p.id}`, () => one.imagesIn(datastoreIds));
  const images = [...new Map([...(inDatastores ?? []), ...tagged].map((i) => [i.id, i])).values()];
  if (images.length === 0) return;
  if (options.cleanup === false) {
    await effort.run(`images ${images.map((i) => i.id).join(', ')}`, async () => {
      throw new ImagesPresentError(
        `images ${images.map((i) => i.id).join(', ')} are in the datastores of provision ${p.id}; delete with cleanup to delete them`,
      );
    });
    return;
  }
  const limit = options.cleanupTimeoutSeconds ?? DEFAULT_CLEANUP_TIMEOUT_SECONDS;
  for (const image of images) {
    await effort.run(`OpenNebula image ${image.name} (${image.id})`, async () => {
      if (!(await one.deleteImage(image.id, { timeoutMs: limit * 1000 }))) {
        throw new CleanupTimeoutError(`image ${image.id} of provision ${p.id} was still not deleted after ${limit} s (cleanup timeout)`);
      }
    });
  }
}

async function sweepProvider(deps: Deps, p: Provision, effort: BestEffort): Promise<boolean> {
  const provider = await effort.run(`provider ${p.plan.provider.name}`, () => providerFor(deps, p));
  if (provider) {
    const leftovers = await effort.run(`machines tagged with ${p.id} at ${provider.name}`, () => provider.list(p.id));
    if (leftovers?.length) {
      await effort.run(`machines ${leftovers.map((m) => m.providerId).join(', ')} at ${provider.name}`, () =>
        provider.release(leftovers.map((m) => m.providerId)),
      );
    }
  }
  const ipamNames = new Set(p.plan.networks.filter((n) => n.role === 'public').map((n) => n.ipam ?? p.plan.provider.name));
  for (const name of ipamNames) {
    const ipam = await effort.run(`IPAM ${name}`, () => deps.ipams.create({ ...p.plan.provider, name }, deps.secrets));
    if (!ipam) continue;
    const leases = await effort.run(`addresses of ${p.id} at IPAM ${name}`, () => ipam.list(p.id));
    for (const lease of leases ?? []) await effort.run(`address ${lease.address} at IPAM ${name}`, () => ipam.release(lease));
  }
  if (!p.infrastructure) return true;
  if (!provider) return false;
  const infrastructure = p.infrastructure;
  return (
    (await effort.run(`provider infrastructure of ${p.id}`, () => provider.removeInfrastructure(p.id, infrastructure).then(() => true))) ===
    true
  );
}
