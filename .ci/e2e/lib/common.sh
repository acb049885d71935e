# shellcheck shell=bash
# Shared by the end-to-end scripts .ci/e2e/NN-*.sh; source it first:
#   source "$(dirname "$0")/lib/common.sh"
# Sourcing it moves to the repository root, creates the scratch directory $work and installs an EXIT trap that stops
# every process started through this file (by PID, also when the script fails) and then removes $work.
# It lives in lib/ so that .ci/run, which runs .ci/e2e/*.sh, does not run it as a step.

cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
repo="$(pwd)"

passed=0
failed=0
work="$(mktemp -d)"
background_pids=()
passenger_instances=()
exit_hooks=()

# Every HTTP call of the checks is bounded: a server that accepts a connection and never answers must fail a
# check, not hang CI. Exported, so that `bash -c` children use it too.
curl() { command curl --connect-timeout 5 --max-time 30 "$@"; }
export -f curl

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# check DESCRIPTION COMMAND...: one check, passed when the command succeeds.
check() {
  local description=$1
  shift
  if "$@"; then pass "${description}"; else fail "${description}"; fi
}

# check_or_stop DESCRIPTION COMMAND...: a check the remaining ones depend on; when it fails, the script ends here.
check_or_stop() {
  local description=$1
  shift
  if "$@"; then pass "${description}"; else fail_and_stop "${description}"; fi
}

# fail_and_stop DESCRIPTION: a failure the remaining checks cannot run after; ends the script with the closing line.
fail_and_stop() {
  fail "$1"
  summarize || exit 1
}

# summarize: the closing line; its status is the script's result when it is the last command.
summarize() {
  echo "${passed} passed, ${failed} failed"
  [ "${failed}" -eq 0 ]
}

die() {
  echo "$*" >&2
  exit 1
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "${tool}" >/dev/null 2>&1 || die "${tool} is required (see .ci/install-tools.sh)"
  done
}

# build_output GLOB: prints the one file the glob matches, which `./mvnw -B verify` builds.
build_output() {
  local candidate matches=()
  for candidate in $1; do
    if [ -f "${candidate}" ]; then matches+=("${candidate}"); fi
  done
  if [ "${#matches[@]}" -ne 1 ]; then
    echo "expected exactly one file matching $1, found ${#matches[@]} ${matches[*]}; run ./mvnw -B verify first" >&2
    return 1
  fi
  echo "${matches[0]}"
}

# newest_java: the demo app uses virtual threads (Java 21+), so prefer an installed Temurin 25 over the default java.
newest_java() {
  local candidate
  for candidate in /usr/lib/jvm/temurin-25-jdk-*/bin/java "${JAVA_HOME:-/nonexistent}/bin/java"; do
    if [ -x "${candidate}" ]; then
      echo "${candidate}"
      return 0
    fi
  done
  echo java
}

# free_port: a loopback port the kernel reports free right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_background LOG COMMAND...: runs the command in the background with its output in LOG and stops it on exit.
# Its PID is in $! afterwards. The command keeps this function's standard input, so a here-document works.
start_background() {
  local log=$1
  shift
  "$@" <&0 >"${log}" 2>&1 &
  background_pids+=("$!")
}

# start_demo_app PORT LOG [ARGUMENT...]: the demo's exec jar on 127.0.0.1:PORT with the newest JDK; PID in $!.
start_demo_app() {
  local port=$1 log=$2 jar java_bin
  shift 2
  jar="$(build_output 'demo-app/target/demo-app-*-exec.jar')" || return 1
  java_bin="$(newest_java)"
  echo "Starting ${jar} with ${java_bin} on http://127.0.0.1:${port} (log: ${log})"
  start_background "${log}" "${java_bin}" -jar "${jar}" --server.address=127.0.0.1 --server.port="${port}" "$@"
}

# start_ready_demo_app LOG: the demo app on a free port, and a check that it becomes ready, which ends the script
# when it does not; sets demo_url.
start_ready_demo_app() {
  local log=$1 port
  port="$(free_port)"
  demo_url="http://127.0.0.1:${port}"
  start_demo_app "${port}" "${log}"
  if wait_for_url "$!" "${demo_url}/actuator/health/readiness" 90; then
    pass "demo-app becomes ready"
  else
    tail -n 50 "${log}" >&2
    fail_and_stop "demo-app becomes ready"
  fi
}

