import { computedEnds } from './address-range';
import { MONITORED_CAPACITY, PROBE_NUMA, PROBE_PCI_DEVICES } from './dummy-probe';
import type { SimAddressRange, SimCluster, SimDatastore, SimHost, SimLease, SimVnet } from './state';
import type { SimTemplate, SimVector } from './template';

/*
 * XML bodies exactly as oned writes them: no declaration, no namespace, no
 * whitespace; fixed fields as text, driver-like fields and every template value
 * in CDATA; template attributes sorted by name (oned keeps a multimap).
 */

export const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const el = (name: string, value: string | number): string => `<${name}>${escape(String(value))}</${name}>`;
export const cdata = (name: string, value: string | number): string => `<${name}><![CDATA[${String(value)}]]></${name}>`;
/** An optional driver field: `<X/>` when empty, CDATA otherwise. */
const cdataOrEmpty = (name: string, value: string): string => (value === '' ? `<${name}/>` : cdata(name, value));
export const ids = (name: string, values: readonly number[]): string =>
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
/** umask 177: what oneadmin's own objects get (vnets, VMs, images, templates). */
export const PERMISSIONS_OWNER = [1, 1, 0, 0, 0, 0, 0, 0, 0];
const PERMISSION_NAMES = ['OWNER_U', 'OWNER_M', 'OWNER_A', 'GROUP_U', 'GROUP_M', 'GROUP_A', 'OTHER_U', 'OTHER_M', 'OTHER_A'];

export function permissions(bits: readonly number[]): string {
  return `<PERMISSIONS>${PERMISSION_NAMES.map((name, i) => el(name, bits[i] ?? 0)).join('')}</PERMISSIONS>`;
}

export const OWNER = `${el('UID', 0)}${el('GID', 0)}${el('UNAME', 'oneadmin')}${el('GNAME', 'oneadmin')}`;

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

function pciXml(): string {
  return `<PCI_DEVICES>${PROBE_PCI_DEVICES.map((device) => `<PCI>${device.map(([k, v]) => cdata(k, v)).join('')}</PCI>`).join('')}</PCI_DEVICES>`;
}

/** The probe's NUMA nodes: eight cores each, two hugepage sizes, half the memory. */
function numaXml(): string {
  const { nodes, coresPerNode, threadStride, hugepageSizes, hugepages, nodeMemory } = PROBE_NUMA;
  const out: string[] = [];
  for (let node = 0; node < nodes; node += 1) {
    const cores = Array.from({ length: coresPerNode }, (_, i) => {
      const core = node * coresPerNode + i;
      const cpus = [0, 1, 2, 3].map((t) => `${core + t * threadStride}:-1`).join(',');
      return `<CORE>${cdata('CPUS', cpus)}${cdata('DEDICATED', 'NO')}${cdata('FREE', 4)}${cdata('ID', core)}</CORE>`;
    }).join('');
    const pages = hugepageSizes
      .map((size) => `<HUGEPAGE>${cdata('PAGES', hugepages)}${cdata('SIZE', size)}${cdata('USAGE', 0)}</HUGEPAGE>`)
      .join('');
    const distance = Array.from({ length: nodes }, (_, i) => (i + node) % nodes).join(' ');
    const memory = `<MEMORY>${cdata('DISTANCE', distance)}${cdata('TOTAL', nodeMemory)}${cdata('USAGE', 0)}</MEMORY>`;
    out.push(`<NODE>${cores}${pages}${memory}${cdata('NODE_ID', node)}</NODE>`);
  }
  return `<NUMA_NODES>${out.join('')}</NUMA_NODES>`;
}

/** `MONITORING/NUMA_NODE`: free hugepages and memory per node. */
function monitoringNumaXml(usedMemory: number): string {
  const { nodes, hugepageSizes, hugepages, nodeMemory } = PROBE_NUMA;
  return Array.from({ length: nodes }, (_, node) => {
    const pages = hugepageSizes.map((size) => `<HUGEPAGE>${cdata('FREE', hugepages)}${cdata('SIZE', size)}</HUGEPAGE>`).join('');
    const used = Math.floor(usedMemory / nodes);
    return `<NUMA_NODE>${pages}<MEMORY>${cdata('FREE', Number(nodeMemory) - used)}${cdata('USED', used)}</MEMORY>${cdata('NODE_ID', node)}</NUMA_NODE>`;
  }).join('');
}

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
    `${host.monitored ? `${pciXml()}${numaXml()}` : '<PCI_DEVICES></PCI_DEVICES><NUMA_NODES></NUMA_NODES>'}</HOST_SHARE>`;
  const monitoring =
    form === 'info' && host.monitored
      ? `<MONITORING>${el('TIMESTAMP', Math.floor((host.lastMonitorTime ?? nowMs) / 1000))}${el('ID', host.id)}` +
        `<CAPACITY>${cdata('FREE_CPU', cap.totalCpu - usage.cpuUsage)}${cdata('FREE_MEMORY', cap.totalMem - usage.memUsage)}` +
        `${cdata('USED_CPU', usage.cpuUsage)}${cdata('USED_MEMORY', usage.memUsage)}</CAPACITY>` +
        `<SYSTEM>${cdata('NETRX', 0)}${cdata('NETTX', 0)}</SYSTEM>${monitoringNumaXml(usage.memUsage)}</MONITORING>`
      : '<MONITORING/>';
  return (
    `<HOST>${el('ID', host.id)}${el('NAME', host.name)}${el('STATE', host.state)}${el('PREV_STATE', host.prevState)}` +
    `${cdata('IM_MAD', host.imMad)}${cdata('VM_MAD', host.vmMad)}${el('CLUSTER_ID', host.clusterId)}${el('CLUSTER', usage.clusterName)}` +
    `${share}${ids('VMS', usage.vmIds)}${templateXml(host.template)}${monitoring}</HOST>`
  );
}

