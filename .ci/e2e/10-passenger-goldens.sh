#!/usr/bin/env bash
# Lints the Passenger metrics with promtool: the golden .prom files of passenger-metrics-lib and the
# live output of the built exporter jar (textfile and serve). Needs `./mvnw verify` to have run.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

# lint NAME FILE: promtool must parse the file and report no problem at all.
lint() {
  local name="$1" file="$2" output rc=0
  output=$(promtool check metrics < "$file" 2>&1) || rc=$?
  if [[ $rc -ne 0 ]]; then
    fail "$name: promtool check metrics (exit $rc): $output"
  else
    pass "$name: promtool check metrics"
  fi
}

# http_get URL ACCEPT BODY_FILE HEADERS_FILE: curl when installed, else bash's /dev/tcp (HTTP/1.0).
http_get() {
  local url="$1" accept="$2" body="$3" headers="$4"
  if command -v curl > /dev/null; then
    curl -fsS -H "Accept: $accept" "$url" -o "$body" -D "$headers"
    return
  fi
  local hostport="${url#http://}" path
  path="/${hostport#*/}"
  hostport="${hostport%%/*}"
  exec 3<> "/dev/tcp/${hostport%:*}/${hostport#*:}"
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\nAccept: %s\r\n\r\n' "$path" "$hostport" "$accept" >&3
  local response
  response=$(cat <&3 | tr -d '\r')
  exec 3>&-
  sed '/^$/q' <<< "$response" > "$headers"
  sed '1,/^$/d' <<< "$response" > "$body"
}

echo "== golden files"
shopt -s nullglob
goldens=(passenger-metrics-lib/src/test/resources/golden/*.prom)
if [[ ${#goldens[@]} -eq 0 ]]; then
  fail "no golden .prom files found"
fi
for golden in "${goldens[@]}"; do
  lint "$(basename "$golden")" "$golden"
done
if grep -q '^passenger_up 0' passenger-metrics-lib/src/test/resources/golden/read-failure.prom; then
  pass "read-failure.prom reports passenger_up 0"
else
  fail "read-failure.prom does not report passenger_up 0"
fi
if grep -h 'instance=' "${goldens[@]}"; then
  fail "a golden file carries an instance label"
else
  pass "no instance label in the golden files"
fi

echo "== exporter jar"
jar="$(build_output 'passenger-metrics-lib/target/passenger-metrics-lib-*-exporter.jar')" ||
  fail_and_stop "expected one passenger-metrics-lib-*-exporter.jar in target/ (run ./mvnw verify first)"

for scenario in normal overloaded; do
  if java -jar "$jar" textfile --simulate "$scenario" > "$work/$scenario.prom"; then
    lint "textfile --simulate $scenario" "$work/$scenario.prom"
  else
    fail "textfile --simulate $scenario exited non-zero"
  fi
done
if [[ $(grep -c '^passenger_process_memory_bytes{' "$work/overloaded.prom") -ge 12 ]]; then
  pass "overloaded simulation exposes a full pool of processes"
else
  fail "overloaded simulation has fewer than 12 process series"
fi

# promtool passes an empty exposition: each capture must also read as a healthy status with process series.
for fixture in passenger-metrics-lib/src/test/resources/fixtures/*.xml; do
  rc=0
  java -jar "$jar" textfile --file "$fixture" > "$work/fixture.prom" 2> "$work/fixture.err" || rc=$?
  if [[ $rc -eq 0 ]] && grep -q '^passenger_up 1' "$work/fixture.prom" \
      && grep -q '^passenger_process_processed_total{' "$work/fixture.prom"; then
    lint "textfile --file $(basename "$fixture")" "$work/fixture.prom"
  else
    fail "textfile --file $(basename "$fixture"): exit $rc, no healthy status with process series: $(cat "$work/fixture.err")"
  fi
done

rc=0
java -jar "$jar" textfile --file "$work/missing.xml" > "$work/failed.prom" 2> "$work/failed.err" || rc=$?
if [[ $rc -eq 1 ]] && grep -q '^passenger_up 0' "$work/failed.prom" && grep -q 'cannot read the Passenger status' "$work/failed.err"; then
  pass "a failed read exits 1, prints passenger_up 0 and names the cause"
else
  fail "a failed read: exit $rc, $(cat "$work/failed.err")"
fi
lint "textfile of a failed read" "$work/failed.prom"

rc=0
java -jar "$jar" textfile --no-such-option > /dev/null 2> "$work/usage.err" || rc=$?
if [[ $rc -eq 2 ]] && grep -q "unknown option '--no-such-option'" "$work/usage.err"; then
  pass "an unknown option exits 2 with usage"
else
  fail "an unknown option: exit $rc"
fi

echo "== serve"
start_background "$work/serve.out" java -jar "$jar" serve --port 0 --bind 127.0.0.1 --simulate overloaded
url="$(printed_url "$work/serve.out" 10 || true)"
if [[ -z "$url" ]]; then
  fail "serve did not start: $(cat "$work/serve.out")"
else
  http_get "$url" 'text/plain' "$work/served.prom" "$work/served.headers"
  lint "GET /metrics" "$work/served.prom"
  if grep -qi '^content-type: text/plain; version=0.0.4' "$work/served.headers"; then
    pass "GET /metrics answers text format 0.0.4"
  else
    fail "GET /metrics content type: $(grep -i content-type "$work/served.headers")"
  fi
  http_get "$url" 'application/openmetrics-text; version=1.0.0' "$work/served.om" "$work/served.om.headers"
  if grep -qi '^content-type: application/openmetrics-text' "$work/served.om.headers" && tail -n 1 "$work/served.om" | grep -q '^# EOF'; then
    pass "GET /metrics negotiates OpenMetrics"
  else
    fail "OpenMetrics negotiation"
  fi
fi

summarize
