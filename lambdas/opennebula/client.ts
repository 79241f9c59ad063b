import type { XmlRpcValue } from './xmlrpc';
import { OneXmlRpcFaultError, oneErrorFromFailure } from './errors';
import {
  parseCluster,
  parseClusterPool,
  parseDatastore,
  parseDatastorePool,
  parseHost,
  parseHostPool,
  parseImage,
  parseImagePool,
  parseVm,
  parseVmPool,
  parseVmTemplatePool,
  parseVnTemplate,
  parseVnTemplatePool,
  parseVnet,
  parseVnetPool,
} from './parse';
import { XmlRpcTransport, type OneTlsOptions } from './transport';
import type { OneCluster, OneDatastore, OneHost, OneImage, OneTemplateObject, OneVm, OneVmSummary, OneVnet } from './types';

/** How to reach and authenticate with oned. */
export interface OpenNebulaClientOptions {
  /** `http(s)://frontend:2633` (or the full `…/RPC2` URL). */
  endpoint: string;
  user: string;
  password: string;
  /** Upper bound for one call; 30 s when unset. */
  timeoutMs?: number;
  tls?: OneTlsOptions;
}

/** `one.host.status` codes (not the host STATE numbers). */
export const HOST_STATUS = { enabled: 0, disabled: 1, offline: 2 } as const;

/** `one.*.update` modes. */
export const UPDATE_MODE = { replace: 0, merge: 1 } as const;

/** Pool filter flags of `one.vnpool.info` / `one.vmpool.info`. */
export const POOL_FILTER = { all: -2, mine: -3, mineAndGroups: -1 } as const;

/** `one.vmpool.info` state filter: every state but DONE. */
export const VM_STATE_ANY_BUT_DONE = -1;

/**
 * Typed wrappers for the OpenNebula XML-RPC calls the provisioner uses. Each
 * returns the success value (index 1 of oned's answer) parsed into a typed
 * object, or throws the named error of the failure code (see `errors.ts`).
 */
export class OpenNebulaClient {
  private readonly transport: XmlRpcTransport;
  private readonly session: string;

  constructor(options: OpenNebulaClientOptions) {
    this.transport = new XmlRpcTransport({
      endpoint: options.endpoint,
      timeoutMs: options.timeoutMs ?? 30_000,
      tls: options.tls,
    });
    this.session = `${options.user}:${options.password}`;
  }

  /** The endpoint URL without credentials. */
  get endpoint(): string {
    return this.transport.endpoint;
  }

  /** Closes idle connections (the client stays usable). */
  close(): void {
    this.transport.close();
  }

