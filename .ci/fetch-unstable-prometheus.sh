#!/usr/bin/env bash
# Fetches Debian unstable's Prometheus 3 (packages prometheus, promtool) and Alertmanager 0.3x (prometheus-alertmanager)
# and extracts them into a tools folder without installing them: the end-to-end tests run every Prometheus and
# Alertmanager check on these as well as on Debian stable's (on the PATH, see install-tools.sh).
#
# The tools folder is $OBSKIT_TOOLS_DIR (default: .tools in the repository, gitignored); the binaries land in
# <tools>/debian-unstable/usr/bin, where the tests look (system property obskit.e2e.tools, set by failsafe).
# apt reads the unstable suite through its own sources list, lists and cache under <tools>/apt-unstable: the system's
# sources, lists and installed packages stay as they are. Idempotent: does nothing when the binaries are all there.
set -euo pipefail

repository="$(cd "$(dirname "$0")/.." && pwd)"
tools="${OBSKIT_TOOLS_DIR:-$repository/.tools}"
target="$tools/debian-unstable"
binaries=(prometheus promtool prometheus-alertmanager amtool)
packages=(prometheus promtool prometheus-alertmanager)

complete=true
for binary in "${binaries[@]}"; do
  [ -x "$target/usr/bin/$binary" ] || complete=false
done
if $complete; then
  echo "Debian unstable's Prometheus and Alertmanager already in $target."
  exit 0
fi

# The mirror the system already uses for Debian (the first URIs of its deb822 sources), so that the unstable suite
# comes through the same proxy or snapshot policy; deb.debian.org when there is none.
mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

apt_dir="$tools/apt-unstable"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/downloads"
cat >"$apt_dir/unstable.sources" <<EOF
Types: deb
URIs: $mirror
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_options=(
  -o "Dir::Etc::sourcelist=$apt_dir/unstable.sources"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Sandbox::User=$(id -un)"
)

apt-get "${apt_options[@]}" update
rm -f "$apt_dir/downloads/"*.deb
(cd "$apt_dir/downloads" && apt-get "${apt_options[@]}" download "${packages[@]}")

rm -rf "$target.partial"
mkdir -p "$target.partial"
for deb in "$apt_dir/downloads/"*.deb; do
  dpkg -x "$deb" "$target.partial"
done
# prometheus-alertmanager's binary and amtool, as Debian stable's package names them.
for binary in "${binaries[@]}"; do
  "$target.partial/usr/bin/$binary" --version >/dev/null 2>&1 || {
    echo "$target.partial/usr/bin/$binary does not run (from ${packages[*]} in sid)" >&2
    exit 1
  }
done
rm -rf "$target"
mv "$target.partial" "$target"
rm -rf "$apt_dir/downloads" "$apt_dir/cache/archives"
for binary in prometheus prometheus-alertmanager; do
  "$target/usr/bin/$binary" --version 2>&1 | head -n 1
done
