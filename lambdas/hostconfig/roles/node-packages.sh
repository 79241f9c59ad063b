#!/usr/bin/env bash
# Role node-packages: the OpenNebula KVM node (libvirt, qemu, oneadmin user) and
# a loaded KVM module.
[ -n "${EDGE_LIB_LOADED:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

edge_pkg_install opennebula-node-kvm
edge_service_running libvirtd

if [ ! -e "$(edge_path /dev/kvm)" ]; then
  cpuinfo=$(edge_path /proc/cpuinfo)
  if grep -q '^vendor_id.*AuthenticAMD' "$cpuinfo" 2>/dev/null; then module=kvm_amd; else module=kvm_intel; fi
  modprobe "$module" || true
  if [ -e "$(edge_path /dev/kvm)" ]; then
    edge_changed "loaded $module"
  else
    # Not fatal: nested setups may lack it, and OpenNebula's monitor reports it.
    edge_log "warning: /dev/kvm is missing; hardware virtualisation is not available"
  fi
fi

edge_finish