# wait_for SECONDS DESCRIPTION COMMAND...: retries the command every second until it succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 "${seconds}"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "  timed out after ${seconds}s waiting for ${what}"
  return 1
}

# wait_for_url PID URL SECONDS: until the URL answers 2xx; gives up early when the process has exited.
wait_for_url() {
  local pid=$1 url=$2 seconds=$3
  for _ in $(seq 1 "${seconds}"); do
    curl -sf -o /dev/null "${url}" && return 0
    kill -0 "${pid}" 2>/dev/null || return 1
    sleep 1
  done
  echo "  timed out after ${seconds}s waiting for ${url}"
  return 1
}

# printed_url FILE SECONDS: waits for a program that prints its metrics URL (the exporter's serve) and prints it.
printed_url() {
  local file=$1 seconds=$2 url
  for _ in $(seq 1 $((seconds * 10))); do
    url="$(grep -o 'http://127.0.0.1:[0-9]*/metrics' "${file}" || true)"
    if [ -n "${url}" ]; then
      echo "${url}"
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# require_passenger: the Debian passenger package; missing, it fails under CI and skips elsewhere.
require_passenger() {
  if ! command -v passenger >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
      echo "FAIL: the passenger package is not installed (add it to .ci/install-tools.sh)"
      exit 1
    fi
    echo "SKIP: passenger is not installed (apt-get install --no-install-recommends passenger)"
    exit 0
  fi
  # A registry of our own: the checks must see only the instances this script starts.
  export PASSENGER_INSTANCE_REGISTRY_DIR="${work}/registry"
  mkdir -p "${PASSENGER_INSTANCE_REGISTRY_DIR}"
}

# start_passenger NAME MIN_PROCESSES PORT: a daemonized Passenger Standalone (builtin engine) serving a tiny Rack app
# from $work/NAME, pid file $work/NAME.pid; stopped on exit.
start_passenger() {
  local name=$1 processes=$2 port=$3 app="${work}/$1"
  mkdir -p "${app}/public" "${app}/tmp"
  echo 'run lambda { |env| [200, {"content-type" => "text/plain"}, ["hello\n"]] }' >"${app}/config.ru"
  passenger_instances+=("${name}")
  (cd "${app}" && timeout 120 passenger start --engine=builtin --address 127.0.0.1 --port "${port}" \
    --instance-registry-dir "${PASSENGER_INSTANCE_REGISTRY_DIR}" --min-instances "${processes}" \
    --environment production --daemonize --pid-file "${work}/${name}.pid" --log-file "${work}/${name}.log" \
    >"${work}/${name}.start.log" 2>&1) || { cat "${work}/${name}.start.log" "${work}/${name}.log" 2>/dev/null; return 1; }
}

# passenger_app_pids NAME: the application processes of the test instance NAME, one per line: the descendants of its
# watchdog, so that another Passenger on the host cannot change the answer.
passenger_app_pids() {
  python3 - "$(cat "${work}/$1.pid")" <<'PY'
import os, sys
children, commands = {}, {}
for entry in filter(str.isdigit, os.listdir("/proc")):
    try:
        ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
        command = open(f"/proc/{entry}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
    except (OSError, IndexError, ValueError):
        continue
    children.setdefault(ppid, []).append(int(entry))
    commands[int(entry)] = command
pending = [int(sys.argv[1])]
while pending:
    for child in children.get(pending.pop(), []):
        pending.append(child)
        if commands[child].startswith("Passenger RubyApp"):
            print(child)
PY
}

stop_passenger() {
  local pid_file="${work}/$1.pid"
  [ -f "${pid_file}" ] || return 0
  passenger stop --pid-file "${pid_file}" >/dev/null 2>&1
  rm -f "${pid_file}"
}

# on_exit FUNCTION: runs the function on exit, after the processes are stopped and before $work is removed.
# It sees the script's exit status in $exit_status.
on_exit() {
  exit_hooks+=("$1")
}

stop_background() {
  local pid
  for pid in "${background_pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
  for pid in "${background_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.2; done
    kill -9 "${pid}" 2>/dev/null || true
    wait "${pid}" 2>/dev/null || true
  done
}

cleanup() {
  exit_status=$?
  local name hook
  stop_background
  for name in "${passenger_instances[@]}"; do stop_passenger "${name}" || true; done
  for hook in "${exit_hooks[@]}"; do "${hook}" || true; done
  rm -rf "${work}"
}
trap cleanup EXIT
