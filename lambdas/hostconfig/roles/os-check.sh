#!/usr/bin/env bash
# Role os-check: refuse hosts the later roles cannot configure (exit 100), and
# record which provision manages the host.
[ -n "${EDGE_LIB_LOADED:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

supported='Ubuntu 22.04/24.04, Debian 12/13, AlmaLinux 8/9, RHEL 8/9'
id=$(edge_os_id)
ver=$(edge_os_version)
case "$id:$ver" in
  ubuntu:22.04 | ubuntu:24.04 | debian:12 | debian:13 | almalinux:8 | almalinux:9 | rhel:8 | rhel:9) ;;
  *) edge_fail 100 "unsupported OS: ${id:-unknown} ${ver:-unknown}; supported: $supported" ;;
esac
edge_log "os: $id $ver"

edge_write_file "$EDGE_STATE/provision-id" 0644 < <(printf '%s\n' "${EDGE_PROVISION_ID:-}")
edge_write_file "$EDGE_STATE/provision-name" 0644 < <(printf '%s\n' "${EDGE_PROVISION_NAME:-}")
edge_write_file "$EDGE_STATE/host-name" 0644 < <(printf '%s\n' "${EDGE_HOST_NAME:-}")

edge_finish
