#!/usr/bin/env bash
# Role facts: reports what `${updates.*}` placeholders and host registration
# need. Read-only, so always unchanged.
[ -n "${EDGE_LIB_LOADED:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

nic=$(edge_default_nic)
address=""
[ -z "$nic" ] || address=$(edge_nic_ipv4 "$nic")
cpu=$(grep -c '^processor' "$(edge_path /proc/cpuinfo)" || true)
mem_kb=$(awk '/^MemTotal:/ { print $2 }' "$(edge_path /proc/meminfo)")
first=${EDGE_FIRST_HOST:-}
if [ -z "$first" ] && [ "${EDGE_HOST_INDEX:-}" = 0 ]; then first=$address; fi

edge_fact default_ipv4_nic "$nic"
edge_fact default_ipv4_address "$address"
edge_fact cpu "$cpu"
edge_fact memory_mb "$((${mem_kb:-0} / 1024))"
edge_fact os_id "$(edge_os_id)"
edge_fact os_version "$(edge_os_version)"
[ -z "$first" ] || edge_fact first_host "$first"
edge_host_key_facts

edge_finish
