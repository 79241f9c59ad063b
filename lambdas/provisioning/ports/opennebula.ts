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

/** Every OpenNebula object tagged with a provision id (`PROVISION_ID` in its template). */
export interface OneProvisionObjects {
  clusters: Array<{ id: number; name: string }>;
  datastores: Array<{ id: number; name: string }>;
  networks: Array<{ id: number; name: string }>;
  hosts: Array<{ id: number; name: string }>;
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
  ensureCluster(spec: { name: string; provisionId: string; attributes: Attributes }): Promise<number>;
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
  ensureHost(spec: {
    name: string;
    provisionId: string;
    imMad: string;
    vmMad: string;
    clusterId: number;
    attributes: Attributes;
  }): Promise<number>;
  /** Host monitoring state name (INIT, MONITORED, ERROR, DISABLED, OFFLINE...). */
  hostState(hostId: number): Promise<string>;
  /** Enable / disable / offline, as `one.host.status`. */
  setHostStatus(hostId: number, status: 'enabled' | 'disabled' | 'offline'): Promise<void>;
  /** VMs that are not DONE running on any of the given hosts. */
  vmsOnHosts(hostIds: number[]): Promise<OneVm[]>;
  terminateVm(vmId: number): Promise<void>;
  /**
   * Deletes a host. Refused with `VmsRunningError` while it holds VMs, unless
   * `cleanup`: then its VMs are terminated (hard) and waited for first.
   */
  deleteHost(hostId: number, options?: { cleanup?: boolean }): Promise<void>;
  /** Deletes a vnet and waits until oned has removed it (vnet removal is asynchronous). */
  deleteNetwork(networkId: number): Promise<void>;
  deleteDatastore(datastoreId: number): Promise<void>;
  deleteCluster(clusterId: number): Promise<void>;
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
