import type { Attributes, NetworkPlan, ProvisionPlan } from './plan';

/** The bridge the overlay role builds on every host for a VNI. */
export function overlayBridge(vni: number): string {
  return `vxbr${vni}`;
}

/** True for the network the overlay role builds: the private vxlan network, when the overlay is on. */
export function isOverlayNetwork(plan: Pick<ProvisionPlan, 'overlay'>, net: Pick<NetworkPlan, 'role' | 'vnMad'>): boolean {
  return plan.overlay.mode !== 'none' && net.role === 'private' && net.vnMad.toLowerCase() === 'vxlan';
}

/**
 * The attributes of the private vnet (or VN template) that make OpenNebula's
 * vxlan driver use the overlay the roles built instead of building its own:
 * the driver looks for a device named `<PHYDEV>.<VLAN_ID>` in `BRIDGE` and,
 * finding the role's, creates nothing; `CONF=keep_empty_bridge=true` stops it
 * from deleting bridge and device when a host's last VM leaves.
 *
 * - `VLAN_ID` is the overlay's VNI (never `AUTOMATIC_VLAN_ID`, whose VNI
 *   oned picks and the hosts would not know); `BRIDGE` is `vxbr<VNI>`;
 * - `PHYDEV` is the underlay NIC: `configuration.overlay_dev` when the hosts
 *   set one, else what the descriptor says (typically `${updates.default_ipv4_nic}`);
 * - EVPN: `VXLAN_MODE=evpn` and `VXLAN_TEP=local_ip` (the role binds the
 *   device to the host's underlay address); unicast VXLAN has no
 *   OpenNebula mode of its own, its flood list being the role's static FDB;
 * - `IP_LINK_CONF=nolearning=`: the role's device does not learn.
 *
 * Other attributes (MTU, DNS, GUEST_MTU, address ranges...) stay as written.
 */
export function overlayNetworkAttributes(plan: Pick<ProvisionPlan, 'overlay' | 'hosts'>, net: NetworkPlan): Attributes {
  if (!isOverlayNetwork(plan, net)) return net.attributes;
  const { mode, vni } = plan.overlay;
  const out: Attributes = {};
  for (const [key, value] of Object.entries(net.attributes)) {
    if (['AUTOMATIC_VLAN_ID', 'VXLAN_MODE', 'VXLAN_TEP', 'VXLAN_MC'].includes(key.toUpperCase())) continue;
    out[key] = value;
  }
  const overlayDev = plan.hosts.map((h) => h.configuration['overlay_dev']).find((dev) => dev !== undefined && dev !== '');
  if (overlayDev) out['PHYDEV'] = overlayDev;
  out['VLAN_ID'] = String(vni);
  out['BRIDGE'] = overlayBridge(vni);
  if (mode === 'evpn') {
    out['VXLAN_MODE'] = 'evpn';
    out['VXLAN_TEP'] = 'local_ip';
  }
  out['IP_LINK_CONF'] = 'nolearning=';
  out['CONF'] = 'keep_empty_bridge=true';
  return out;
}
