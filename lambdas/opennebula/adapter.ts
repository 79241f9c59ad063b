import type { AddressRangePlan, Attributes } from '../provisioning/plan';
import { VmsRunningError } from '../shared/errors';
import type { OpenNebulaClient } from './client';
import {
  OneActionError,
  OneAllocateError,
  OneInternalError,
  OneNameConflictError,
  OneNoExistsError,
  OneWaitTimeoutError,
  nameTakenBy,
} from './errors';
import { templateString } from './parse';
import type {
  HostProvisionInfo,
  OneHostMonitoring,
  OneNamedCluster,
  OneNamedObject,
  OneObjectNames,
  OneProvisionObjects,
  OneVm,
  OneVnetState,
  OpenNebulaPort,
} from '../provisioning/ports/opennebula';
import { attributeEntries, renderTemplate, type TemplateEntry, type TemplateVector } from './template';
import type { OneHost, OneTemplate, OneVnet } from './types';
import { pollUntil, type PollOptions } from './wait';

/** The template attribute that ties an OpenNebula object to its provision. */
export const PROVISION_TAG = 'PROVISION_ID';

/** Polling of asynchronous transitions (VM termination, vnet removal). */
export interface OpenNebulaAdapterOptions {
  /** Pause between polls; 1 s when unset. */
  pollIntervalMs?: number;
  /** Give up (with the transient `OneWaitTimeoutError`) after this long; 5 min when unset. */
  waitTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Attribute names the adapter sets itself; plan attributes cannot override them. */
const RESERVED_ATTRIBUTES = new Set(['NAME', 'TYPE', 'VN_MAD', 'AR', PROVISION_TAG, 'PROVISION', 'ONEFORM']);

function userEntries(attributes: Attributes): TemplateEntry[] {
  return attributeEntries(attributes).filter(([name]) => !RESERVED_ATTRIBUTES.has(name.toUpperCase()));
}

function tagOf(template: OneTemplate): string | undefined {
  return templateString(template, PROVISION_TAG);
}

function addressRangeVector(range: AddressRangePlan): TemplateVector {
  const vector: Record<string, string> = { TYPE: range.type };
  if (range.ip !== undefined) vector.IP = range.ip;
  vector.SIZE = String(range.size);
  for (const [key, value] of Object.entries(range.attributes)) {
    if (!(key.toUpperCase() in vector)) vector[key] = value;
  }
  return vector;
}

/**
 * The ID of the object whose name an allocate collided with: from the message
 * when it names it (every oned version does), else found by name in the pool.
 */
async function takenId(err: unknown, findByName: () => Promise<Array<{ id: number; name: string }>>, name: string) {
  const taken = nameTakenBy(err);
  if (taken) return taken.id;
  if ((err instanceof OneAllocateError || err instanceof OneInternalError) && /already taken/.test(err.message)) {
    return (await findByName()).find((object) => object.name === name)?.id;
  }
  return undefined;
}

async function ignoreMissing(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof OneNoExistsError)) throw err;
  }
}

/**
 * `OpenNebulaPort` over the XML-RPC client.
 *
 * Idempotency: every object is created with `PROVISION_ID` in its template. A
 * retried `ensure*` whose allocate fails with "NAME is already taken" looks at
 * the existing object: tagged with this provision → reused; tagged with another
 * → `OneNameConflictError`. Clusters and hosts get their tag by a second call
 * (their allocate takes no template), so an untagged one is adopted when it
 * looks like our own half-done allocate: a cluster with nothing in it, a host
 * in the wanted cluster without VMs.
 */
export class OpenNebulaAdapter implements OpenNebulaPort {
  private readonly poll: PollOptions;

  constructor(
    readonly client: OpenNebulaClient,
    options: OpenNebulaAdapterOptions = {},
  ) {
    this.poll = {
      intervalMs: options.pollIntervalMs ?? 1000,
      timeoutMs: options.waitTimeoutMs ?? 300_000,
      sleep: options.sleep,
    };
  }

  async version(): Promise<string> {
    return this.client.system.version();
  }

  async ensureCluster(spec: { name: string; provisionId: string }): Promise<number> {
    try {
      return await this.client.cluster.allocate(spec.name);
    } catch (err) {
      const taken = await takenId(err, () => this.client.clusterPool.info(), spec.name);
      if (taken === undefined) throw err;
      const cluster = await this.client.cluster.info(taken);
      const empty = cluster.hostIds.length + cluster.datastoreIds.length + cluster.vnetIds.length === 0;
      this.checkOwner('cluster', cluster.name, cluster.id, tagOf(cluster.template), spec.provisionId, empty);
      return cluster.id;
    }
  }

