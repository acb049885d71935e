#!/usr/bin/env bash
# The seed project's load scenario against a running demo-app, with ApacheBench (ab), then a summary table.
# Usage: load-test.sh [--quick] [BASE_URL]     (BASE_URL defaults to http://localhost:8080)
#   --quick  runs 1/100 of the requests: a smoke test of the scenario, not a load test.
# Installs nothing; ab comes with apache2-utils (Debian/Ubuntu) or httpd-tools (Fedora/RHEL).
set -euo pipefail

usage() {
  echo "Usage: $0 [--quick] [BASE_URL]" >&2
  exit 2
}

divisor=1
base_url=http://localhost:8080
while [ $# -gt 0 ]; do
  case $1 in
    --quick) divisor=100 ;;
    -h | --help) usage ;;
    -*) usage ;;
    *) base_url=$1 ;;
  esac
  shift
done
base_url=${base_url%/}
case $base_url in
  http://* | https://*) ;;
  *) echo "BASE_URL must start with http:// or https://, got '${base_url}'" >&2; exit 2 ;;
esac

if ! command -v ab >/dev/null 2>&1; then
  echo "ApacheBench (ab) is not installed; install apache2-utils (Debian/Ubuntu) or httpd-tools (Fedora/RHEL)." >&2
  exit 1
fi
if ! ab -q -n 1 "${base_url}/" >/dev/null 2>&1; then
  echo "No demo-app answering at ${base_url}/ (start it with ./mvnw -pl demo-app -am spring-boot:run)." >&2
  exit 1
fi

# name | concurrency | requests | path — the seed's scenario: a fast path, client errors, conflicts,
# server errors, then slow requests that keep 50 connections waiting.
scenarios=(
  "root|5|20000|/"
  "400|5|2000|/status/400"
  "409|5|2000|/status/409"
  "500|5|2000|/status/500"
  "sleep 1s|50|500|/status/200?seconds_sleep=1"
  "sleep 2s|50|500|/status/200?seconds_sleep=2"
)

# ab omits the "Non-2xx responses" line when there are none, hence the default.
field() {
  local value
  value=$(sed -n "s/^$1:[[:space:]]*\([0-9.]*\).*/\1/p" "$2" | head -n 1)
  echo "${value:-0}"
}
percentile() { sed -n "s/^ *$1% *\([0-9]*\).*/\1/p" "$2" | head -n 1; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
rows=()
for scenario in "${scenarios[@]}"; do
  IFS='|' read -r name concurrency requests path <<<"$scenario"
  requests=$((requests / divisor))
  [ "$requests" -ge "$concurrency" ] || requests=$concurrency
  echo "== ${name}: ab -k -c ${concurrency} -n ${requests} ${base_url}${path}" >&2
  if ! ab -k -q -c "$concurrency" -n "$requests" "${base_url}${path}" >"$out" 2>&1; then
    cat "$out" >&2
    echo "ab failed for scenario '${name}'" >&2
    exit 1
  fi
  rows+=("$(printf '%-9s %5s %7s %9s %7s %8s %9s %7s %7s %7s' "$name" "$concurrency" \
    "$(field 'Complete requests' "$out")" "$(field 'Failed requests' "$out")" \
    "$(field 'Non-2xx responses' "$out")" "$(field 'Time taken for tests' "$out")" \
    "$(field 'Requests per second' "$out")" "$(percentile 50 "$out")" "$(percentile 99 "$out")" \
    "$(percentile 100 "$out")")")
done

echo
printf '%-9s %5s %7s %9s %7s %8s %9s %7s %7s %7s\n' scenario conc done failed non-2xx wall_s req/s p50_ms p99_ms max_ms
for row in "${rows[@]}"; do
  echo "$row"
done
