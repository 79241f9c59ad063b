import { computedEnds } from './address-range';
import type { SimAddressRange, SimCluster, SimDatastore, SimHost, SimVm, SimVnet } from './state';
import type { SimTemplate, SimVector } from './template';

/*
 * XML bodies exactly as oned writes them: no declaration, no namespace, no
 * whitespace; fixed fields as text, driver-like fields and every template value
 * in CDATA; template attributes sorted by name (oned keeps a multimap).
 */

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const el = (name: string, value: string | number): string => `<${name}>${escape(String(value))}</${name}>`;
const cdata = (name: string, value: string | number): string => `<${name}><![CDATA[${String(value)}]]></${name}>`;
/** An optional driver field: `<X/>` when empty, CDATA otherwise. */
const cdataOrEmpty = (name: string, value: string): string => (value === '' ? `<${name}/>` : cdata(name, value));
const ids = (name: string, values: readonly number[]): string =>
  `<${name}>${[...values]
    .sort((a, b) => a - b)
    .map((id) => `<ID>${id}</ID>`)
    .join('')}</${name}>`;

const byName = <T extends [string, unknown]>(pairs: readonly T[]): T[] =>
  [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

function vectorXml(name: string, vector: SimVector): string {
  return `<${name}>${byName(vector)
    .map(([k, v]) => cdata(k, v))
    .join('')}</${name}>`;
}

/** `<TEMPLATE>` with sorted, CDATA-wrapped attributes. */
export function templateXml(template: SimTemplate, root = 'TEMPLATE'): string {
  const body = byName(template)
    .map(([name, value]) => (typeof value === 'string' ? cdata(name, value) : vectorXml(name, value)))
    .join('');
  return `<${root}>${body}</${root}>`;
}

const PERMISSIONS_DATASTORE = [1, 1, 0, 1, 0, 0, 0, 0, 0];
const PERMISSIONS_VNET = [1, 1, 0, 0, 0, 0, 0, 0, 0];
const PERMISSION_NAMES = ['OWNER_U', 'OWNER_M', 'OWNER_A', 'GROUP_U', 'GROUP_M', 'GROUP_A', 'OTHER_U', 'OTHER_M', 'OTHER_A'];

function permissions(bits: readonly number[]): string {
  return `<PERMISSIONS>${PERMISSION_NAMES.map((name, i) => el(name, bits[i] ?? 0)).join('')}</PERMISSIONS>`;
}

const OWNER = `${el('UID', 0)}${el('GID', 0)}${el('UNAME', 'oneadmin')}${el('GNAME', 'oneadmin')}`;

/** What a cluster body needs besides the cluster itself. */
export interface ClusterMembers {
  hostIds: number[];
  datastoreIds: number[];
  vnetIds: number[];
}

/** `<CLUSTER>` (info and pool are the same). */
export function clusterXml(cluster: SimCluster, members: ClusterMembers): string {
  return (
    `<CLUSTER>${el('ID', cluster.id)}${el('NAME', cluster.name)}` +
    `${ids('HOSTS', members.hostIds)}${ids('DATASTORES', members.datastoreIds)}${ids('VNETS', members.vnetIds)}` +
    `${templateXml(cluster.template)}</CLUSTER>`
  );
}

/** Capacity figures of a host: from the monitoring probe and from the VMs it holds. */
export interface HostUsage {
  clusterName: string;
  vmIds: number[];
  cpuUsage: number;
  memUsage: number;
}

/** The capacity a monitored simulated host reports (a dummy probe's figures). */
export const MONITORED_CAPACITY = { totalMem: 16777216, totalCpu: 800, freeDisk: 20480, maxDisk: 20480, usedDisk: 9720 };

/**
 * `<HOST>`. The pool form differs the way oned's does: `<MONITORING/>` stays
 * empty, and a never-monitored host has an empty `<DATASTORES>` (which
 * host.xsd rejects: OpenNebula's own gap, kept on purpose).
 */
export function hostXml(host: SimHost, usage: HostUsage, form: 'info' | 'pool', nowMs: number): string {
  const cap = host.monitored ? MONITORED_CAPACITY : { totalMem: 0, totalCpu: 0, freeDisk: 0, maxDisk: 0, usedDisk: 0 };
  const datastores =
    form === 'pool' && !host.monitored
      ? '<DATASTORES></DATASTORES>'
      : `<DATASTORES>${cdata('DISK_USAGE', 0)}${cdata('FREE_DISK', cap.freeDisk)}${cdata('MAX_DISK', cap.maxDisk)}${cdata('USED_DISK', cap.usedDisk)}</DATASTORES>`;
  const share =
    `<HOST_SHARE>${el('MEM_USAGE', usage.memUsage)}${el('CPU_USAGE', usage.cpuUsage)}` +
    `${el('TOTAL_MEM', cap.totalMem)}${el('TOTAL_CPU', cap.totalCpu)}${el('MAX_MEM', cap.totalMem)}${el('MAX_CPU', cap.totalCpu)}` +
    `${el('RUNNING_VMS', usage.vmIds.length)}${el('VMS_THREAD', 1)}${datastores}` +
    `<PCI_DEVICES></PCI_DEVICES><NUMA_NODES></NUMA_NODES></HOST_SHARE>`;
  const monitoring =
    form === 'info' && host.monitored
      ? `<MONITORING>${el('TIMESTAMP', Math.floor((host.lastMonitorTime ?? nowMs) / 1000))}${el('ID', host.id)}` +
        `<CAPACITY>${cdata('FREE_CPU', cap.totalCpu - usage.cpuUsage)}${cdata('FREE_MEMORY', cap.totalMem - usage.memUsage)}` +
        `${cdata('USED_CPU', usage.cpuUsage)}${cdata('USED_MEMORY', usage.memUsage)}</CAPACITY>` +
        `<SYSTEM>${cdata('NETRX', 0)}${cdata('NETTX', 0)}</SYSTEM></MONITORING>`
      : '<MONITORING/>';
  return (
    `<HOST>${el('ID', host.id)}${el('NAME', host.name)}${el('STATE', host.state)}${el('PREV_STATE', host.prevState)}` +
    `${cdata('IM_MAD', host.imMad)}${cdata('VM_MAD', host.vmMad)}${el('CLUSTER_ID', host.clusterId)}${el('CLUSTER', usage.clusterName)}` +
    `${share}${ids('VMS', usage.vmIds)}${templateXml(host.template)}${monitoring}</HOST>`
  );
}

/** `<DATASTORE>` (info and pool are the same). */
export function datastoreXml(ds: SimDatastore, diskType: number): string {
  return (
    `<DATASTORE>${el('ID', ds.id)}${OWNER}${el('NAME', ds.name)}${permissions(PERMISSIONS_DATASTORE)}` +
    `${cdata('DS_MAD', ds.dsMad)}${cdata('TM_MAD', ds.tmMad)}${cdata('BASE_PATH', ds.basePath)}` +
    `${el('TYPE', ds.type)}${el('DISK_TYPE', diskType)}${el('STATE', 0)}${ids('CLUSTERS', ds.clusterIds)}` +
    `${el('TOTAL_MB', 0)}${el('FREE_MB', 0)}${el('USED_MB', 0)}${ids('IMAGES', ds.imageIds)}` +
    `${templateXml(ds.template)}</DATASTORE>`
  );
}

/** An address of a range held by a VM. */
export interface SimLease {
  arId: number;
  ip: string;
  mac: string;
  vmId: number;
}

function rangeXml(range: SimAddressRange, form: 'info' | 'pool', leases: readonly SimLease[]): string {
  const stored = byName([['AR_ID', String(range.arId)] as [string, string], ...range.attributes])
    .map(([k, v]) => cdata(k, v))
    .join('');
  if (form === 'pool') return `<AR>${stored}</AR>`;
  const ends = computedEnds(range)
    .map(([k, v]) => cdata(k, v))
    .join('');
  const mine = leases.filter((l) => l.arId === range.arId);
  const leaseXml = mine.map((l) => `<LEASE>${cdata('IP', l.ip)}${cdata('MAC', l.mac)}${el('VM', l.vmId)}</LEASE>`).join('');
  return `<AR>${stored}${ends}${el('USED_LEASES', mine.length)}${mine.length ? `<LEASES>${leaseXml}</LEASES>` : '<LEASES/>'}</AR>`;
}

/** `<VNET>`: `one.vn.info` computes each range's ends and leases, the pool shows the stored form. */
export function vnetXml(vnet: SimVnet, form: 'info' | 'pool', leases: readonly SimLease[] = []): string {
  return (
    `<VNET>${el('ID', vnet.id)}${OWNER}${el('NAME', vnet.name)}${permissions(PERMISSIONS_VNET)}` +
    `${ids('CLUSTERS', vnet.clusterIds)}${cdata('BRIDGE', vnet.bridge)}${cdata('BRIDGE_TYPE', vnet.bridgeType)}` +
    `${cdata('STATE', vnet.state)}${cdata('PREV_STATE', vnet.prevState)}<PARENT_NETWORK_ID/><TEMPLATE_ID/>` +
    `${cdata('VN_MAD', vnet.vnMad)}${cdataOrEmpty('PHYDEV', vnet.phydev)}${cdataOrEmpty('VLAN_ID', vnet.vlanId)}` +
    `${cdataOrEmpty('OUTER_VLAN_ID', vnet.outerVlanId)}${el('VLAN_ID_AUTOMATIC', vnet.vlanIdAutomatic ? 1 : 0)}` +
    `${el('OUTER_VLAN_ID_AUTOMATIC', vnet.outerVlanIdAutomatic ? 1 : 0)}${el('USED_LEASES', vnet.usedLeases + leases.length)}` +
    `<VROUTERS></VROUTERS><UPDATED_VMS></UPDATED_VMS><OUTDATED_VMS></OUTDATED_VMS><UPDATING_VMS></UPDATING_VMS><ERROR_VMS></ERROR_VMS>` +
    `${templateXml(vnet.template)}<AR_POOL>${vnet.addressRanges.map((ar) => rangeXml(ar, form, leases)).join('')}</AR_POOL></VNET>`
  );
}

/** The short `<VM>` body of `one.vmpool.info`, with the last history record. */
export function vmShortXml(vm: SimVm): string {
  const history =
    vm.hostId === undefined
      ? '<HISTORY_RECORDS></HISTORY_RECORDS>'
      : `<HISTORY_RECORDS><HISTORY>${el('OID', vm.id)}${el('SEQ', 0)}${el('HOSTNAME', vm.hostName ?? '')}` +
        `${el('HID', vm.hostId)}${el('CID', vm.clusterId ?? 0)}${el('DS_ID', 0)}${cdata('VM_MAD', vm.vmMad ?? 'kvm')}` +
        `${cdata('TM_MAD', 'ssh')}${el('ACTION', 0)}</HISTORY></HISTORY_RECORDS>`;
  return (
    `<VM>${el('ID', vm.id)}${OWNER}${el('NAME', vm.name)}${el('LAST_POLL', 0)}${el('STATE', vm.state)}` +
    `${el('LCM_STATE', vm.lcmState)}${el('RESCHED', vm.resched ? 1 : 0)}${el('STIME', vm.stime)}${el('ETIME', vm.etime)}` +
    `${el('DEPLOY_ID', vm.hostId === undefined ? '' : `one-${vm.id}`)}` +
    `<TEMPLATE>${cdata('CPU', vm.cpu)}${cdata('MEMORY', vm.memory)}</TEMPLATE><MONITORING/><USER_TEMPLATE/>${history}</VM>`
  );
}

/** Wraps bodies in their pool element; an empty pool is `<X></X>`. */
export function poolXml(root: string, bodies: readonly string[]): string {
  return `<${root}>${bodies.join('')}</${root}>`;
}