/** `<DATASTORE>` (info and pool are the same). */
export function datastoreXml(ds: SimDatastore, diskType: number, imageIds: readonly number[]): string {
  return (
    `<DATASTORE>${el('ID', ds.id)}${OWNER}${el('NAME', ds.name)}${permissions(PERMISSIONS_DATASTORE)}` +
    `${cdata('DS_MAD', ds.dsMad)}${cdata('TM_MAD', ds.tmMad)}${cdata('BASE_PATH', ds.basePath)}` +
    `${el('TYPE', ds.type)}${el('DISK_TYPE', diskType)}${el('STATE', 0)}${ids('CLUSTERS', ds.clusterIds)}` +
    `${el('TOTAL_MB', 0)}${el('FREE_MB', 0)}${el('USED_MB', 0)}${ids('IMAGES', imageIds)}` +
    `${templateXml(ds.template)}</DATASTORE>`
  );
}

function leaseXml(lease: SimLease): string {
  return `<LEASE>${lease.ip === undefined ? '' : cdata('IP', lease.ip)}${cdata('MAC', lease.mac)}${cdata('VM', lease.vmId)}</LEASE>`;
}

function rangeXml(range: SimAddressRange, form: 'info' | 'pool', leases: readonly SimLease[]): string {
  const nextIndex = leases.length === 0 ? undefined : String(Math.max(...leases.map((l) => l.index)) + 1);
  const attributes = range.attributes.map(([k, v]): [string, string] => [k, k === 'NEXT_INDEX' && nextIndex !== undefined ? nextIndex : v]);
  const stored = byName([['AR_ID', String(range.arId)] as [string, string], ...attributes])
    .map(([k, v]) => cdata(k, v))
    .join('');
  if (form === 'pool') return `<AR>${stored}</AR>`;
  const ends = computedEnds(range)
    .map(([k, v]) => cdata(k, v))
    .join('');
  const list = leases.length === 0 ? '<LEASES/>' : `<LEASES>${leases.map(leaseXml).join('')}</LEASES>`;
  return `<AR>${stored}${ends}${el('USED_LEASES', leases.length)}${list}</AR>`;
}

/** `<VNET>`: `one.vn.info` computes each range's ends and leases, the pool shows the stored form. */
export function vnetXml(vnet: SimVnet, form: 'info' | 'pool', seeded: readonly SimLease[] = []): string {
  const leases = [...(vnet.leases ?? []), ...seeded];
  return (
    `<VNET>${el('ID', vnet.id)}${OWNER}${el('NAME', vnet.name)}${permissions(PERMISSIONS_OWNER)}` +
    `${ids('CLUSTERS', vnet.clusterIds)}${cdata('BRIDGE', vnet.bridge)}${cdata('BRIDGE_TYPE', vnet.bridgeType)}` +
    `${cdata('STATE', vnet.state)}${cdata('PREV_STATE', vnet.prevState)}<PARENT_NETWORK_ID/><TEMPLATE_ID/>` +
    `${cdata('VN_MAD', vnet.vnMad)}${cdataOrEmpty('PHYDEV', vnet.phydev)}${cdataOrEmpty('VLAN_ID', vnet.vlanId)}` +
    `${cdataOrEmpty('OUTER_VLAN_ID', vnet.outerVlanId)}${el('VLAN_ID_AUTOMATIC', vnet.vlanIdAutomatic ? 1 : 0)}` +
    `${el('OUTER_VLAN_ID_AUTOMATIC', vnet.outerVlanIdAutomatic ? 1 : 0)}${el('USED_LEASES', vnet.usedLeases + seeded.length)}` +
    `<VROUTERS></VROUTERS>${ids('UPDATED_VMS', [...new Set(leases.map((l) => l.vmId))])}<OUTDATED_VMS></OUTDATED_VMS><UPDATING_VMS></UPDATING_VMS><ERROR_VMS></ERROR_VMS>` +
    `${templateXml(vnet.template)}<AR_POOL>${vnet.addressRanges
      .map((ar) =>
        rangeXml(
          ar,
          form,
          leases.filter((l) => l.arId === ar.arId),
        ),
      )
      .join('')}</AR_POOL></VNET>`
  );
}

/** Wraps bodies in their pool element; an empty pool is `<X></X>`. */
export function poolXml(root: string, bodies: readonly string[]): string {
  return `<${root}>${bodies.join('')}</${root}>`;
}
