#!/usr/bin/env bash
# Wall-clock benchmark of slow requests: CONCURRENCY simultaneous `GET /status/200?seconds_sleep=1`, each on its own
# connection. With virtual threads a sleeping request holds no platform thread, so the whole batch should take about
# one second. Usage: sleep-benchmark.sh [BASE_URL] [CONCURRENCY]   (defaults: http://localhost:8080, 200)
# Exits 1 if a request fails or the batch takes 3 s or more. Installs nothing; needs ab (apache2-utils).
set -euo pipefail

base_url=${1:-http://localhost:8080}
base_url=${base_url%/}
concurrency=${2:-200}
limit_seconds=3

if ! command -v ab >/dev/null 2>&1; then
  echo "ApacheBench (ab) is not installed; install apache2-utils (Debian/Ubuntu) or httpd-tools (Fedora/RHEL)." >&2
  exit 1
fi
case $concurrency in
  '' | *[!0-9]*) echo "CONCURRENCY must be a positive integer, got '${concurrency}'" >&2; exit 2 ;;
esac

out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Warm-up outside the measurement: class loading, JIT and the first connections are not what is measured.
ab -q -c 10 -n 200 "${base_url}/status/200" >/dev/null 2>&1 || { echo "No demo-app answering at ${base_url}" >&2; exit 1; }

url="${base_url}/status/200?seconds_sleep=1"
echo "ab -c ${concurrency} -n ${concurrency} ${url}"
if ! ab -q -s 30 -c "$concurrency" -n "$concurrency" "$url" >"$out" 2>&1; then
  cat "$out" >&2
  exit 1
fi

complete=$(sed -n 's/^Complete requests:[[:space:]]*\([0-9]*\).*/\1/p' "$out")
failed=$(sed -n 's/^Failed requests:[[:space:]]*\([0-9]*\).*/\1/p' "$out")
non_2xx=$(sed -n 's/^Non-2xx responses:[[:space:]]*\([0-9]*\).*/\1/p' "$out")
wall=$(sed -n 's/^Time taken for tests:[[:space:]]*\([0-9.]*\).*/\1/p' "$out")
slowest=$(sed -n 's/^ *100% *\([0-9]*\).*/\1/p' "$out")

echo "complete=${complete} failed=${failed} non_2xx=${non_2xx:-0} wall=${wall}s slowest_request=${slowest}ms"
if [ "$complete" != "$concurrency" ] || [ "$failed" != 0 ] || [ "${non_2xx:-0}" != 0 ]; then
  echo "FAIL: not every request succeeded" >&2
  exit 1
fi
if awk -v wall="$wall" -v limit="$limit_seconds" 'BEGIN { exit !(wall >= limit) }'; then
  echo "FAIL: ${concurrency} one-second sleeps took ${wall}s (limit ${limit_seconds}s)" >&2
  exit 1
fi
echo "PASS: ${concurrency} concurrent one-second sleeps finished in ${wall}s"