  async tagCluster(clusterId: number, spec: { provisionId: string; attributes: Attributes }): Promise<void> {
    await this.client.cluster.update(
      clusterId,
      renderTemplate([...userEntries(spec.attributes), [PROVISION_TAG, spec.provisionId]]),
      'merge',
    );
  }

  async ensureDatastore(spec: {
    name: string;
    provisionId: string;
    type: 'image_ds' | 'system_ds' | 'file_ds';
    attributes: Attributes;
    clusterId: number;
  }): Promise<number> {
    const template = renderTemplate([
      ['NAME', spec.name],
      ['TYPE', spec.type.toUpperCase()],
      ...userEntries(spec.attributes),
      [PROVISION_TAG, spec.provisionId],
    ]);
    try {
      return await this.client.datastore.allocate(template, spec.clusterId);
    } catch (err) {
      const taken = await takenId(err, () => this.client.datastorePool.info(), spec.name);
      if (taken === undefined) throw err;
      const ds = await this.client.datastore.info(taken);
      this.checkOwner('datastore', ds.name, ds.id, tagOf(ds.template), spec.provisionId, false);
      if (!ds.clusterIds.includes(spec.clusterId)) await this.client.cluster.addDatastore(spec.clusterId, ds.id);
      return ds.id;
    }
  }

  async addDatastoreToCluster(clusterId: number, datastoreId: number): Promise<void> {
    await this.client.cluster.addDatastore(clusterId, datastoreId);
  }

  async ensureNetwork(spec: {
    name: string;
    provisionId: string;
    vnMad: string;
    attributes: Attributes;
    addressRanges: AddressRangePlan[];
    clusterId: number;
  }): Promise<number> {
    const template = renderTemplate([
      ['NAME', spec.name],
      ['VN_MAD', spec.vnMad],
      ...userEntries(spec.attributes),
      [PROVISION_TAG, spec.provisionId],
      ...spec.addressRanges.map((range): TemplateEntry => ['AR', addressRangeVector(range)]),
    ]);
    try {
      return await this.client.vn.allocate(template, spec.clusterId);
    } catch (err) {
      const taken = await takenId(err, () => this.client.vnPool.info(), spec.name);
      if (taken === undefined) throw err;
      const vnet = await this.client.vn.info(taken);
      this.checkOwner('virtual network', vnet.name, vnet.id, tagOf(vnet.template), spec.provisionId, false);
      if (!vnet.clusterIds.includes(spec.clusterId)) await this.client.cluster.addVnet(spec.clusterId, vnet.id);
      return vnet.id;
    }
  }

  async networkState(networkId: number): Promise<OneVnetState> {
    return (await this.client.vn.info(networkId)).stateName;
  }

  async addAddressRange(networkId: number, range: AddressRangePlan): Promise<number> {
    const existing = findRange(await this.client.vn.info(networkId), range);
    if (existing !== undefined) return existing;
    await this.client.vn.addAr(networkId, renderTemplate([['AR', addressRangeVector(range)]]));
    const vnet = await this.client.vn.info(networkId);
    const added = findRange(vnet, range) ?? Math.max(...vnet.addressRanges.map((ar) => ar.arId));
    return added;
  }

  async removeAddressRange(networkId: number, arId: number): Promise<void> {
    try {
      await this.client.vn.rmAr(networkId, arId);
    } catch (err) {
      if (err instanceof OneNoExistsError) return;
      if (err instanceof OneInternalError && /Address Range does not exist/.test(err.message)) return;
      throw err;
    }
  }

  async ensureHost(spec: { name: string; provisionId: string; imMad: string; vmMad: string; clusterId: number }): Promise<number> {
    try {
      return await this.client.host.allocate(spec.name, spec.imMad, spec.vmMad, spec.clusterId);
    } catch (err) {
      const taken = await takenId(err, () => this.client.hostPool.info(), spec.name);
      if (taken === undefined) throw err;
      const host = await this.client.host.info(taken);
      const fresh = host.clusterId === spec.clusterId && host.vmIds.length === 0;
      this.checkOwner('host', host.name, host.id, tagOf(host.template), spec.provisionId, fresh);
      if (host.clusterId !== spec.clusterId) await this.client.cluster.addHost(spec.clusterId, host.id);
      return host.id;
    }
  }

