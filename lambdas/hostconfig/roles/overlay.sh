#!/usr/bin/env bash
# Role overlay: the private network between the hosts of a provision.
#   vxlan  unicast VXLAN: no multicast group; every other host is a static
#          flood (FDB) entry, rewritten to exactly EDGE_PEERS on each run, so
#          the same role converges the mesh after scale out or in.
#   evpn   BGP EVPN with FRR; the first host is the route reflector and the
#          others peer with it, so VTEPs are learnt, not listed.
#   none   nothing to do.
# Also run alone (with only the peers) by ConvergeOverlay, so everything else it
# needs falls back to what the first run saved in overlay.env.
[ -n "${EDGE_LIB_LOADED:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mode=${EDGE_OVERLAY_MODE:-vxlan}
if [ "$mode" = none ]; then
  edge_log "overlay disabled"
  edge_finish
  exit 0
fi
vni=${EDGE_VNI:-4242}
br="vxbr$vni"
saved=$(edge_path "$EDGE_STATE/overlay.env")
saved_value() { [ -r "$saved" ] && sed -n "s/^$1=//p" "$saved" | head -n 1 || true; }

dev=${EDGE_OVERLAY_DEV:-$(saved_value dev)}
[ -n "$dev" ] || dev=$(edge_default_nic)
[ -n "$dev" ] || edge_fail 1 "no underlay interface: no default IPv4 route and EDGE_OVERLAY_DEV unset"
# OpenNebula's vxlan driver names the device <PHYDEV>.<VLAN_ID> and finds it in
# the bridge by that name; the private vnet says PHYDEV=$dev, VLAN_ID=$vni,
# BRIDGE=$br, so its VMs' NICs join this very mesh.
vx="$dev.$vni"
[ "${#vx}" -le 15 ] || edge_fail 2 "VXLAN device name $vx is longer than Linux's 15 characters (OpenNebula names it <PHYDEV>.<VLAN_ID>): use an underlay NIC with a shorter name or a smaller VNI"
# Hosts configured before the device took OpenNebula's name had it as vxlan<VNI>.
if [ "$vx" != "vxlan$vni" ] && edge_link_exists "vxlan$vni"; then
  ip link del dev "vxlan$vni"
  edge_changed "removed vxlan$vni (now $vx)"
fi
local_ip=${EDGE_OVERLAY_LOCAL_IP:-$(saved_value local)}
[ -n "$local_ip" ] || local_ip=$(edge_nic_ipv4 "$dev")
[ -n "$local_ip" ] || edge_fail 1 "no IPv4 address on $dev"
mtu=${EDGE_OVERLAY_MTU:-$(saved_value mtu)}
if [ -z "$mtu" ]; then
  underlay_mtu=$(edge_link_mtu "$dev")
  mtu=$((${underlay_mtu:-1500} - 50))
fi

edge_write_file "$EDGE_STATE/overlay.env" 0644 < <(printf 'mode=%s\nvni=%s\ndev=%s\nlocal=%s\nmtu=%s\n' "$mode" "$vni" "$dev" "$local_ip" "$mtu")

# A VXLAN device cannot be changed in place: recreate it when it differs.
if edge_link_exists "$vx"; then
  details="$(ip -d -o link show dev "$vx") "
  ok=1
  for want in " id $vni " " local $local_ip " " dev $dev " " dstport 8472 " " nolearning "; do
    case "$details" in *"$want"*) ;; *) ok=0 ;; esac
  done
  case "$details" in *" group "[0-9]* | *" remote "[0-9]*) ok=0 ;; esac
  if [ "$ok" = 0 ]; then
    ip link del dev "$vx"
    edge_changed "removed $vx with outdated settings"
  fi
fi
if ! edge_link_exists "$vx"; then
  ip link add "$vx" type vxlan id "$vni" dstport 8472 local "$local_ip" dev "$dev" nolearning
  edge_changed "created $vx (VNI $vni, local $local_ip, unicast)"
fi
if [ "$(edge_link_mtu "$vx")" != "$mtu" ]; then
  ip link set dev "$vx" mtu "$mtu"
  edge_changed "mtu $mtu on $vx"
fi
if ! edge_link_exists "$br"; then
  ip link add name "$br" type bridge
  edge_changed "created bridge $br"
fi
if ! ip -o link show dev "$vx" | grep -q " master $br "; then
  ip link set dev "$vx" master "$br"
  edge_changed "attached $vx to $br"
fi
edge_link_up "$vx"
edge_link_up "$br"

