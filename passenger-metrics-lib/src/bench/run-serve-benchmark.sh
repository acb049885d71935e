#!/usr/bin/env bash
# Scrape latency of `serve` over a status of 200 processes (4 applications × 50), and the size of
# each exporter jar given. Every scrape reads and parses the status (--cache-ttl 1ms), as with a
# Prometheus scrape interval longer than the cache; Prometheus' own headers (OpenMetrics, gzip).
#
#   passenger-metrics-lib/src/bench/run-serve-benchmark.sh OLD.jar NEW.jar
#
# Prints the wall-clock latency seen by curl and the exporter's CPU time per scrape (utime + stime
# of the JVM from /proc, which a loaded machine disturbs far less than the wall clock). Give the
# jars several times, alternating, to compare them in the same conditions.
#
# Not a test: the figures depend on the machine. Needs curl, Linux /proc, and java on the PATH.
set -euo pipefail

warmup=${WARMUP:-300}
scrapes=${SCRAPES:-1000}
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

status="$work/status.xml"
{
  printf '<?xml version="1.0" encoding="iso8859-1" ?>\n<info version="3">'
  printf '<passenger_version>6.1.2</passenger_version><group_count>4</group_count>'
  printf '<process_count>200</process_count><max>200</max><capacity_used>200</capacity_used>'
  printf '<get_wait_list_size>0</get_wait_list_size><supergroups>'
  pid=10000
  for app in shop api backoffice reports; do
    printf '<supergroup><name>/var/www/%s (production)</name><state>READY</state>' "$app"
    printf '<capacity_used>50</capacity_used><group default="true"><name>/var/www/%s (production)</name>' "$app"
    printf '<get_wait_list_size>0</get_wait_list_size><processes>'
    for _ in $(seq 50); do
      pid=$((pid + 7))
      printf '<process><pid>%d</pid><sessions>1</sessions><processed>%d</processed>' "$pid" "$pid"
      printf '<spawn_end_time>1773712398264747</spawn_end_time><has_metrics>true</has_metrics>'
      printf '<cpu>12</cpu><real_memory>484884</real_memory><rss>509528</rss><swap>0</swap></process>'
    done
    printf '</processes></group></supergroup>'
  done
  printf '</supergroups></info>\n'
} >"$status"

measure() {
  local jar="$1" out="$work/out.$RANDOM" url=""
  java -Xmx64m -XX:+UseSerialGC -jar "$jar" serve --file "$status" --bind 127.0.0.1 --port 0 \
    --cache-ttl 1ms >"$out" 2>&1 &
  pids+=("$!")
  for _ in $(seq 100); do
    url="$(grep -o 'http://127.0.0.1:[0-9]*/metrics' "$out" || true)"
    [[ -n "$url" ]] && break
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "serve did not start: $(cat "$out")" >&2; exit 1; }
  scrape() {
    curl -s -o /dev/null -w '%{time_total}\n' --compressed \
      -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' "$url"
  }
  cpu_ticks() { awk '{ print $14 + $15 }' "/proc/${pids[-1]}/stat"; }
  for _ in $(seq "$warmup"); do scrape >/dev/null; done
  local before after
  before="$(cpu_ticks)"
  for _ in $(seq "$scrapes"); do scrape; done >"$work/latencies"
  after="$(cpu_ticks)"
  sort -n "$work/latencies" | awk -v jar="$(basename "$jar")" -v ticks=$((after - before)) \
    -v hz="$(getconf CLK_TCK)" '
    { t[NR] = $1 * 1000; sum += $1 * 1000 }
    END { printf "%-40s mean %.2f ms  p50 %.2f  p90 %.2f  p99 %.2f  cpu %.2f ms/scrape (n=%d)\n",
          jar, sum / NR, t[int(NR * 0.5)], t[int(NR * 0.9)], t[int(NR * 0.99)],
          ticks * 1000 / hz / NR, NR }'
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
  printf '%-40s %d bytes\n' "$(basename "$jar") size" "$(stat -c %s "$jar")"
}

for jar in "$@"; do
  measure "$jar"
done