  /**
   * Calls any method with the session prepended; returns index 1 of a success
   * answer. For calls without a typed wrapper.
   */
  async call(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue> {
    const answer = await this.transport.call(method, [this.session, ...params]);
    if (!Array.isArray(answer) || typeof answer[0] !== 'boolean') {
      throw new OneXmlRpcFaultError(`[${method}] answer is not an OpenNebula result array`, 0);
    }
    if (answer[0]) return answer[1];
    const message = typeof answer[1] === 'string' ? answer[1] : `[${method}] failed`;
    const code = typeof answer[2] === 'number' ? answer[2] : 0;
    const respId = typeof answer[3] === 'number' ? answer[3] : -1;
    throw oneErrorFromFailure({ method, code, respId }, message);
  }

  private async callInt(method: string, ...params: XmlRpcValue[]): Promise<number> {
    const value = await this.call(method, ...params);
    if (typeof value !== 'number') throw new OneXmlRpcFaultError(`[${method}] expected an integer result`, 0);
    return value;
  }

  private async callXml(method: string, ...params: XmlRpcValue[]): Promise<string> {
    const value = await this.call(method, ...params);
    if (typeof value !== 'string') throw new OneXmlRpcFaultError(`[${method}] expected an XML string result`, 0);
    return value;
  }

  readonly system = {
    /** `one.system.version`: oned's version, e.g. `7.0.2`. */
    version: async (): Promise<string> => String(await this.call('one.system.version')),
  };

  readonly cluster = {
    /** `one.cluster.allocate`: the new cluster ID (≥ 100). */
    allocate: (name: string): Promise<number> => this.callInt('one.cluster.allocate', name),
    delete: (id: number): Promise<number> => this.callInt('one.cluster.delete', id),
    info: async (id: number): Promise<OneCluster> => parseCluster(await this.callXml('one.cluster.info', id)),
    /** `one.cluster.update`: replace or merge the cluster template. */
    update: (id: number, template: string, mode: keyof typeof UPDATE_MODE = 'merge'): Promise<number> =>
      this.callInt('one.cluster.update', id, template, UPDATE_MODE[mode]),
    /** Moves the host into the cluster (a host is in exactly one cluster). */
    addHost: (clusterId: number, hostId: number): Promise<number> => this.callInt('one.cluster.addhost', clusterId, hostId),
    /** Moves the host back to the default cluster 0. */
    delHost: (clusterId: number, hostId: number): Promise<number> => this.callInt('one.cluster.delhost', clusterId, hostId),
    addDatastore: (clusterId: number, datastoreId: number): Promise<number> =>
      this.callInt('one.cluster.adddatastore', clusterId, datastoreId),
    /** Removes the datastore from the cluster (it may stay in no cluster). */
    delDatastore: (clusterId: number, datastoreId: number): Promise<number> =>
      this.callInt('one.cluster.deldatastore', clusterId, datastoreId),
    addVnet: (clusterId: number, vnetId: number): Promise<number> => this.callInt('one.cluster.addvnet', clusterId, vnetId),
    delVnet: (clusterId: number, vnetId: number): Promise<number> => this.callInt('one.cluster.delvnet', clusterId, vnetId),
  };

  readonly clusterPool = {
    info: async (): Promise<OneCluster[]> => parseClusterPool(await this.callXml('one.clusterpool.info')),
  };

  readonly datastore = {
    /** `one.datastore.allocate`: template string, cluster (-1 = default). */
    allocate: (template: string, clusterId: number): Promise<number> => this.callInt('one.datastore.allocate', template, clusterId),
    delete: (id: number): Promise<number> => this.callInt('one.datastore.delete', id),
    info: async (id: number): Promise<OneDatastore> => parseDatastore(await this.callXml('one.datastore.info', id)),
    update: (id: number, template: string, mode: keyof typeof UPDATE_MODE = 'merge'): Promise<number> =>
      this.callInt('one.datastore.update', id, template, UPDATE_MODE[mode]),
  };

  readonly datastorePool = {
    info: async (): Promise<OneDatastore[]> => parseDatastorePool(await this.callXml('one.datastorepool.info')),
  };

  readonly vn = {
    /** `one.vn.allocate`: returns at once; the vnet is LOCK_CREATE until its driver answers. */
    allocate: (template: string, clusterId: number): Promise<number> => this.callInt('one.vn.allocate', template, clusterId),
    delete: (id: number): Promise<number> => this.callInt('one.vn.delete', id),
    info: async (id: number): Promise<OneVnet> => parseVnet(await this.callXml('one.vn.info', id)),
    /** `one.vn.add_ar`: adds the first `AR` of the template; returns the vnet ID. */
    addAr: (id: number, template: string): Promise<number> => this.callInt('one.vn.add_ar', id, template),
    rmAr: (id: number, arId: number): Promise<number> => this.callInt('one.vn.rm_ar', id, arId),
    update: (id: number, template: string, mode: keyof typeof UPDATE_MODE = 'merge'): Promise<number> =>
      this.callInt('one.vn.update', id, template, UPDATE_MODE[mode]),
  };

  readonly vnPool = {
    /** `one.vnpool.info` over the whole pool by default. Address ranges come in raw form. */
    info: async (filter: number = POOL_FILTER.all, start = -1, end = -1): Promise<OneVnet[]> =>
      parseVnetPool(await this.callXml('one.vnpool.info', filter, start, end)),
  };

  readonly host = {
    /** `one.host.allocate(hostname, im_mad, vmm_mad, cluster)`. */
    allocate: (name: string, imMad: string, vmMad: string, clusterId: number): Promise<number> =>
      this.callInt('one.host.allocate', name, imMad, vmMad, clusterId),
    delete: (id: number): Promise<number> => this.callInt('one.host.delete', id),
    info: async (id: number): Promise<OneHost> => parseHost(await this.callXml('one.host.info', id)),
    /** `one.host.status`: enable, disable or set offline. */
    status: (id: number, status: keyof typeof HOST_STATUS): Promise<number> => this.callInt('one.host.status', id, HOST_STATUS[status]),
    update: (id: number, template: string, mode: keyof typeof UPDATE_MODE = 'merge'): Promise<number> =>
      this.callInt('one.host.update', id, template, UPDATE_MODE[mode]),
  };

  readonly hostPool = {
    info: async (): Promise<OneHost[]> => parseHostPool(await this.callXml('one.hostpool.info')),
  };

  readonly vm = {
    /** `one.vm.allocate(template, on_hold)`: a PENDING (or HOLD) VM; the scheduler or `deploy` places it. */
    allocate: (template: string, onHold = false): Promise<number> => this.callInt('one.vm.allocate', template, onHold),
    /** `one.vm.deploy(id, host, enforce, datastore)`: places a PENDING VM on a host (-1: the cluster's system datastore). */
    deploy: (id: number, hostId: number, enforce = false, datastoreId = -1): Promise<number> =>
      this.callInt('one.vm.deploy', id, hostId, enforce, datastoreId),
    /** `one.vm.action(action, id)`, e.g. `terminate-hard`. Asynchronous: poll the VM state. */
    action: (action: string, id: number): Promise<number> => this.callInt('one.vm.action', action, id),
    info: async (id: number): Promise<OneVm> => parseVm(await this.callXml('one.vm.info', id)),
  };

  readonly image = {
    /** `one.image.allocate(template, datastore, check_capacity)`. */
    allocate: (template: string, datastoreId: number, checkCapacity = false): Promise<number> =>
      this.callInt('one.image.allocate', template, datastoreId, checkCapacity),
    /** Asynchronous: the datastore driver removes the files, then oned drops the image. */
    delete: (id: number): Promise<number> => this.callInt('one.image.delete', id),
    info: async (id: number): Promise<OneImage> => parseImage(await this.callXml('one.image.info', id)),
  };

  readonly imagePool = {
    info: async (filter: number = POOL_FILTER.all, start = -1, end = -1): Promise<OneImage[]> =>
      parseImagePool(await this.callXml('one.imagepool.info', filter, start, end)),
  };

  /** VM templates (`one.template.*`). */
  readonly template = {
    allocate: (template: string): Promise<number> => this.callInt('one.template.allocate', template),
    /** Deletes the template; with `deleteImages`, the images its disks use too. */
    delete: (id: number, deleteImages = false): Promise<number> => this.callInt('one.template.delete', id, deleteImages),
  };

  readonly templatePool = {
    info: async (filter: number = POOL_FILTER.all, start = -1, end = -1): Promise<OneTemplateObject[]> =>
      parseVmTemplatePool(await this.callXml('one.templatepool.info', filter, start, end)),
  };

  /** Virtual network templates (`one.vntemplate.*`): instantiated by users into vnets. */
  readonly vntemplate = {
    allocate: (template: string): Promise<number> => this.callInt('one.vntemplate.allocate', template),
    delete: (id: number): Promise<number> => this.callInt('one.vntemplate.delete', id),
    info: async (id: number): Promise<OneTemplateObject> => parseVnTemplate(await this.callXml('one.vntemplate.info', id)),
    update: (id: number, template: string, mode: keyof typeof UPDATE_MODE = 'merge'): Promise<number> =>
      this.callInt('one.vntemplate.update', id, template, UPDATE_MODE[mode]),
  };

  readonly vntemplatePool = {
    info: async (filter: number = POOL_FILTER.all, start = -1, end = -1): Promise<OneTemplateObject[]> =>
      parseVnTemplatePool(await this.callXml('one.vntemplatepool.info', filter, start, end)),
  };

  readonly vmPool = {
    /** `one.vmpool.info(filter, start, end, state)`; by default every VM that is not DONE. */
    info: async (filter: number = POOL_FILTER.all, start = -1, end = -1, state: number = VM_STATE_ANY_BUT_DONE): Promise<OneVmSummary[]> =>
      parseVmPool(await this.callXml('one.vmpool.info', filter, start, end, state)),
    /** VMs whose last history record is on one of the hosts (the pool call cannot filter by host). */
    onHosts: async (hostIds: readonly number[], state: number = VM_STATE_ANY_BUT_DONE): Promise<OneVmSummary[]> => {
      const wanted = new Set(hostIds);
      const vms = await this.vmPool.info(POOL_FILTER.all, -1, -1, state);
      return vms.filter((vm) => vm.hostId !== undefined && wanted.has(vm.hostId));
    },
  };
}
