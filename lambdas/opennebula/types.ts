import type { OneVnetState } from '../provisioning/ports/opennebula';

/** A template attribute value as oned returns it: text, a vector, or repeats of either. */
export type OneTemplateValue = string | Record<string, string> | Array<string | Record<string, string>>;

/** An object's `TEMPLATE`, attribute names as oned upper-cased them. */
export type OneTemplate = Record<string, OneTemplateValue>;

/** `one.cluster.info`. */
export interface OneCluster {
  id: number;
  name: string;
  hostIds: number[];
  datastoreIds: number[];
  vnetIds: number[];
  template: OneTemplate;
}

/** Host `STATE` names by number (host.xsd). */
export const HOST_STATE_NAMES = [
  'INIT',
  'MONITORING_MONITORED',
  'MONITORED',
  'ERROR',
  'DISABLED',
  'MONITORING_ERROR',
  'MONITORING_INIT',
  'MONITORING_DISABLED',
  'OFFLINE',
] as const;

/** `one.host.info`. */
export interface OneHost {
  id: number;
  name: string;
  state: number;
  /** `HOST_STATE_NAMES[state]`, or `UNKNOWN(<n>)`. */
  stateName: string;
  imMad: string;
  vmMad: string;
  clusterId: number;
  clusterName: string;
  /** VMs holding capacity on the host; `one.host.delete` refuses while this is > 0. */
  runningVms: number;
  vmIds: number[];
  template: OneTemplate;
  /** `TEMPLATE/ERROR`: why monitoring failed (set in ERROR state). */
  error?: string;
}

/** Datastore `TYPE` names by number. */
export const DATASTORE_TYPE_NAMES = ['IMAGE_DS', 'SYSTEM_DS', 'FILE_DS', 'BACKUP_DS'] as const;

/** `one.datastore.info`. */
export interface OneDatastore {
  id: number;
  name: string;
  type: number;
  typeName: string;
  dsMad: string;
  tmMad: string;
  /** 0 READY, 1 DISABLED. */
  state: number;
  clusterIds: number[];
  imageIds: number[];
  template: OneTemplate;
}

/** Vnet `STATE` names by number. */
export const VNET_STATE_NAMES: readonly OneVnetState[] = ['INIT', 'READY', 'LOCK_CREATE', 'LOCK_DELETE', 'DONE', 'ERROR', 'UPDATE_FAILURE'];

/** One address range of a vnet (`AR_POOL/AR`). */
/** One address of a range in use (`AR/LEASES/LEASE`). */
export interface OneLease {
  ip?: string;
  mac?: string;
  /** The VM holding it (a virtual router or reservation holds others). */
  vmId?: number;
}

export interface OneAddressRange {
  arId: number;
  type: string;
  ip?: string;
  /** Only in `one.vn.info` (computed form). */
  ipEnd?: string;
  mac?: string;
  size: number;
  /** Only in `one.vn.info`; 0 when absent. */
  usedLeases: number;
  /** Only in `one.vn.info`: the addresses in use and who holds them. */
  leases: OneLease[];
  /** Every attribute of the range as returned, e.g. `IPAM_MAD`. */
  attributes: Record<string, string>;
}

/** `one.vn.info` / an entry of `one.vnpool.info`. */
export interface OneVnet {
  id: number;
  name: string;
  state: number;
  stateName: OneVnetState;
  clusterIds: number[];
  bridge: string;
  vnMad: string;
  usedLeases: number;
  template: OneTemplate;
  addressRanges: OneAddressRange[];
}

/** An entry of `one.vmpool.info` (short VM body). */
export interface OneVmSummary {
  id: number;
  name: string;
  /** 0 INIT … 3 ACTIVE … 6 DONE … 8 POWEROFF. */
  state: number;
  lcmState: number;
  /** Host of the last history record; undefined for a VM never deployed. */
  hostId: number | undefined;
  clusterId: number | undefined;
}

/** `one.vm.info`: the short form plus the NICs' leases. */
export interface OneVm extends OneVmSummary {
  nics: Array<{ networkId: number; ip?: string; mac?: string }>;
  template: OneTemplate;
}

/** `one.image.info` / an entry of `one.imagepool.info`. */
export interface OneImage {
  id: number;
  name: string;
  /** 1 READY, 2 USED, 4 LOCKED, 5 ERROR … (image.xsd). */
  state: number;
  datastoreId: number;
  runningVms: number;
  template: OneTemplate;
}

/** A VM template (`VMTEMPLATE`) or a virtual network template (`VNTEMPLATE`). */
export interface OneTemplateObject {
  id: number;
  name: string;
  template: OneTemplate;
}

/** VM `STATE` numbers used by teardown. */
export const VM_STATE = { INIT: 0, PENDING: 1, HOLD: 2, ACTIVE: 3, DONE: 6, POWEROFF: 8 } as const;
