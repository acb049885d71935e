#!/usr/bin/env bash
# Real-browser check of the API docs: starts the built demo-app jar, loads /docs in headless Chromium and checks
# that Scalar rendered the OpenAPI document (text that exists only in /docs/openapi.json, not in the HTML page).
# Needs: the exec jar from `./mvnw verify`, curl, chromium. Keeps demo-app/target/docs-screenshot.png.
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
jar=${jars[0]}

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then
    browser=$candidate
    break
  fi
done
if [ -z "$browser" ]; then
  echo "Chromium is not installed (Debian: apt-get install chromium)." >&2
  exit 1
fi
command -v curl >/dev/null 2>&1 || { echo "curl is not installed." >&2; exit 1; }

# Virtual threads need Java 21+: prefer a Temurin 25 JDK when one is installed.
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
log=demo-app/target/docs-browser-app.log
echo "Starting ${jar} with ${java_bin} on ${base} (log: ${log})"
"$java_bin" -jar "$jar" --server.port="$port" --server.address=127.0.0.1 >"$log" 2>&1 &
app_pid=$!

healthy() {
  for _ in $(seq 90); do
    if curl -sf "${base}/actuator/health/readiness" >/dev/null; then
      return 0
    fi
    kill -0 "$app_pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}
check "demo-app becomes ready" healthy || { tail -n 50 "$log" >&2; exit 1; }

title=$(curl -sf "${base}/docs/openapi.json" | grep -o '"info":{"title":"[^"]*"' | head -n 1 | cut -d '"' -f 6 || true)
check "OpenAPI document has a title (${title:-none})" test -n "$title"

browse() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$work")" --virtual-time-budget=5000 --window-size=1280,900 "$@" \
    2>>"$work/browser.log"
}

browse --dump-dom "${base}/docs" >"$work/dom.html" || true
check "rendered page shows the API title" grep -q ">${title}<" "$work/dom.html"
check "rendered page shows the description from the OpenAPI document" \
  grep -q "status codes and delays on demand" "$work/dom.html"
check "rendered page lists the /status operation" grep -q "Answer with the given status code" "$work/dom.html"

screenshot=demo-app/target/docs-screenshot.png
rm -f "$screenshot"
browse --screenshot="$PWD/$screenshot" "${base}/docs" >/dev/null || true
is_png() { [ -s "$screenshot" ] && [ "$(head -c 8 "$screenshot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
check "screenshot saved to ${screenshot}" is_png

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
