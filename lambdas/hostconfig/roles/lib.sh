# shellcheck shell=bash
# Helpers shared by every role. The runner sends this file before the role body;
# a role run by hand sources it itself.
#
# Output protocol, read by the runner (lambdas/hostconfig/output.ts):
#   EDGE_RESULT changed|unchanged   once, as the role's last line
#   EDGE_FACT name=value            a fact for `${updates.*}` placeholders
# Exit codes: 0 ok, 100 unsupported OS, anything else a failure.
#
# EDGE_ROOT prefixes every file a role reads or writes; it is empty on a real
# host and a scratch directory on simulated ones. Privileged commands are always
# called by name (never by absolute path) so a simulated host can stand them in.

EDGE_LIB_LOADED=1
set -euo pipefail
umask 022
export LC_ALL=C
EDGE_ROOT="${EDGE_ROOT:-}"
EDGE_CHANGED=0
EDGE_WROTE=0
EDGE_STATE=/etc/edge-provisioner

edge_path() { printf '%s%s' "$EDGE_ROOT" "$1"; }

edge_log() { printf '%s\n' "$*"; }

edge_changed() {
  EDGE_CHANGED=1
  printf 'changed: %s\n' "$*"
}

edge_fail() {
  local code=$1
  shift
  printf 'error: %s\n' "$*" >&2
  exit "$code"
}

edge_fact() {
  # Facts are one line each; a stray newline would forge another fact.
  local value=${2//[$'\r\n']/ }
  printf 'EDGE_FACT %s=%s\n' "$1" "$value"
}

# Reports the host's SSH host keys as facts (the front-end pins them).
edge_host_key_facts() {
  local pub kind
  for pub in "$(edge_path /etc/ssh)"/ssh_host_*_key.pub; do
    [ -r "$pub" ] || continue
    kind=$(basename "$pub" .pub)
    kind=${kind#ssh_host_}
    kind=${kind%_key}
    edge_fact "ssh_host_key_$kind" "$(cut -d' ' -f1,2 "$pub")"
  done
}

edge_finish() {
  if [ "$EDGE_CHANGED" = 1 ]; then
    echo 'EDGE_RESULT changed'
  else
    echo 'EDGE_RESULT unchanged'
  fi
}

# edge_write_file PATH MODE < content
# Replaces PATH (under EDGE_ROOT) only when content or mode differ, so a second
# run leaves the file, its mtime and the services that read it alone.
# Sets EDGE_WROTE=1 when it wrote. Feed it with a redirection, never a pipe: a
# function at the end of a pipe runs in a subshell and its changes are lost.
edge_write_file() {
  local dest mode=${2#0} content="" old="" tmp
  dest=$(edge_path "$1")
  EDGE_WROTE=0
  # Builtins only on the unchanged path: roles run often and mostly find nothing to do.
  IFS= read -r -d '' content || true
  if [ -f "$dest" ]; then
    IFS= read -r -d '' old <"$dest" || true
    if [ "$old" = "$content" ]; then
      if [ "$(stat -c %a "$dest")" != "$mode" ]; then
        chmod "$mode" "$dest"
        EDGE_WROTE=1
        edge_changed "mode $mode on $1"
      fi
      return 0
    fi
  fi
  [ -d "${dest%/*}" ] || mkdir -p "${dest%/*}"
  tmp="$dest.edge.$$"
  printf '%s' "$content" >"$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$dest"
  EDGE_WROTE=1
  edge_changed "wrote $1"
}

# Reads os-release once, without sourcing it: the file is data, not code.
EDGE_OS_ID=""
EDGE_OS_VERSION_ID=""
edge_read_os() {
  local f key value
  f=$(edge_path /etc/os-release)
  [ -r "$f" ] || f=$(edge_path /usr/lib/os-release)
  [ -r "$f" ] || return 0
  while IFS='=' read -r key value; do
    value=${value#[\"\']}
    value=${value%[\"\']}
    case "$key" in
      ID) EDGE_OS_ID=$value ;;
      VERSION_ID) EDGE_OS_VERSION_ID=$value ;;
    esac
  done <"$f"
}
edge_read_os

edge_os_id() { printf '%s' "$EDGE_OS_ID"; }

# Ubuntu keeps its point release (22.04); the others are compared by major.
edge_os_version() {
  case "$EDGE_OS_ID" in
    ubuntu) printf '%s' "$EDGE_OS_VERSION_ID" ;;
    *) printf '%s' "${EDGE_OS_VERSION_ID%%.*}" ;;
  esac
}

edge_os_family() {
  case "$EDGE_OS_ID" in
    ubuntu | debian) printf deb ;;
    almalinux | rhel) printf rpm ;;
    *) printf unknown ;;
  esac
}

