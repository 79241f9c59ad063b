#!/usr/bin/env bash
# Role firewall: inbound is closed except SSH, BGP (179/tcp, EVPN) and VXLAN
# (8472/udp). One nftables table owned by us, replaced atomically; the distro's
# own front-ends (ufw, firewalld) are turned off so two rule sets never disagree.
[ -n "${EDGE_LIB_LOADED:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ssh_port=${EDGE_SSH_PORT:-22}

case "$(edge_os_family)" in
  deb)
    if edge_pkg_installed ufw && ufw status 2>/dev/null | grep -q 'Status: active'; then
      ufw disable
      edge_changed "disabled ufw"
    fi
    ;;
  rpm) edge_service_off firewalld ;;
esac
edge_pkg_install nftables

# Established/related covers replies (DHCP renewals, PMTU errors); IPv6
# neighbour discovery is link plumbing, not a service.
edge_write_file "$EDGE_STATE/firewall.nft" 0644 <<RULES
# Managed by edge-provisioner. Inbound: ${ssh_port}/tcp (SSH), 179/tcp (BGP), 8472/udp (VXLAN).
table inet edge_provisioner
delete table inet edge_provisioner
table inet edge_provisioner {
  chain input {
    type filter hook input priority filter; policy drop;
    iif "lo" accept
    ct state established,related accept
    ct state invalid drop
    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept
    tcp dport ${ssh_port} accept
    tcp dport 179 accept
    udp dport 8472 accept
  }
}
RULES
rules_changed=$EDGE_WROTE

if [ "$rules_changed" = 1 ] || ! nft list table inet edge_provisioner >/dev/null 2>&1; then
  nft -f "$(edge_path "$EDGE_STATE/firewall.nft")"
  edge_changed "loaded firewall rules"
fi

edge_write_file /etc/systemd/system/edge-firewall.service 0644 <<'UNIT'
[Unit]
Description=edge-provisioner host firewall
Wants=network-pre.target
Before=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f /etc/edge-provisioner/firewall.nft

[Install]
WantedBy=multi-user.target
UNIT
if [ "$EDGE_WROTE" = 1 ]; then systemctl daemon-reload; fi
edge_service_enable edge-firewall.service

edge_finish