  async tagHost(hostId: number, spec: { provisionId: string; attributes: Attributes; provision: HostProvisionInfo }): Promise<void> {
    const { deployId, hostname, driver, index } = spec.provision;
    const template = renderTemplate([
      ...userEntries(spec.attributes),
      [PROVISION_TAG, spec.provisionId],
      // 6.10's oneprovision: the elastic driver finds the provision by PROVISION/ID, the machine by DEPLOY_ID.
      ['PROVISION', { ID: spec.provisionId, DEPLOY_ID: deployId, HOSTNAME: hostname, INDEX: String(index) }],
      // 7.x OneForm: the elastic driver reads ONEFORM/PROVISION_ID and ONEFORM/RESOURCE_ID.
      ['ONEFORM', { PROVISION_ID: spec.provisionId, RESOURCE_ID: deployId, DRIVER: driver }],
    ]);
    await this.client.host.update(hostId, template, 'merge');
  }

  async hostState(hostId: number): Promise<string> {
    return (await this.client.host.info(hostId)).stateName;
  }

  async hostMonitoring(hostId: number): Promise<OneHostMonitoring> {
    const host = await this.client.host.info(hostId);
    return { state: host.stateName, ...(host.error ? { error: host.error } : {}) };
  }

  async setHostStatus(hostId: number, status: 'enabled' | 'disabled' | 'offline'): Promise<void> {
    await this.client.host.status(hostId, status);
  }

  async vmsOnHosts(hostIds: number[]): Promise<OneVm[]> {
    const vms = await this.client.vmPool.onHosts(hostIds);
    return vms.map((vm) => ({ id: vm.id, name: vm.name, hostId: vm.hostId, state: vm.state, lcmState: vm.lcmState }));
  }

  async terminateVm(vmId: number): Promise<void> {
    await ignoreMissing(() => this.client.vm.action('terminate-hard', vmId));
  }

  async vmAction(vmId: number, action: 'poweroff-hard' | 'resume' | 'resched'): Promise<void> {
    await ignoreMissing(() => this.client.vm.action(action, vmId));
  }

  async addressLeases(networkId: number): Promise<Array<{ arId: number; address: string; vmId: number }>> {
    const vnet = await this.client.vn.info(networkId);
    return vnet.addressRanges.flatMap((ar) =>
      ar.leases
        .filter((lease) => lease.ip !== undefined && lease.vmId !== undefined)
        .map((lease) => ({ arId: ar.arId, address: lease.ip as string, vmId: lease.vmId as number })),
    );
  }