edge_pkg_installed() {
  case "$(edge_os_family)" in
    deb) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
    rpm) rpm -q --quiet "$1" ;;
    *) return 1 ;;
  esac
}

# Installs the packages that are missing; refreshes the package index first so a
# repository added by an earlier (maybe interrupted) run is always seen.
edge_pkg_install() {
  local missing=() p
  for p in "$@"; do
    if ! edge_pkg_installed "$p"; then missing+=("$p"); fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then return 0; fi
  case "$(edge_os_family)" in
    deb)
      DEBIAN_FRONTEND=noninteractive apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold "${missing[@]}"
      ;;
    rpm) dnf install -y -q "${missing[@]}" ;;
    *) edge_fail 1 "no package manager for this OS" ;;
  esac
  edge_changed "installed ${missing[*]}"
}

edge_service_enable() {
  if ! systemctl is-enabled --quiet "$1" 2>/dev/null; then
    systemctl enable "$1"
    edge_changed "enabled $1"
  fi
}

edge_service_running() {
  edge_service_enable "$1"
  if ! systemctl is-active --quiet "$1" 2>/dev/null; then
    systemctl start "$1"
    edge_changed "started $1"
  fi
}

edge_service_off() {
  if systemctl is-active --quiet "$1" 2>/dev/null; then
    systemctl stop "$1"
    edge_changed "stopped $1"
  fi
  if systemctl is-enabled --quiet "$1" 2>/dev/null; then
    systemctl disable "$1"
    edge_changed "disabled $1"
  fi
}

edge_link_exists() { ip link show dev "$1" >/dev/null 2>&1; }

edge_link_up() {
  if ! ip -o link show dev "$1" | grep -q '[<,]UP[,>]'; then
    ip link set dev "$1" up
    edge_changed "link $1 up"
  fi
}

edge_link_mtu() {
  ip -o link show dev "$1" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'
}

edge_default_nic() {
  ip -4 route show default | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1
}

edge_nic_ipv4() {
  ip -4 -o addr show dev "$1" | sed -n 's/.* inet \([0-9.]*\)\/.*/\1/p' | head -n 1
}

edge_nic_ipv4_cidr() {
  ip -4 -o addr show dev "$1" | sed -n 's/.* inet \([0-9.]*\/[0-9]*\).*/\1/p' | head -n 1
}

# 10.0.3.7/16 -> 10.0.0.0/16
edge_ipv4_network() {
  local ip=${1%/*} len=${1#*/} a b c d n mask
  IFS=. read -r a b c d <<<"$ip"
  n=$(((a << 24) | (b << 16) | (c << 8) | d))
  mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
  n=$((n & mask))
  printf '%d.%d.%d.%d/%d' $((n >> 24 & 255)) $((n >> 16 & 255)) $((n >> 8 & 255)) $((n & 255)) "$len"
}

# Boot-time re-creation of the links the network roles made: one script per
# role in network.d, run in order by a oneshot unit.
edge_network_unit() {
  edge_write_file /etc/systemd/system/edge-network.service 0644 <<'UNIT'
[Unit]
Description=edge-provisioner host networking (bridges, overlay)
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'for f in /etc/edge-provisioner/network.d/*.sh; do [ -r "$f" ] && /bin/sh "$f"; done'

[Install]
WantedBy=multi-user.target
UNIT
  if [ "$EDGE_WROTE" = 1 ]; then systemctl daemon-reload; fi
  edge_service_enable edge-network.service
}