# Flood entries (all-zero MAC) currently on the device, one address per line.
current_peers() {
  bridge fdb show dev "$vx" |
    awk '$1 == "00:00:00:00:00:00" { for (i = 2; i < NF; i++) if ($i == "dst") print $(i + 1) }' | sort -u
}

want=()
if [ "$mode" = vxlan ]; then
  for peer in ${EDGE_PEERS:-}; do
    [ "$peer" = "$local_ip" ] || want+=("$peer")
  done
fi
have=$(current_peers)
for peer in "${want[@]}"; do
  if ! grep -qxF -- "$peer" <<<"$have"; then
    bridge fdb append 00:00:00:00:00:00 dev "$vx" dst "$peer"
    edge_changed "peer $peer added"
  fi
done
for peer in $have; do
  keep=0
  for w in "${want[@]}"; do [ "$w" = "$peer" ] && keep=1; done
  if [ "$keep" = 0 ]; then
    bridge fdb del 00:00:00:00:00:00 dev "$vx" dst "$peer"
    edge_changed "peer $peer removed"
  fi
done
edge_log "overlay $mode on $vx: ${#want[@]} peer(s)"

if [ "$mode" = evpn ]; then
  asn=${EDGE_EVPN_ASN:-65000}
  rr=${EDGE_EVPN_RR:-}
  if [ -z "$rr" ] && [ "${EDGE_HOST_INDEX:-}" = 0 ]; then rr=$local_ip; fi
  [ -n "$rr" ] || edge_fail 2 "EDGE_EVPN_RR (the first host's underlay address) is required on hosts other than the first"
  edge_pkg_install frr
  daemons=$(edge_path /etc/frr/daemons)
  if [ -f "$daemons" ] && ! grep -q '^bgpd=yes' "$daemons"; then
    sed -i 's/^bgpd=.*/bgpd=yes/' "$daemons"
    grep -q '^bgpd=yes' "$daemons" || echo 'bgpd=yes' >>"$daemons"
    edge_changed "enabled bgpd"
    frr_changed=1
  fi
  if [ "$rr" = "$local_ip" ]; then
    range=${EDGE_EVPN_LISTEN_RANGE:-$(edge_ipv4_network "$(edge_nic_ipv4_cidr "$dev")")}
    edge_write_file /etc/frr/frr.conf 0640 <<FRR
! Managed by edge-provisioner: EVPN route reflector (first host).
frr defaults traditional
log syslog informational
router bgp $asn
 bgp router-id $local_ip
 no bgp default ipv4-unicast
 neighbor fabric peer-group
 neighbor fabric remote-as $asn
 neighbor fabric update-source $local_ip
 bgp listen range $range peer-group fabric
 address-family l2vpn evpn
  neighbor fabric activate
  neighbor fabric route-reflector-client
  advertise-all-vni
 exit-address-family
FRR
  else
    edge_write_file /etc/frr/frr.conf 0640 <<FRR
! Managed by edge-provisioner: EVPN client of the route reflector $rr.
frr defaults traditional
log syslog informational
router bgp $asn
 bgp router-id $local_ip
 no bgp default ipv4-unicast
 neighbor $rr remote-as $asn
 neighbor $rr update-source $local_ip
 address-family l2vpn evpn
  neighbor $rr activate
  advertise-all-vni
 exit-address-family
FRR
  fi
  if [ "$EDGE_WROTE" = 1 ] || [ "${frr_changed:-0}" = 1 ]; then
    if systemctl is-active --quiet frr 2>/dev/null; then systemctl restart frr; fi
  fi
  edge_service_running frr
fi

boot_script() {
  echo '#!/bin/sh'
  echo '# Managed by edge-provisioner (role overlay).'
  printf 'ip link show dev %q >/dev/null 2>&1 || ip link add %q type vxlan id %q dstport 8472 local %q dev %q nolearning\n' \
    "$vx" "$vx" "$vni" "$local_ip" "$dev"
  printf 'ip link set dev %q mtu %q\n' "$vx" "$mtu"
  printf 'ip link show dev %q >/dev/null 2>&1 || ip link add name %q type bridge\n' "$br" "$br"
  printf 'ip link set dev %q master %q up\n' "$vx" "$br"
  printf 'ip link set dev %q up\n' "$br"
  for peer in "${want[@]}"; do
    printf 'bridge fdb append 00:00:00:00:00:00 dev %q dst %q 2>/dev/null || true\n' "$vx" "$peer"
  done
}
edge_write_file "$EDGE_STATE/network.d/20-overlay.sh" 0755 < <(boot_script)
edge_network_unit

edge_finish
