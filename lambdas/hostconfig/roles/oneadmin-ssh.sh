#!/usr/bin/env bash
# Role oneadmin-ssh: lets the front-end in as oneadmin and reports this host's
# SSH host keys so the caller can pin them and hand them to the other hosts.
[ -n "${EDGE_LIB_LOADED:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ -n "${EDGE_FRONTEND_PUBKEY:-}" ] || edge_fail 2 "EDGE_FRONTEND_PUBKEY (the front-end's oneadmin public key) is required"

entry=$(getent passwd oneadmin || true)
if [ -z "$entry" ]; then
  useradd --system --home-dir /var/lib/one --create-home --shell /bin/bash oneadmin
  edge_changed "created user oneadmin"
  entry=$(getent passwd oneadmin)
fi
home=$(printf '%s' "$entry" | cut -d: -f6)
sshdir=$(edge_path "$home/.ssh")
keys="$sshdir/authorized_keys"
touched=0

if [ ! -d "$sshdir" ]; then
  mkdir -p "$sshdir"
  touched=1
fi
if [ "$(stat -c %a "$sshdir")" != 700 ]; then
  chmod 700 "$sshdir"
  touched=1
fi
[ -f "$keys" ] || { : >"$keys" && touched=1; }
if [ "$(stat -c %a "$keys")" != 600 ]; then
  chmod 600 "$keys"
  touched=1
fi
# Compare type and key material only: the comment may differ between runs.
read -r key_type key_data _ <<<"$EDGE_FRONTEND_PUBKEY"
if ! grep -qF -- "$key_type $key_data" "$keys"; then
  printf '%s\n' "$EDGE_FRONTEND_PUBKEY" >>"$keys"
  edge_changed "authorized the front-end key for oneadmin"
  touched=1
fi
if [ "$touched" = 1 ]; then
  chown -R oneadmin:oneadmin "$sshdir"
  edge_changed "oneadmin .ssh permissions"
fi

edge_host_key_facts

edge_finish
