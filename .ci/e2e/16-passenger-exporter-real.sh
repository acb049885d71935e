#!/usr/bin/env bash
# Runs the built exporter jar against a real Phusion Passenger (Debian's package, Standalone with the
# builtin engine): textfile and serve over the core API socket, numbers checked against the running
# processes, counters that grow with real requests, and an honest passenger_up 0 once Passenger stops.
# Needs the `passenger` Debian package and the -exporter jar from `./mvnw verify`.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

require_passenger
require_tools curl python3 promtool
jar="$(build_output 'passenger-metrics-lib/target/passenger-metrics-lib-*-exporter.jar')"

sample() { # file, series: prints the value of one sample
  awk -v series="$2" '$1 == series { print $2 }' "$1"
}

processed_sum() { # file
  awk '/^passenger_process_processed_total\{/ { sum += $2 } END { printf "%d\n", sum }' "$1"
}

echo "Passenger: $(passenger --version)"
app_port="$(free_port)"
start_passenger app 2 "$app_port"

echo "== textfile --socket"
# The core API answers before both processes have spawned and their metrics are collected.
for _ in $(seq 1 30); do
  java -jar "$jar" textfile --socket > "$work/textfile.prom" 2> "$work/textfile.err" || true
  [ "$(grep -c '^passenger_process_memory_bytes{' "$work/textfile.prom")" = "2" ] && break
  sleep 1
done
running_pids="$(passenger_app_pids app | sort -n | paste -sd, - || true)"
exported_pids="$(grep -o '^passenger_process_sessions{pid="[0-9]*"' "$work/textfile.prom" | grep -o '[0-9]*' | sort -n | paste -sd, -)"
expected_version="$(passenger --version | grep -o '[0-9][0-9.]*' | head -1)"
check "passenger_up 1" test "$(sample "$work/textfile.prom" passenger_up)" = "1.0"
check "passenger_info names version $expected_version" grep -q "^passenger_info{version=\"$expected_version\"} 1" "$work/textfile.prom"
check "passenger_processes 2" test "$(sample "$work/textfile.prom" passenger_processes)" = "2.0"
check "exported pids are the running app processes ($running_pids)" test "$exported_pids" = "$running_pids"
memory_in_bounds() { # each process: more than 1 MiB (KB were converted) and at most its RSS
  local pid bytes rss_kb
  for pid in ${running_pids//,/ }; do
    bytes="$(grep "^passenger_process_memory_bytes{pid=\"$pid\"" "$work/textfile.prom" | awk '{ printf "%d", $2 }')"
    rss_kb="$(ps -o rss= -p "$pid" | tr -d ' ')"
    echo "    pid $pid: passenger_process_memory_bytes=$bytes, ps rss=${rss_kb} KB"
    [ -n "$bytes" ] && [ "$bytes" -gt 1048576 ] && [ "$bytes" -le $((rss_kb * 1024 * 11 / 10)) ] || return 1
  done
}
check "memory is in bytes and within each process's RSS" memory_in_bounds
check "no instance label" bash -c "! grep -q 'instance=' '$work/textfile.prom'"

echo "== serve --socket"
start_background "$work/serve.out" java -jar "$jar" serve --port 0 --bind 127.0.0.1 --socket --cache-ttl 1s
url="$(printed_url "$work/serve.out" 10 || true)"
check "serve prints its URL" test -n "$url"
if [ -n "$url" ]; then
  curl -fsS "$url" -o "$work/before.prom"
  before="$(processed_sum "$work/before.prom")"
  for _ in $(seq 1 20); do curl -fsS "http://127.0.0.1:$app_port/" > /dev/null; done
  # The exporter answers from its 1 s cache: scrape until a read after the requests shows them.
  grown() {
    curl -fsS "$url" -o "$work/after.prom" && [ "$(processed_sum "$work/after.prom")" -ge $((before + 20)) ]
  }
  wait_for 10 "processed_total to show the 20 requests" grown || true
  after="$(processed_sum "$work/after.prom")"
  echo "    sum of passenger_process_processed_total: $before before, $after after 20 requests"
  check "processed_total grew by the 20 requests" test "$after" -ge $((before + 20))
  check "served exposition passes promtool check metrics" bash -c "promtool check metrics < '$work/after.prom'"
fi

echo "== Passenger stopped"
stop_passenger app
rc=0
java -jar "$jar" textfile --socket > "$work/down.prom" 2> "$work/down.err" || rc=$?
sed 's/^/    /' "$work/down.err"
check "textfile exits 1" test "$rc" = "1"
check "textfile still prints passenger_up 0" test "$(sample "$work/down.prom" passenger_up)" = "0.0"
check "the error counter names the reason no_instance" \
  test "$(sample "$work/down.prom" 'passenger_scrape_errors_total{reason="no_instance"}')" = "1.0"
if [ -n "$url" ]; then
  reports_down() {
    curl -fsS "$url" -o "$work/down-served.prom" && [ "$(sample "$work/down-served.prom" passenger_up)" = "0.0" ]
  }
  wait_for 10 "serve to read the stopped instance" reports_down || true
  check "serve reports passenger_up 0 and keeps answering" test "$(sample "$work/down-served.prom" passenger_up)" = "0.0"
  check "serve drops the process series of the stopped instance" \
    bash -c "! grep -q '^passenger_process_' '$work/down-served.prom'"
fi

summarize
