#!/usr/bin/env bash
# Runs `./mvnw -B verify` several times in a row while stress-ng keeps every core busy, to show that no test depends
# on timing: a test that waits a fixed time, or reads what another thread is still writing, fails here sooner or later.
#
#   .ci/stress-verify.sh                                     # the whole build, ten times
#   .ci/stress-verify.sh 3 -pl observability-starter -am     # three times, one module and what it needs
#   .ci/stress-verify.sh 2 -Pe2e -pl demo-app -am            # the end-to-end tests too
#
# The first argument is the number of runs (default 10); the others go to Maven after `-B verify`. Prove whole
# modules: a -Dtest filter replaces their own includes and excludes (stack's archive tests run only after package).
# STRESS_WORKERS sets stress-ng's CPU workers (default: one per core). Installs Debian's stress-ng when missing.
# Prints each run's result and time, keeps each run's output in target/stress-verify/run-N.log, stops stress-ng on
# exit (also on Ctrl-C) and exits non-zero if a run failed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
shift || true
case "$runs" in
  '' | *[!0-9]* | 0)
    echo "usage: $0 [RUNS] [MAVEN ARGUMENTS...] (RUNS a positive number, not '$runs')" >&2
    exit 2
    ;;
esac
workers=${STRESS_WORKERS:-$(nproc)}

if ! command -v stress-ng >/dev/null 2>&1; then
  echo "Installing stress-ng (Debian package stress-ng)..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q stress-ng >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q stress-ng >/dev/null; }
fi

logs=target/stress-verify
mkdir -p "$logs"

stress-ng --cpu "$workers" --timeout 0 --quiet &
stress_pid=$!
stop_load() {
  kill "$stress_pid" 2>/dev/null || true
  wait "$stress_pid" 2>/dev/null || true
}
trap stop_load EXIT
trap 'exit 130' INT TERM

echo "stress-ng --cpu $workers (pid $stress_pid); $runs run(s) of ./mvnw -B verify $*"
failed=0
for run in $(seq 1 "$runs"); do
  log="$logs/run-$run.log"
  start=$SECONDS
  if ./mvnw -B verify "$@" >"$log" 2>&1; then
    result=PASS
  else
    result=FAIL
    failed=$((failed + 1))
  fi
  tests=$(grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures' "$log" | grep -v ' -- in ' \
    | awk -F'[ ,]+' '{ t += $4; f += $6 + $8; s += $10 } END { printf "%d tests, %d failed, %d skipped", t, f, s }' \
    || true)
  printf 'run %d/%d: %s in %ds (%s; load %s) %s\n' "$run" "$runs" "$result" $((SECONDS - start)) "$tests" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$log"
  if [ "$result" = FAIL ]; then
    grep -E '^\[ERROR\] (Tests run:|  [A-Za-z].*(»|:[0-9]+ ))' "$log" | head -n 20 | sed 's/^/    /' || true
  fi
done

echo "$((runs - failed)) of $runs run(s) passed under stress-ng --cpu $workers"
[ "$failed" -eq 0 ]
