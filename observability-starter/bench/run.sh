#!/usr/bin/env bash
# Benchmark (not a test): the same small app with the starter's defaults ("starter") and with every
# starter feature switched off ("baseline"), GET / on the loopback with ab, keep-alive, at 5 and 50
# connections. All apps run at once and are measured alternately, round after round, so that drift of
# a shared machine hits them alike. Prints one Markdown table of median throughput, p99 and the server's
# CPU time per request (from /proc: less sensitive than throughput to other load on a shared machine).
#
#   bash observability-starter/bench/run.sh                 # 5 rounds of 8 s per cell, about 6 minutes
#   ROUNDS=1 DURATION=5 bash observability-starter/bench/run.sh   # short version
#   STARTER_ARGS="--observability.web.access-log.enabled=false" bash ...  # change the starter's side
#   VARIANTS="no-access-log=--observability.web.access-log.enabled=false" bash ...
#       # more apps in the same rounds, each against the same baseline: NAME=ARGS, separated by ";"
#       # (a variant starts from the starter's defaults; "baseline+ARGS" starts from the baseline instead)
#   TRACING=1 bash ...   # two more apps, both sending every request's span (sampling 1.0) over OTLP/HTTP to one
#       # local receiver: "starter+tracing" (the starter's defaults and an endpoint) and "agent" (the baseline with the
#       # OpenTelemetry Java agent attached); prints their startup time and RSS too
set -euo pipefail

module_dir="$(cd "$(dirname "$0")/.." && pwd)"
root_dir="$(cd "${module_dir}/.." && pwd)"
rounds="${ROUNDS:-5}"
duration="${DURATION:-8}"
warmup="${WARMUP:-20}"
concurrencies="${CONCURRENCY:-5 50}"
work_dir="${module_dir}/target/bench"
mkdir -p "${work_dir}"

command -v ab >/dev/null || { echo "ab is missing (Debian: apache2-utils)" >&2; exit 1; }

echo "building the test application and its classpath"
(cd "${root_dir}" && ./mvnw -B -q test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt \
  -pl observability-starter -am >/dev/null)
classpath="${module_dir}/target/test-classes:${module_dir}/target/classes:$(cat "${work_dir}/classpath.txt")"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "${pid}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "${pid}" 2>/dev/null || true
  done
}
trap cleanup EXIT

declare -A port
declare -A pid_of
# JVM options and environment of one app (the agent's), as words.
declare -A jvm_options
declare -A environment
start_app() {
  local name="$1"; shift
  port[${name}]="$(free_port)"
  # shellcheck disable=SC2086 # several options and variables on purpose
  env ${environment[${name}]:-} java -Xms256m -Xmx256m -XX:+UseParallelGC ${jvm_options[${name}]:-} -cp "${classpath}" \
    io.github.obskit.autoconfigure.testapp.TestApplication \
    --server.address=127.0.0.1 --server.port="${port[${name}]}" --spring.application.name=bench \
    "$@" >"${work_dir}/${name}.log" 2>&1 &
  pids+=("$!")
  pid_of[${name}]="$!"
}

