import { addressAt } from './address-range';
import type { SimLease, SimVnet } from './state';
import { getAttr, type SimVector } from './template';

/** Vnet attributes oned copies into every NIC on it (`INHERIT_VNET_ATTR` of a stock oned.conf). */
const INHERIT_VNET_ATTR = [
  'VLAN_TAGGED_ID',
  'FILTER',
  'FILTER_IP_SPOOFING',
  'FILTER_MAC_SPOOFING',
  'MTU',
  'METRIC',
  'IP6_METRIC',
  'METHOD',
  'IP6_METHOD',
  'INBOUND_AVG_BW',
  'INBOUND_PEAK_BW',
  'INBOUND_PEAK_KB',
  'OUTBOUND_AVG_BW',
  'OUTBOUND_PEAK_BW',
  'OUTBOUND_PEAK_KB',
  'CONF',
  'BRIDGE_CONF',
  'OVS_BRIDGE_CONF',
  'IP_LINK_CONF',
  'EXTERNAL_IP',
  'AWS_ALLOCATION_ID',
  'VULTR_IP_ID',
  'GATEWAY',
  'DNS',
  'VXLAN_MODE',
  'VXLAN_TEP',
  'VXLAN_MC',
  'CVLANS',
  'QINQ_TYPE',
  'TRUST',
  'SPOOFCHK',
];

/** The first free address of the vnet's ranges, in range order; undefined when all are taken. */
export function leaseFor(vnet: SimVnet, vmId: number, pending: readonly SimLease[] = []): SimLease | undefined {
  const taken = [...(vnet.leases ?? []), ...pending];
  for (const range of vnet.addressRanges) {
    const used = new Set(taken.filter((l) => l.arId === range.arId).map((l) => l.index));
    for (let index = 0; ; index += 1) {
      if (used.has(index)) continue;
      const address = addressAt(range, index);
      if (!address) break;
      return { arId: range.arId, index, ...address, vmId };
    }
  }
  return undefined;
}

/** A NIC as oned stores it: the user's attributes, the lease, and what it inherits from the vnet and its range. */
export function nicAttributes(vnet: SimVnet, lease: SimLease, vmId: number, nicId: number, given: SimVector): SimVector {
  const nic = new Map<string, string>(given);
  const range = vnet.addressRanges.find((ar) => ar.arId === lease.arId);
  nic.set('AR_ID', String(lease.arId));
  nic.set('BRIDGE', vnet.bridge);
  nic.set('BRIDGE_TYPE', vnet.bridgeType);
  nic.set('CLUSTER_ID', vnet.clusterIds.join(','));
  if (lease.ip !== undefined) nic.set('IP', lease.ip);
  nic.set('MAC', lease.mac);
  nic.set('NAME', `NIC${nicId}`);
  nic.set('NETWORK', vnet.name);
  nic.set('NETWORK_ID', String(vnet.id));
  nic.set('NIC_ID', String(nicId));
  if (vnet.phydev !== '') nic.set('PHYDEV', vnet.phydev);
  nic.set('SECURITY_GROUPS', getAttr(vnet.template, 'SECURITY_GROUPS') ?? '0');
  nic.set('TARGET', `one-${vmId}-${nicId}`);
  if (vnet.vlanId !== '') nic.set('VLAN_ID', vnet.vlanId);
  nic.set('VN_MAD', vnet.vnMad);
  for (const name of INHERIT_VNET_ATTR) {
    const fromRange = range?.attributes.find(([k]) => k === name)?.[1];
    const value = fromRange ?? getAttr(vnet.template, name);
    if (value !== undefined && !nic.has(name)) nic.set(name, value);
  }
  return [...nic.entries()];
}
