#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests (*IT, ./mvnw -Pe2e verify) run; apt never starts services here.
# An IT whose tool is missing fails naming the package, so a package added here is one an IT names.
# Prometheus and Alertmanager come twice: Debian stable's (2.42, 0.25) installed here, Debian unstable's (3.5 LTS,
# 0.33) extracted into a tools folder by fetch-unstable-prometheus.sh.
set -euo pipefail

# prometheus: prometheus, promtool; prometheus-alertmanager: prometheus-alertmanager, amtool; apache2-utils: ab.
# jsonnet and yamllint are for the ITs of the Helm chart and the dashboards' sources.
# gnupg signs the release bundle with a throw-away key (ReleaseBundleIT).
packages=(prometheus prometheus-alertmanager apache2-utils chromium curl make jsonnet yamllint gnupg)
# Installed without recommends: what the tests need, not a web server or compilers.
lean_packages=(docker-compose passenger)
# node and npm validate the Helm chart's objects (kubernetes-models); the machine image ships them, a bare Debian
# needs its own packages (never both: they conflict).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}" "${lean_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "All CI tools already installed."
else
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${packages[@]}"
  apt-get install -y --no-install-recommends "${lean_packages[@]}"
fi

# The second Prometheus and Alertmanager every end-to-end test also runs on: Debian unstable's, in a tools folder.
bash "$(dirname "$0")/fetch-unstable-prometheus.sh"
