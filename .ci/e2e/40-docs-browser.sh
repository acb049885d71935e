#!/usr/bin/env bash
# Real-browser check of the API docs: starts the built demo-app jar, loads /docs in headless Chromium and checks
# that Scalar rendered the OpenAPI document (text that exists only in /docs/openapi.json, not in the HTML page).
# Needs: the exec jar from `./mvnw verify`, curl, python3, chromium. Keeps demo-app/target/docs-screenshot.png.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then
    browser=$candidate
    break
  fi
done
[ -n "$browser" ] || die "Chromium is not installed (Debian: apt-get install chromium)."
require_tools curl python3

start_ready_demo_app demo-app/target/docs-browser-app.log
base=$demo_url

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

summarize
