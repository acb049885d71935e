#!/usr/bin/env bash
# Runs the demo's load scenario (quick mode) against the built exec jar and checks that the script works end to end
# and that the requests it sent show up in /metrics; lints the Passenger scrape with promtool.
# Needs: the exec jar from `./mvnw verify`, curl, ab (apache2-utils), promtool (prometheus). No timing assertions.
set -euo pipefail
cd "$(dirname "$0")/../.."

passed=0
failed=0
check() {
  local name=$1
  shift
  if "$@"; then
    echo "PASS ${name}"
    passed=$((passed + 1))
  else
    echo "FAIL ${name}"
    failed=$((failed + 1))
  fi
}

jars=(demo-app/target/demo-app-*-exec.jar)
if [ ! -f "${jars[0]}" ]; then
  echo "No demo-app/target/demo-app-*-exec.jar: run ./mvnw -B verify first." >&2
  exit 1
fi
for tool in curl ab promtool; do
  command -v "$tool" >/dev/null 2>&1 || { echo "${tool} is not installed (see .ci/install-tools.sh)." >&2; exit 1; }
done

java_bin=java
for candidate in /usr/lib/jvm/temurin-25-jdk-*/bin/java "${JAVA_HOME:-/nonexistent}/bin/java"; do
  if [ -x "$candidate" ]; then
    java_bin=$candidate
    break
  fi
done

free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "No free port found" >&2
  return 1
}

work=$(mktemp -d)
app_pid=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid"
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(free_port)
base="http://127.0.0.1:${port}"
log=demo-app/target/demo-load-app.log
echo "Starting ${jars[0]} with ${java_bin} on ${base} (log: ${log})"
"$java_bin" -jar "${jars[0]}" --server.port="$port" --server.address=127.0.0.1 >"$log" 2>&1 &
app_pid=$!

ready() {
  for _ in $(seq 90); do
    curl -sf "${base}/actuator/health/readiness" >/dev/null && return 0
    kill -0 "$app_pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}
check "demo-app becomes ready" ready || { tail -n 50 "$log" >&2; exit 1; }

check "load-test.sh refuses a base URL without a scheme" \
  bash -c '! demo-app/bin/load-test.sh localhost:1 2>/dev/null'
check "load-test.sh --quick runs the whole scenario" \
  bash -c "demo-app/bin/load-test.sh --quick '${base}' >'${work}/summary.txt'"
cat "${work}/summary.txt"
# Columns: scenario conc done failed non-2xx ...; the seed's six scenarios, none failed, and only
# the error scenarios answer non-2xx.
summary_ok() {
  awk '$1 == "scenario" { next }
       NF >= 10 {
         rows++
         if ($(NF - 6) != 0) bad = 1
         errors = ($1 == "400" || $1 == "409" || $1 == "500")
         if (errors && $(NF - 5) != $(NF - 7)) bad = 1
         if (!errors && $(NF - 5) != 0) bad = 1
       }
       END { exit !(rows == 6 && !bad) }' "${work}/summary.txt"
}
check "summary has six scenarios, no failed requests, non-2xx only for 400/409/500" summary_ok

conflicts_counted() {
  curl -sf "${base}/metrics" |
    grep '^http_server_requests_seconds_count{' | grep 'status="409"' | grep -q 'uri="/status/{status_code}"'
}
check "/metrics counts the 409s under the route template" conflicts_counted

# promtool exits 1 on a parse error and 3 on lint problems: both fail.
passenger_lint() {
  curl -sf "${base}/passenger_metrics" >"${work}/passenger.prom" || return 1
  promtool check metrics <"${work}/passenger.prom"
}
check "promtool check metrics passes on /passenger_metrics with no lint problem" passenger_lint

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
