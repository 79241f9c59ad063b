#!/usr/bin/env bash
# `npm run bench:setup`: what `npm run bench` compares our SSH runner against,
# from Debian: ansible (ansible-playbook) and the OpenSSH server and client.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "bench:setup installs Debian packages with apt-get: run it as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ansible openssh-server openssh-client >/dev/null
ansible-playbook --version | head -n 1
