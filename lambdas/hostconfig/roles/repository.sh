#!/usr/bin/env bash
# Role repository: the OpenNebula package repository (and EPEL on EL hosts,
# which the KVM node packages depend on).
[ -n "${EDGE_LIB_LOADED:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version=${EDGE_ONE_VERSION:-7.0}
base=${EDGE_ONE_REPO_URL:-https://downloads.opennebula.io/repo}
base=${base%/}
id=$(edge_os_id)
ver=$(edge_os_version)

case "$(edge_os_family)" in
  deb)
    keyring=/etc/apt/keyrings/opennebula.gpg
    if [ ! -s "$(edge_path "$keyring")" ]; then
      mkdir -p "$(edge_path /etc/apt/keyrings)"
      curl -fsSL "$base/repo2.key" | gpg --dearmor --yes -o "$(edge_path "$keyring")"
      chmod 0644 "$(edge_path "$keyring")"
      edge_changed "imported the OpenNebula signing key"
    fi
    case "$id" in ubuntu) distro=Ubuntu ;; *) distro=Debian ;; esac
    edge_write_file /etc/apt/sources.list.d/opennebula.list 0644 < <(printf 'deb [signed-by=%s] %s/%s/%s/%s stable opennebula\n' "$keyring" "$base" "$version" "$distro" "$ver")
    ;;
  rpm)
    case "$id" in almalinux) distro=AlmaLinux ;; *) distro=RedHat ;; esac
    edge_write_file /etc/yum.repos.d/opennebula.repo 0644 <<REPO
[opennebula]
name=OpenNebula Community Edition
baseurl=$base/$version/$distro/\$releasever/\$basearch
enabled=1
gpgkey=$base/repo2.key
gpgcheck=1
repo_gpgcheck=1
REPO
    if ! edge_pkg_installed epel-release; then
      if [ "$id" = almalinux ]; then
        dnf install -y -q epel-release
      else
        dnf install -y -q "https://dl.fedoraproject.org/pub/epel/epel-release-latest-$ver.noarch.rpm"
      fi
      edge_changed "installed epel-release"
    fi
    ;;
  *) edge_fail 100 "unsupported OS: $id $ver" ;;
esac

edge_finish