  /**
   * Deletes the host. A host holding VMs is refused with `VmsRunningError`
   * unless `cleanup`, which terminates its VMs (hard) and waits until the host
   * holds none before deleting it. A missing host counts as deleted.
   */
  async deleteHost(hostId: number, options: { cleanup?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const cleanup = options.cleanup === true;
    const terminated = new Set<number>();
    const poll = options.timeoutMs === undefined ? this.poll : { ...this.poll, timeoutMs: options.timeoutMs };
    await pollUntil(
      `host ${hostId} removal`,
      async () => {
        const host = await this.hostOrUndefined(hostId);
        if (!host) return true;
        if (host.vmIds.length > 0) {
          if (!cleanup) throw vmsRunning(host);
          // Once is enough: a VM already shutting down may refuse a second terminate.
          const fresh = host.vmIds.filter((vmId) => !terminated.has(vmId));
          for (const vmId of fresh) if (await this.terminateOrWait(vmId)) terminated.add(vmId);
          return false;
        }
        try {
          await this.client.host.delete(hostId);
          return true;
        } catch (err) {
          if (err instanceof OneNoExistsError) return true;
          if (!(err instanceof OneActionError)) throw err;
          // A VM was deployed between our look and the delete.
          if (!cleanup) throw vmsRunning((await this.hostOrUndefined(hostId)) ?? host);
          return false;
        }
      },
      poll,
    );
  }

  /**
   * Terminates a VM (hard); true once oned accepted it. A VM between states
   * terminate cannot interrupt (PROLOG, BOOT, a migration) is refused as in
   * the wrong state: false, so it is asked again on the next poll.
   */
  private async terminateOrWait(vmId: number): Promise<boolean> {
    try {
      await this.terminateVm(vmId);
      return true;
    } catch (err) {
      if (err instanceof OneActionError && /wrong state/i.test(err.message)) return false;
      throw err;
    }
  }

  /**
   * Deletes the vnet and waits until it is gone (oned removes it only when its
   * driver answers). A vnet still being created is waited for first, since
   * oned refuses to delete it in LOCK_CREATE. Leases in use are refused.
   */
  async deleteNetwork(networkId: number): Promise<void> {
    let deleteSent = false;
    await pollUntil(
      `virtual network ${networkId} removal`,
      async () => {
        const vnet = await this.vnetOrUndefined(networkId);
        if (!vnet) return true;
        if (vnet.stateName === 'LOCK_CREATE' || vnet.stateName === 'LOCK_DELETE') return false;
        if (deleteSent && vnet.stateName === 'DONE') return false;
        try {
          await this.client.vn.delete(networkId);
          deleteSent = true;
        } catch (err) {
          if (err instanceof OneNoExistsError) return true;
          if (!(err instanceof OneActionError && /wrong state/i.test(err.message))) throw err;
        }
        return (await this.vnetOrUndefined(networkId)) === undefined;
      },
      this.poll,
    );
  }

  async deleteDatastore(datastoreId: number): Promise<void> {
    await ignoreMissing(() => this.client.datastore.delete(datastoreId));
  }

  /**
   * Deletes the cluster; a missing one counts as deleted. Datastores and vnets
   * still in it are shared ones the provision only attached (e.g. datastore 1),
   * so they are detached, not deleted. A vnet of the cluster still being
   * removed (LOCK_DELETE) is waited for. Hosts still in it make oned refuse.
   */
  async deleteCluster(clusterId: number): Promise<void> {
    await pollUntil(
      `cluster ${clusterId} removal`,
      async () => {
        let cluster;
        try {
          cluster = await this.client.cluster.info(clusterId);
        } catch (err) {
          if (err instanceof OneNoExistsError) return true;
          throw err;
        }
        for (const datastoreId of cluster.datastoreIds) {
          await ignoreMissing(() => this.client.cluster.delDatastore(clusterId, datastoreId));
        }
        let removing = false;
        for (const vnetId of cluster.vnetIds) {
          const vnet = await this.vnetOrUndefined(vnetId);
          if (vnet?.stateName === 'LOCK_DELETE') removing = true;
          else if (vnet) await ignoreMissing(() => this.client.cluster.delVnet(clusterId, vnetId));
        }
        if (removing) return false;
        await ignoreMissing(() => this.client.cluster.delete(clusterId));
        return true;
      },
      this.poll,
    );
  }

  async ensureVnTemplate(spec: { name: string; provisionId: string; vnMad: string; attributes: Attributes }): Promise<number> {
    const template = renderTemplate([
      ['NAME', spec.name],
      ['VN_MAD', spec.vnMad],
      ...userEntries(spec.attributes),
      [PROVISION_TAG, spec.provisionId],
    ]);
    try {
      return await this.client.vntemplate.allocate(template);
    } catch (err) {
      const taken = await takenId(err, () => this.client.vntemplatePool.info(), spec.name);
      if (taken === undefined) throw err;
      const existing = await this.client.vntemplate.info(taken);
      this.checkOwner('virtual network template', existing.name, existing.id, tagOf(existing.template), spec.provisionId, false);
      return existing.id;
    }
  }

  async deleteVnTemplate(id: number): Promise<void> {
    await ignoreMissing(() => this.client.vntemplate.delete(id));
  }

  async deleteVmTemplate(id: number): Promise<void> {
    await ignoreMissing(() => this.client.template.delete(id, false));
  }

  async imagesIn(datastoreIds: number[]): Promise<Array<{ id: number; name: string; datastoreId: number }>> {
    if (datastoreIds.length === 0) return [];
    const wanted = new Set(datastoreIds);
    const images = await this.client.imagePool.info();
    return images.filter((i) => wanted.has(i.datastoreId)).map((i) => ({ id: i.id, name: i.name, datastoreId: i.datastoreId }));
  }

  async deleteImage(id: number, options: { timeoutMs?: number } = {}): Promise<boolean> {
    let sent = false;
    const gone = pollUntil(
      `image ${id} removal`,
      async () => {
        if (!sent) {
          try {
            await this.client.image.delete(id);
          } catch (err) {
            if (err instanceof OneNoExistsError) return true;
            // Still being copied (LOCKED): asked again on the next poll.
            if (!(err instanceof OneActionError)) throw err;
            return false;
          }
          sent = true;
        }
        try {
          await this.client.image.info(id);
          return false;
        } catch (err) {
          if (err instanceof OneNoExistsError) return true;
          throw err;
        }
      },
      options.timeoutMs === undefined ? this.poll : { ...this.poll, timeoutMs: options.timeoutMs },
    );
    try {
      await gone;
      return true;
    } catch (err) {
      if (err instanceof OneWaitTimeoutError) return false;
      throw err;
    }
  }

  /** Merges attributes into the object's template; the provision tag cannot be changed this way. */
  async updateTemplate(kind: 'cluster' | 'datastore' | 'network' | 'host', id: number, attributes: Attributes): Promise<void> {
    const template = renderTemplate(attributeEntries(attributes).filter(([name]) => name.toUpperCase() !== PROVISION_TAG));
    const update = {
      cluster: this.client.cluster.update,
      datastore: this.client.datastore.update,
      network: this.client.vn.update,
      host: this.client.host.update,
    }[kind];
    await update(id, template, 'merge');
  }

  async findByProvision(provisionId: string): Promise<OneProvisionObjects> {
    const [clusters, datastores, vnets, hosts, vnTemplates, vmTemplates, images] = await Promise.all([
      this.client.clusterPool.info(),
      this.client.datastorePool.info(),
      this.client.vnPool.info(),
      this.client.hostPool.info(),
      this.client.vntemplatePool.info(),
      this.client.templatePool.info(),
      this.client.imagePool.info(),
    ]);
    const mine = <T extends { id: number; name: string; template: OneTemplate }>(objects: T[]) =>
      objects
        .filter((object) => tagOf(object.template) === provisionId)
        .map((object) => ({ id: object.id, name: object.name }))
        .sort((a, b) => a.id - b.id);
    const myDatastores = mine(datastores);
    const inMyDatastores = new Set(myDatastores.map((d) => d.id));
    return {
      clusters: mine(clusters),
      datastores: myDatastores,
      networks: mine(vnets),
      hosts: mine(hosts),
      vnTemplates: mine(vnTemplates),
      vmTemplates: mine(vmTemplates),
      images: images
        .filter((i) => inMyDatastores.has(i.datastoreId) || tagOf(i.template) === provisionId)
        .map((i) => ({ id: i.id, name: i.name, datastoreId: i.datastoreId }))
        .sort((a, b) => a.id - b.id),
    };
  }

  async findByNames(names: OneObjectNames): Promise<{
    clusters: OneNamedCluster[];
    datastores: OneNamedObject[];
    networks: OneNamedObject[];
    hosts: OneNamedObject[];
  }> {
    const [clusters, datastores, vnets, hosts] = await Promise.all([
      names.clusters.length ? this.client.clusterPool.info() : [],
      names.datastores.length ? this.client.datastorePool.info() : [],
      names.networks.length ? this.client.vnPool.info() : [],
      names.hosts.length ? this.client.hostPool.info() : [],
    ]);
    const named = <T extends { name: string }>(objects: T[], wanted: string[]) => objects.filter((o) => wanted.includes(o.name));
    const base = (o: { id: number; name: string; template: OneTemplate }, clusterIds: number[]): OneNamedObject => {
      const tag = tagOf(o.template);
      return { id: o.id, name: o.name, clusterIds, ...(tag !== undefined ? { provisionId: tag } : {}) };
    };
    return {
      clusters: named(clusters, names.clusters).map((c) => ({
        ...base(c, [c.id]),
        hostIds: c.hostIds,
        datastoreIds: c.datastoreIds,
        networkIds: c.vnetIds,
      })),
      datastores: named(datastores, names.datastores).map((d) => base(d, d.clusterIds)),
      networks: named(vnets, names.networks).map((n) => base(n, n.clusterIds)),
      hosts: named(hosts, names.hosts).map((h) => base(h, [h.clusterId])),
    };
  }

  /** Closes idle connections to oned. */
  close(): void {
    this.client.close();
  }

  private checkOwner(kind: string, name: string, id: number, tag: string | undefined, provisionId: string, adoptable: boolean): void {
    if (tag === provisionId) return;
    if (tag === undefined && adoptable) return;
    const owner = tag === undefined ? 'not tagged with a provision' : `tagged with provision ${tag}`;
    throw new OneNameConflictError(`OpenNebula ${kind} "${name}" (${id}) already exists and is ${owner}`);
  }

  private async hostOrUndefined(hostId: number): Promise<OneHost | undefined> {
    try {
      return await this.client.host.info(hostId);
    } catch (err) {
      if (err instanceof OneNoExistsError) return undefined;
      throw err;
    }
  }

  private async vnetOrUndefined(vnetId: number): Promise<OneVnet | undefined> {
    try {
      return await this.client.vn.info(vnetId);
    } catch (err) {
      if (err instanceof OneNoExistsError) return undefined;
      throw err;
    }
  }
}

function findRange(vnet: OneVnet, range: AddressRangePlan): number | undefined {
  if (range.ip === undefined) return undefined;
  return vnet.addressRanges.find((ar) => ar.ip === range.ip)?.arId;
}

function vmsRunning(host: OneHost): VmsRunningError {
  return new VmsRunningError(`Host ${host.name} (${host.id}) runs VMs ${host.vmIds.join(', ')}; delete with cleanup to terminate them`);
}