cpu_ticks() {
  # utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/PID/stat).
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# The baseline also leaves out Boot's OpenTelemetry tracer (Micrometer Tracing falls back to its no-op tracer).
baseline_args=(
  --observability.metrics.enabled=false --observability.prometheus.enabled=false
  --observability.web.request-id.enabled=false --observability.web.access-log.enabled=false
  --observability.logging.format=plain --observability.tracing.enabled=false
  --spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration
)
# shellcheck disable=SC2086 # STARTER_ARGS holds several arguments on purpose
start_app starter ${STARTER_ARGS:-}
start_app baseline "${baseline_args[@]}"
apps=(starter baseline)
IFS=';' read -r -a variants <<<"${VARIANTS:-}"
for variant in "${variants[@]}"; do
  [ -n "${variant}" ] || continue
  name="${variant%%=*}"
  args="${variant#*=}"
  [[ "${name}" =~ ^[a-z0-9+-]+$ && "${name}" != starter && "${name}" != baseline && "${variant}" == *=* ]] \
    || { echo "bad variant '${variant}': NAME=ARGS, NAME of a-z 0-9 + -, not starter or baseline" >&2; exit 2; }
  # shellcheck disable=SC2086 # ARGS holds several arguments on purpose
  if [[ "${name}" == baseline+* ]]; then
    start_app "${name}" "${baseline_args[@]}" ${args}
  else
    start_app "${name}" ${args}
  fi
  apps+=("${name}")
done
if [ "${TRACING:-0}" = 1 ]; then
  # One OTLP/HTTP receiver for both: answers every export with 200 and drops it.
  receiver_port="$(free_port)"
  python3 - "${receiver_port}" >"${work_dir}/receiver.log" 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
  pids+=("$!")
  agent_version="2.31.0"
  (cd "${root_dir}" && ./mvnw -B -q dependency:get -Dtransitive=false \
    -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:${agent_version}" >/dev/null)
  agent="${HOME}/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/${agent_version}/opentelemetry-javaagent-${agent_version}.jar"
  start_app starter+tracing \
    --management.opentelemetry.tracing.export.otlp.endpoint="http://127.0.0.1:${receiver_port}/v1/traces" \
    --management.tracing.sampling.probability=1.0
  # Traces only, as the starter exports: the agent's metrics and logs exporters are off.
  jvm_options[agent]="-javaagent:${agent}"
  environment[agent]="OTEL_SERVICE_NAME=bench OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${receiver_port}
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=1.0
    OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none"
  start_app agent "${baseline_args[@]}"
  apps+=(starter+tracing agent)
fi

for name in "${apps[@]}"; do
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:${port[${name}]}/" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -sf "http://127.0.0.1:${port[${name}]}/" >/dev/null || { echo "${name} did not start, see ${work_dir}/${name}.log" >&2; exit 1; }
done

measure() {
  local name="$1" connections="$2" seconds="$3" before after
  before="$(cpu_ticks "${pid_of[${name}]}")"
  # -n only caps the count; -t ends the run.
  ab -k -q -c "${connections}" -t "${seconds}" -n 100000000 "http://127.0.0.1:${port[${name}]}/" 2>/dev/null \
    >"${work_dir}/ab.txt"
  after="$(cpu_ticks "${pid_of[${name}]}")"
  awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" '
    /^Requests per second:/ { rps = $4 } /^ +99%/ { p99 = $2 } /^Failed requests:/ { failed = $3 }
    /^Complete requests:/ { done = $3 }
    END { printf "%s %s %s %.0f\n", rps, p99, failed, (done > 0 ? ticks / hz * 1e6 / done : 0) }' \
    "${work_dir}/ab.txt"
}

echo "warming up ${#apps[@]} applications (${warmup} s per application and connection count)"
for connections in ${concurrencies}; do
  for name in "${apps[@]}"; do
    measure "${name}" "${connections}" "${warmup}" >/dev/null
  done
done

results="${work_dir}/results.txt"
: >"${results}"
for round in $(seq 1 "${rounds}"); do
  # Every other round in reverse, so that no app is always measured right after the same one.
  order=("${apps[@]}")
  (( round % 2 == 0 )) && mapfile -t order < <(printf '%s\n' "${apps[@]}" | tac)
  for connections in ${concurrencies}; do
    for name in "${order[@]}"; do
      read -r rps p99 failed cpu < <(measure "${name}" "${connections}" "${duration}")
      echo "round ${round} c=${connections} ${name}: ${rps} req/s, p99 ${p99} ms, ${cpu} µs CPU/request, ${failed} failed"
      echo "${name} ${connections} ${rps} ${p99} ${failed} ${cpu}" >>"${results}"
    done
  done
done

echo
echo "| app | connections | baseline req/s | app req/s | ratio | baseline p99 ms | app p99 ms | baseline CPU µs/req | app CPU µs/req |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for name in "${apps[@]}"; do
  [ "${name}" != baseline ] || continue
  for connections in ${concurrencies}; do
    python3 - "${results}" "${name}" "${connections}" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
app, c = sys.argv[2], sys.argv[3]
def median(name, column):
    return statistics.median(float(r[column]) for r in rows if r[0] == name and r[1] == c)
base, other = median("baseline", 2), median(app, 2)
print(f"| {app} | {c} | {base:.0f} | {other:.0f} | {other / base:.2f} | {median('baseline', 3):.0f}"
      f" | {median(app, 3):.0f} | {median('baseline', 5):.0f} | {median(app, 5):.0f} |")
PY
  done
done
echo
echo "| app | startup s (Boot's \"process running for\", all apps starting together) | RSS MB after the run |"
echo "|---|---:|---:|"
for name in "${apps[@]}"; do
  startup="$(grep -o 'process running for [0-9.]*' "${work_dir}/${name}.log" | head -1 | awk '{ print $4 }')"
  rss="$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/${pid_of[${name}]}/status")"
  echo "| ${name} | ${startup:-?} | ${rss} |"
done
echo
echo "rounds=${rounds} duration=${duration}s warmup=${warmup}s cores=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) java=$(java -version 2>&1 | head -1)"
