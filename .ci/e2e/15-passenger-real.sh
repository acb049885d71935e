#!/usr/bin/env bash
# Reads a real Phusion Passenger (Debian's package, Standalone with the builtin engine) through the
# library's core API socket source and its passenger-status command source: instance discovery,
# ro_admin auth, the numbers against the processes really running, several instances, no instance.
# Needs the `passenger` Debian package and passenger-metrics-lib/target/classes from `./mvnw verify`.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

require_passenger
require_tools python3
classes="passenger-metrics-lib/target/classes"
[ -d "$classes/io/github/obskit/passenger/status" ] || die "FAIL: run ./mvnw verify first"

read_status() { # [instance name]
  java -cp "$classes" passenger-metrics-lib/src/test/e2e/RealPassengerCheck.java "$@" 2>&1
}

field() { # line, key
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

instance_name() { # watchdog pid
  local props
  for props in "$PASSENGER_INSTANCE_REGISTRY_DIR"/passenger.*/properties.json; do
    python3 -c 'import json, sys; p = json.load(open(sys.argv[1]));
if str(p["watchdog_pid"]) == sys.argv[2]: print(p["name"])' "$props" "$1"
  done
}

echo "Passenger: $(passenger --version)"
echo "== no instance running"
out="$(read_status)"
check "socket source reports NO_INSTANCE" grep -q '^socket error NO_INSTANCE' <<<"$out"
check "command source reports NO_INSTANCE" grep -q '^command error NO_INSTANCE' <<<"$out"

echo "== one instance with 2 processes"
start_passenger app1 2 "$(free_port)"
# The core API answers before the processes have spawned and their metrics are collected.
for _ in $(seq 1 30); do
  out="$(read_status)"
  [ "$(field "$(grep '^socket ok' <<<"$out" || true)" with_memory)" = "2" ] && break
  sleep 1
done
sed 's/^/    /' <<<"$out"
socket_line="$(grep '^socket ok' <<<"$out" || true)"
command_line="$(grep '^command ok' <<<"$out" || true)"
running_pids="$(passenger_app_pids app1 | sort | paste -sd, - || true)"
expected_version="$(passenger --version | grep -o '[0-9][0-9.]*' | head -1)"
check "socket source reads the status" test -n "$socket_line"
check "command source reads the status" test -n "$command_line"
check "version is $expected_version" test "$(field "$socket_line" version)" = "$expected_version"
check "2 processes reported" test "$(field "$socket_line" processes)" = "2"
check "reported pids are the running app processes ($running_pids)" \
  test "$(field "$socket_line" pids)" = "$running_pids"
check "memory known for both processes" test "$(field "$socket_line" with_memory)" = "2"
check "command and socket agree on the pids" \
  test "$(field "$command_line" pids)" = "$(field "$socket_line" pids)"

echo "== two instances"
start_passenger app2 1 "$(free_port)"
out="$(read_status)"
check "socket source refuses to guess: MULTIPLE_INSTANCES" \
  grep -q '^socket error MULTIPLE_INSTANCES' <<<"$out"
check "command source names the fix" \
  grep -q '^command error MULTIPLE_INSTANCES .*passenger-status --show=xml <name>' <<<"$out"
name="$(instance_name "$(cat "$work/app2.pid")")"
echo "    second instance: ${name:-not found}"
check "second instance found by its watchdog pid" test -n "$name"
# As above: the instance answers before its process has spawned.
for _ in $(seq 1 30); do
  out="$(read_status "$name")"
  [ "$(field "$(grep '^socket ok' <<<"$out" || true)" processes)" = "1" ] && break
  sleep 1
done
sed 's/^/    /' <<<"$out"
check "socket source reads the instance named $name" grep -q '^socket ok .* processes=1 ' <<<"$out"
check "command source reads the instance named $name" grep -q '^command ok .* processes=1 ' <<<"$out"

summarize
