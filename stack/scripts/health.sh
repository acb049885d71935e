#!/usr/bin/env bash
# Prints ✓ or ✗ for every service of the obskit stack, checked from this host through the published ports, and for
# whether its logs reach Loki; exits non-zero when a check fails.
#
#   SHIPPER=alloy|promtail|none   which log shipper to expect (default: alloy); with one, also check that Loki holds
#                                 log lines of this stack from the last hour ("logs")
#   HA=true|false                 also expect the second instances of docker-compose.ha.yml (default: false)
#   HEALTH_WAIT=SECONDS           keep retrying for up to this long before reporting (default: 0)
#   <NAME>_URL                    override one check, e.g. GRAFANA_URL=http://10.0.0.5:3000/api/health
#   LOKI_QUERY_URL                Loki's query endpoint for the "logs" check
#                                 (default: http://127.0.0.1:3100/loki/api/v1/query)
set -uo pipefail

shipper="${SHIPPER:-alloy}"
ha="${HA:-false}"
wait_seconds="${HEALTH_WAIT:-0}"

names=(backend prometheus alertmanager loki tempo grafana)
urls=(
  "${BACKEND_URL:-http://127.0.0.1:8080/actuator/health/readiness}"
  "${PROMETHEUS_URL:-http://127.0.0.1:9090/-/ready}"
  "${ALERTMANAGER_URL:-http://127.0.0.1:9093/-/ready}"
  "${LOKI_URL:-http://127.0.0.1:3100/ready}"
  "${TEMPO_URL:-http://127.0.0.1:3200/ready}"
  "${GRAFANA_URL:-http://127.0.0.1:3000/api/health}"
)
case "${shipper}" in
  alloy) names+=(alloy); urls+=("${ALLOY_URL:-http://127.0.0.1:12345/-/ready}") ;;
  promtail) names+=(promtail); urls+=("${PROMTAIL_URL:-http://127.0.0.1:9080/ready}") ;;
  none) ;;
  *) echo "health: SHIPPER must be alloy, promtail or none, not '${shipper}'" >&2; exit 2 ;;
esac
# A shipper that runs but keeps no container ships nothing and stays healthy: it keeps only the containers of the
# compose project that COMPOSE_PROJECT_NAME names, and -p or a renamed folder give the containers another project.
# The stack logs on its own (Grafana's cleanup job every 10 minutes, for one), so an hour without a line from any of
# its services means that nothing is shipped; an idle backend alone may well be quiet for an hour.
logs_query='sum(count_over_time({service=~".+"}[1h]))'
if [ "${shipper}" != none ]; then
  names+=(logs)
  urls+=("${LOKI_QUERY_URL:-http://127.0.0.1:3100/loki/api/v1/query}")
fi
case "${ha}" in
  true)
    names+=(prometheus-b alertmanager-b)
    urls+=("${PROMETHEUS_B_URL:-http://127.0.0.1:9091/-/ready}" "${ALERTMANAGER_B_URL:-http://127.0.0.1:9095/-/ready}")
    ;;
  false) ;;
  *) echo "health: HA must be true or false, not '${ha}'" >&2; exit 2 ;;
esac

if ! command -v curl >/dev/null 2>&1; then
  echo "health: curl is required (see 'make check-deps')" >&2
  exit 2
fi

# logs_shipped URL: Loki answers the query with a sample, so some service of the stack has logged in the last hour.
logs_shipped() {
  local body
  body="$(curl -fsS --connect-timeout 2 --max-time 5 -G --data-urlencode "query=${logs_query}" "$1" 2>/dev/null)" \
    && grep -q '"result": *\[ *{' <<< "${body}"
}

check_one() {
  if [ "$1" = logs ]; then
    logs_shipped "$2"
  else
    curl -fsS -o /dev/null --connect-timeout 2 --max-time 5 "$2" 2>/dev/null
  fi
}

check_all() {
  results=()
  failed=0
  local i
  for i in "${!names[@]}"; do
    if check_one "${names[$i]}" "${urls[$i]}"; then
      results+=("✓")
    else
      results+=("✗")
      failed=$((failed + 1))
    fi
  done
}

deadline=$((SECONDS + wait_seconds))
check_all
while [ "${failed}" -gt 0 ] && [ "${SECONDS}" -lt "${deadline}" ]; do
  sleep 3
  check_all
done

loki_up=false
for i in "${!names[@]}"; do
  shown="${urls[$i]}"
  [ "${names[$i]}" = logs ] && shown="${shown} ${logs_query}"
  printf '%s %-13s %s\n' "${results[$i]}" "${names[$i]}" "${shown}"
  [ "${names[$i]}" = loki ] && [ "${results[$i]}" = "✓" ] && loki_up=true
done
for i in "${!names[@]}"; do
  if [ "${names[$i]}" = logs ] && [ "${results[$i]}" = "✗" ] && [ "${loki_up}" = true ]; then
    echo "logs: Loki is up but holds no line of this stack from the last hour. The ${shipper} container keeps only"
    echo "  containers of the compose project COMPOSE_PROJECT_NAME names (default: stack); started with -p or from a"
    echo "  renamed folder, the stack is another project. See stack/README.md, Troubleshooting."
  fi
done
if [ "${failed}" -gt 0 ]; then
  echo "${failed} of ${#names[@]} checks failed"
  exit 1
fi
echo "all ${#names[@]} checks passed"
