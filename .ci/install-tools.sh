#!/usr/bin/env bash
# Installs the Debian packages the end-to-end checks need; apt never starts services here.
set -euo pipefail

packages=(prometheus prometheus-alertmanager apache2-utils chromium)
# Installed without recommends: what the checks need, not a web server or compilers.
lean_packages=(docker-compose passenger)
missing=()
for p in "${packages[@]}" "${lean_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "All CI tools already installed."
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y "${packages[@]}"
apt-get install -y --no-install-recommends "${lean_packages[@]}"
