import type { AddressRangePlan, Attributes } from '../plan';

/** OpenNebula virtual network states (`STATE` in VNET XML). */
export type OneVnetState = 'INIT' | 'READY' | 'LOCK_CREATE' | 'LOCK_DELETE' | 'DONE' | 'ERROR' | 'UPDATE_FAILURE';

/** A VM as far as teardown cares. */
export interface OneVm {
  id: number;
  name: string;
  hostId: number | undefined;
  state: number;
  lcmState: number;
}

/**
 * Every OpenNebula object of a provision: tagged with its id (`PROVISION_ID`
 * in the template), and the images held in its datastores.
 */
export interface OneProvisionObjects {
  clusters: Array<{ id: number; name: string }>;
  datastores: Array<{ id: number; name: string }>;
  networks: Array<{ id: number; name: string }>;
  hosts: Array<{ id: number; name: string }>;
  /** VN templates (`one.vntemplate`), the private networks users instantiate. */
  vnTemplates: Array<{ id: number; name: string }>;
  /** VM templates tagged with the provision. */
  vmTemplates: Array<{ id: number; name: string }>;
  /** Images tagged with the provision or stored in one of its datastores. */
  images: Array<{ id: number; name: string; datastoreId: number }>;
}

/** How OpenNebula's provision tools describe a host of a provision (6.10 `PROVISION`, 7.x `ONEFORM`). */
export interface HostProvisionInfo {
  /** The provider's id of the machine (`PROVISION/DEPLOY_ID`, `ONEFORM/RESOURCE_ID`). */
  deployId: string;
  /** The descriptor's name of the host (`PROVISION/HOSTNAME`). */
  hostname: string;
  /** Provider driver name (`ONEFORM/DRIVER`). */
  driver: string;
  index: number;
}

/** A host's monitoring as oned reports it. */
export interface OneHostMonitoring {
  /** INIT, MONITORED, ERROR, DISABLED, OFFLINE... */
  state: string;
  /** oned's `ERROR` message when monitoring failed. */
  error?: string;
}

/** An object found by name, with what tells whether it is a provision's own. */
export interface OneNamedObject {
  id: number;
  name: string;
  /** Its `PROVISION_ID` tag, when it has one. */
  provisionId?: string;
  /** Clusters it is in (a host is in one). */
  clusterIds: number[];
}

/** A cluster found by name, with its members. */
export interface OneNamedCluster extends OneNamedObject {
  hostIds: number[];
  datastoreIds: number[];
  networkIds: number[];
}

/** Names of the objects a provision creates, by kind. */
export interface OneObjectNames {
  clusters: string[];
  datastores: string[];
  networks: string[];
  hosts: string[];
}

/**
 * What the provisioning use cases need from OpenNebula. Every `ensure*` is
 * idempotent: an object with that name already tagged with the provision id is
 * reused; every `delete*` of a missing object succeeds.
 */
