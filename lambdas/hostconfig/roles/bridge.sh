#!/usr/bin/env bash
# Role bridge: the bridge the public network's VMs attach to. Public addresses
# are routed to it (/32 route + proxy ARP, done by OpenNebula's network driver),
# so by default no physical NIC is enslaved; EDGE_PUBLIC_PHYDEV enslaves a spare
# NIC for on-premises hosts, never the NIC carrying the default route.
[ -n "${EDGE_LIB_LOADED:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

br=${EDGE_PUBLIC_BRIDGE:-br0}
phydev=${EDGE_PUBLIC_PHYDEV:-}

if [ -n "$phydev" ]; then
  if [ "$phydev" = "$(edge_default_nic)" ]; then
    edge_fail 2 "EDGE_PUBLIC_PHYDEV=$phydev carries the default route; enslaving it would cut the host off"
  fi
  edge_link_exists "$phydev" || edge_fail 2 "EDGE_PUBLIC_PHYDEV=$phydev does not exist"
fi

if ! edge_link_exists "$br"; then
  ip link add name "$br" type bridge
  edge_changed "created bridge $br"
fi
if [ -n "$phydev" ]; then
  if ! ip -o link show dev "$phydev" | grep -q " master $br "; then
    ip link set dev "$phydev" master "$br"
    edge_changed "enslaved $phydev to $br"
  fi
  edge_link_up "$phydev"
fi
edge_link_up "$br"

edge_write_file /etc/sysctl.d/60-edge-provisioner.conf 0644 <<'SYSCTL'
# Managed by edge-provisioner: public addresses are routed to the VMs.
net.ipv4.ip_forward = 1
SYSCTL
if [ "$EDGE_WROTE" = 1 ]; then sysctl -q -p "$(edge_path /etc/sysctl.d/60-edge-provisioner.conf)"; fi

boot_script() {
  echo '#!/bin/sh'
  echo '# Managed by edge-provisioner (role bridge).'
  printf 'ip link show dev %q >/dev/null 2>&1 || ip link add name %q type bridge\n' "$br" "$br"
  if [ -n "$phydev" ]; then printf 'ip link set dev %q master %q up\n' "$phydev" "$br"; fi
  printf 'ip link set dev %q up\n' "$br"
}
edge_write_file "$EDGE_STATE/network.d/10-bridge.sh" 0755 < <(boot_script)
edge_network_unit

edge_finish
