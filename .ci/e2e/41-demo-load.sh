#!/usr/bin/env bash
# Runs the demo's load scenario (quick mode) against the built exec jar and checks that the script works end to end
# and that the requests it sent show up in /metrics; lints the Passenger scrape with promtool.
# Needs: the exec jar from `./mvnw verify`, curl, python3, ab (apache2-utils), promtool (prometheus). No timing assertions.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

require_tools curl python3 ab promtool

start_ready_demo_app demo-app/target/demo-load-app.log
base=$demo_url

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

summarize
