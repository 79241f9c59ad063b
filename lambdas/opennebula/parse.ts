import { XMLParser } from 'fast-xml-parser';
import { OneXmlRpcFaultError } from './errors';
import {
  DATASTORE_TYPE_NAMES,
  HOST_STATE_NAMES,
  VNET_STATE_NAMES,
  type OneAddressRange,
  type OneCluster,
  type OneDatastore,
  type OneHost,
  type OneImage,
  type OneLease,
  type OneTemplateObject,
  type OneVm,
  type OneTemplate,
  type OneTemplateValue,
  type OneVmSummary,
  type OneVnet,
} from './types';

/*
 * oned bodies have no attributes and no whitespace between elements; values
 * are plain text or CDATA. Values are kept as strings (no number guessing) and
 * untrimmed, since template values may carry meaningful spaces.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
});

type Node = Record<string, unknown>;

function parseRoot(xml: string, root: string): Node {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new OneXmlRpcFaultError(`OpenNebula answered malformed XML for <${root}>: ${(err as Error).message}`, 0);
  }
  const node = (doc as Node)[root];
  if (node === undefined) throw new OneXmlRpcFaultError(`OpenNebula answer has no <${root}> element`, 0);
  return node === '' ? {} : (node as Node);
}

function asArray<T>(value: T | T[] | undefined | ''): T[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function text(node: Node, key: string): string {
  const value = node[key];
  return typeof value === 'string' ? value : '';
}

function int(node: Node, key: string, fallback = 0): number {
  const value = Number.parseInt(text(node, key), 10);
  return Number.isNaN(value) ? fallback : value;
}

function ids(node: Node, key: string): number[] {
  const collection = node[key];
  if (typeof collection !== 'object' || collection === null) return [];
  return asArray((collection as Node).ID as string | string[] | undefined).map((id) => Number.parseInt(id, 10));
}

function stringRecord(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof node !== 'object' || node === null) return out;
  for (const [key, value] of Object.entries(node as Node)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function templateValue(value: unknown): OneTemplateValue {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : stringRecord(item)));
  return typeof value === 'string' ? value : stringRecord(value);
}

function template(node: Node, key = 'TEMPLATE'): OneTemplate {
  const raw = node[key];
  const out: OneTemplate = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [name, value] of Object.entries(raw as Node)) out[name] = templateValue(value);
  return out;
}

/** The first text value of a template attribute, if any. */
export function templateString(tmpl: OneTemplate, name: string): string | undefined {
  const value = tmpl[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.find((item): item is string => typeof item === 'string');
  return undefined;
}

function clusterFrom(node: Node): OneCluster {
  return {
    id: int(node, 'ID'),
    name: text(node, 'NAME'),
    hostIds: ids(node, 'HOSTS'),
    datastoreIds: ids(node, 'DATASTORES'),
    vnetIds: ids(node, 'VNETS'),
    template: template(node),
  };
}

function hostFrom(node: Node): OneHost {
  const state = int(node, 'STATE');
  const share = (node.HOST_SHARE ?? {}) as Node;
  const tmpl = template(node);
  const error = templateString(tmpl, 'ERROR');
  return {
    id: int(node, 'ID'),
    name: text(node, 'NAME'),
    state,
    stateName: HOST_STATE_NAMES[state] ?? `UNKNOWN(${state})`,
    imMad: text(node, 'IM_MAD'),
    vmMad: text(node, 'VM_MAD'),
    clusterId: int(node, 'CLUSTER_ID', -1),
    clusterName: text(node, 'CLUSTER'),
    runningVms: int(share, 'RUNNING_VMS'),
    vmIds: ids(node, 'VMS'),
    template: tmpl,
    ...(error ? { error } : {}),
  };
}

function datastoreFrom(node: Node): OneDatastore {
  const type = int(node, 'TYPE');
  return {
    id: int(node, 'ID'),
    name: text(node, 'NAME'),
    type,
    typeName: DATASTORE_TYPE_NAMES[type] ?? `UNKNOWN(${type})`,
    dsMad: text(node, 'DS_MAD'),
    tmMad: text(node, 'TM_MAD'),
    state: int(node, 'STATE'),
    clusterIds: ids(node, 'CLUSTERS'),
    imageIds: ids(node, 'IMAGES'),
    template: template(node),
  };
}

function addressRangeFrom(node: Node): OneAddressRange {
  const attributes = stringRecord(node);
  return {
    arId: int(node, 'AR_ID'),
    type: attributes.TYPE ?? '',
    ip: attributes.IP,
    ipEnd: attributes.IP_END,
    mac: attributes.MAC,
    size: int(node, 'SIZE'),
    usedLeases: int(node, 'USED_LEASES'),
    leases: leasesFrom(node.LEASES),
    attributes,
  };
}

/** `AR/LEASES/LEASE` of `one.vn.info`: who holds which address. */
function leasesFrom(value: unknown): OneLease[] {
  if (typeof value !== 'object' || value === null) return [];
  return asArray((value as Node).LEASE as Node | Node[] | undefined).map((lease) => {
    const vm = Number.parseInt(text(lease, 'VM'), 10);
    return {
      ...(text(lease, 'IP') ? { ip: text(lease, 'IP') } : {}),
      ...(text(lease, 'MAC') ? { mac: text(lease, 'MAC') } : {}),
      ...(Number.isNaN(vm) ? {} : { vmId: vm }),
    };
  });
}

function vnetFrom(node: Node): OneVnet {
  const state = int(node, 'STATE');
  const arPool = (typeof node.AR_POOL === 'object' && node.AR_POOL !== null ? node.AR_POOL : {}) as Node;
  return {
    id: int(node, 'ID'),
    name: text(node, 'NAME'),
    state,
    stateName: VNET_STATE_NAMES[state] ?? 'ERROR',
    clusterIds: ids(node, 'CLUSTERS'),
    bridge: text(node, 'BRIDGE'),
    vnMad: text(node, 'VN_MAD'),
    usedLeases: int(node, 'USED_LEASES'),
    template: template(node),
    addressRanges: asArray(arPool.AR as Node | Node[] | undefined).map(addressRangeFrom),
  };
}

function vmFrom(node: Node): OneVmSummary {
  const records = (typeof node.HISTORY_RECORDS === 'object' && node.HISTORY_RECORDS !== null ? node.HISTORY_RECORDS : {}) as Node;
  const last = asArray(records.HISTORY as Node | Node[] | undefined).at(-1);
  return {
    id: int(node, 'ID'),
    name: text(node, 'NAME'),
    state: int(node, 'STATE'),
    lcmState: int(node, 'LCM_STATE'),
    hostId: last ? int(last, 'HID') : undefined,
    clusterId: last ? int(last, 'CID') : undefined,
  };
}

function vmInfoFrom(node: Node): OneVm {
  const tmpl = template(node);
  const nics = tmpl.NIC === undefined ? [] : Array.isArray(tmpl.NIC) ? tmpl.NIC : [tmpl.NIC];
  return {
    ...vmFrom(node),
    template: tmpl,
    nics: nics
      .filter((nic): nic is Record<string, string> => typeof nic !== 'string')
      .map((nic) => ({ networkId: Number.parseInt(nic.NETWORK_ID ?? '-1', 10), ip: nic.IP, mac: nic.MAC })),
  };
}

function imageFrom(node: Node): OneImage {
  return {
    id: int(node, 'ID'),
    name: text(node, 'NAME'),
    state: int(node, 'STATE'),
    datastoreId: int(node, 'DATASTORE_ID', -1),
    runningVms: int(node, 'RUNNING_VMS'),
    template: template(node),
  };
}

function templateObjectFrom(node: Node): OneTemplateObject {
  return { id: int(node, 'ID'), name: text(node, 'NAME'), template: template(node) };
}

function pool<T>(xml: string, root: string, item: string, from: (node: Node) => T): T[] {
  return asArray(parseRoot(xml, root)[item] as Node | Node[] | undefined).map(from);
}

/** Parses `<CLUSTER>`. */
export const parseCluster = (xml: string): OneCluster => clusterFrom(parseRoot(xml, 'CLUSTER'));
/** Parses `<CLUSTER_POOL>`. */
export const parseClusterPool = (xml: string): OneCluster[] => pool(xml, 'CLUSTER_POOL', 'CLUSTER', clusterFrom);
/** Parses `<HOST>`. */
export const parseHost = (xml: string): OneHost => hostFrom(parseRoot(xml, 'HOST'));
/** Parses `<HOST_POOL>`. */
export const parseHostPool = (xml: string): OneHost[] => pool(xml, 'HOST_POOL', 'HOST', hostFrom);
/** Parses `<DATASTORE>`. */
export const parseDatastore = (xml: string): OneDatastore => datastoreFrom(parseRoot(xml, 'DATASTORE'));
/** Parses `<DATASTORE_POOL>`. */
export const parseDatastorePool = (xml: string): OneDatastore[] => pool(xml, 'DATASTORE_POOL', 'DATASTORE', datastoreFrom);
/** Parses `<VNET>`. */
export const parseVnet = (xml: string): OneVnet => vnetFrom(parseRoot(xml, 'VNET'));
/** Parses `<VNET_POOL>`. */
export const parseVnetPool = (xml: string): OneVnet[] => pool(xml, 'VNET_POOL', 'VNET', vnetFrom);
/** Parses `<VM_POOL>` (short bodies). */
export const parseVmPool = (xml: string): OneVmSummary[] => pool(xml, 'VM_POOL', 'VM', vmFrom);
/** Parses `<VM>` (`one.vm.info`). */
export const parseVm = (xml: string): OneVm => vmInfoFrom(parseRoot(xml, 'VM'));
/** Parses `<IMAGE>`. */
export const parseImage = (xml: string): OneImage => imageFrom(parseRoot(xml, 'IMAGE'));
/** Parses `<IMAGE_POOL>`. */
export const parseImagePool = (xml: string): OneImage[] => pool(xml, 'IMAGE_POOL', 'IMAGE', imageFrom);
/** Parses `<VMTEMPLATE_POOL>`. */
export const parseVmTemplatePool = (xml: string): OneTemplateObject[] => pool(xml, 'VMTEMPLATE_POOL', 'VMTEMPLATE', templateObjectFrom);
/** Parses `<VNTEMPLATE>`. */
export const parseVnTemplate = (xml: string): OneTemplateObject => templateObjectFrom(parseRoot(xml, 'VNTEMPLATE'));
/** Parses `<VNTEMPLATE_POOL>`. */
export const parseVnTemplatePool = (xml: string): OneTemplateObject[] => pool(xml, 'VNTEMPLATE_POOL', 'VNTEMPLATE', templateObjectFrom);