export interface OpenNebulaPort {
  version(): Promise<string>;
  /**
   * Allocates the cluster, or adopts one of that name already tagged with
   * the provision (or untagged and empty: our own allocate whose tagging was
   * lost). Does not tag it: record the id first, then `tagCluster`, so a
   * cluster is findable from the moment it exists.
   */
  ensureCluster(spec: { name: string; provisionId: string }): Promise<number>;
  /** Merges the attributes and the provision tag into the cluster's template. */
  tagCluster(clusterId: number, spec: { provisionId: string; attributes: Attributes }): Promise<void>;
  ensureDatastore(spec: {
    name: string;
    provisionId: string;
    type: 'image_ds' | 'system_ds' | 'file_ds';
    attributes: Attributes;
    clusterId: number;
  }): Promise<number>;
  /** Adds pre-existing datastores (e.g. 0, 1, 2) to the cluster. */
  addDatastoreToCluster(clusterId: number, datastoreId: number): Promise<void>;
  ensureNetwork(spec: {
    name: string;
    provisionId: string;
    vnMad: string;
    attributes: Attributes;
    addressRanges: AddressRangePlan[];
    clusterId: number;
  }): Promise<number>;
  networkState(networkId: number): Promise<OneVnetState>;
  /** Adds a size-1 address range for a public IP; returns the AR id (idempotent by IP). */
  addAddressRange(networkId: number, range: AddressRangePlan): Promise<number>;
  removeAddressRange(networkId: number, arId: number): Promise<void>;
  /**
   * Allocates the host under `name` (the address the front-end reaches it by),
   * or adopts one of that name tagged with the provision (or untagged, in the
   * cluster and without VMs). Does not tag it: record the id, then `tagHost`.
   */
  ensureHost(spec: { name: string; provisionId: string; imMad: string; vmMad: string; clusterId: number }): Promise<number>;
  /**
   * Merges the attributes, the provision tag and the attributes OpenNebula's
   * provision tools set (`PROVISION=[ID,DEPLOY_ID,HOSTNAME]` as 6.10's
   * oneprovision, `ONEFORM=[PROVISION_ID,RESOURCE_ID,DRIVER]` as 7.x OneForm,
   * which its elastic network driver reads) into the host's template.
   */
  tagHost(hostId: number, spec: { provisionId: string; attributes: Attributes; provision: HostProvisionInfo }): Promise<void>;
  /** Host monitoring state name (INIT, MONITORED, ERROR, DISABLED, OFFLINE...). */
  hostState(hostId: number): Promise<string>;
  /** Monitoring state and, in ERROR, oned's message. */
  hostMonitoring(hostId: number): Promise<OneHostMonitoring>;
  /** Enable / disable / offline, as `one.host.status`. */
  setHostStatus(hostId: number, status: 'enabled' | 'disabled' | 'offline'): Promise<void>;
  /** VMs that are not DONE running on any of the given hosts. */
  vmsOnHosts(hostIds: number[]): Promise<OneVm[]>;
  terminateVm(vmId: number): Promise<void>;
  /**
   * `one.vm.action`: `poweroff-hard` and `resume` pause and resume a host's
   * VMs around a forced host action; `resched` asks the scheduler to move a
   * VM off a draining host. A missing VM counts as done.
   */
  vmAction(vmId: number, action: 'poweroff-hard' | 'resume' | 'resched'): Promise<void>;
  /** Addresses of the vnet's ranges leased to VMs (`one.vn.info` AR leases). */
  addressLeases(networkId: number): Promise<Array<{ arId: number; address: string; vmId: number }>>;
  /**
   * Deletes a host. Refused with `VmsRunningError` while it holds VMs, unless
   * `cleanup`: then its VMs are terminated (hard) and waited for first, up to
   * `timeoutMs`.
   */
  deleteHost(hostId: number, options?: { cleanup?: boolean; timeoutMs?: number }): Promise<void>;
  /** Deletes a vnet and waits until oned has removed it (vnet removal is asynchronous). */
  deleteNetwork(networkId: number): Promise<void>;
  deleteDatastore(datastoreId: number): Promise<void>;
  deleteCluster(clusterId: number): Promise<void>;
  /** A VN template in oneprovision terms: kept in OpenNebula for users to instantiate. Found by name and tag. */
  ensureVnTemplate(spec: { name: string; provisionId: string; vnMad: string; attributes: Attributes }): Promise<number>;
  deleteVnTemplate(id: number): Promise<void>;
  deleteVmTemplate(id: number): Promise<void>;
  /** Images stored in these datastores (a datastore holding one refuses to be deleted). */
  imagesIn(datastoreIds: number[]): Promise<Array<{ id: number; name: string; datastoreId: number }>>;
  /**
   * Deletes an image and waits until oned has dropped it (its datastore
   * driver removes the files first): true once gone, false if it is still
   * there after `timeoutMs`.
   */
  deleteImage(id: number, options?: { timeoutMs?: number }): Promise<boolean>;
  /**
   * Merges attributes into an object's template (`one.<kind>.update` with
   * merge), used to fill `${updates.*}` values once hosts reported their facts.
   */
  updateTemplate(kind: 'cluster' | 'datastore' | 'network' | 'host', id: number, attributes: Attributes): Promise<void>;
  /** For audits and compensation after lost state. */
  findByProvision(provisionId: string): Promise<OneProvisionObjects>;
  /**
   * Objects with these names, tagged or not: what a forced teardown needs to
   * find an object whose tag never arrived (created, then the tagging call failed).
   */
  findByNames(names: OneObjectNames): Promise<{
    clusters: OneNamedCluster[];
    datastores: OneNamedObject[];
    networks: OneNamedObject[];
    hosts: OneNamedObject[];
  }>;
}
