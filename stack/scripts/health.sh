#!/usr/bin/env bash
# Prints ✓ or ✗ for every service of the obskit stack, checked from this host through the published ports,
# and exits non-zero when one of them is down.
#
#   SHIPPER=alloy|promtail|none   which log shipper to expect (default: alloy)
#   HA=true|false                 also expect the second instances of docker-compose.ha.yml (default: false)
#   HEALTH_WAIT=SECONDS           keep retrying for up to this long before reporting (default: 0)
#   <NAME>_URL                    override one check, e.g. GRAFANA_URL=http://10.0.0.5:3000/api/health
set -uo pipefail

shipper="${SHIPPER:-alloy}"
ha="${HA:-false}"
wait_seconds="${HEALTH_WAIT:-0}"

names=(backend prometheus alertmanager loki grafana)
urls=(
  "${BACKEND_URL:-http://127.0.0.1:8080/actuator/health/readiness}"
  "${PROMETHEUS_URL:-http://127.0.0.1:9090/-/ready}"
  "${ALERTMANAGER_URL:-http://127.0.0.1:9093/-/ready}"
  "${LOKI_URL:-http://127.0.0.1:3100/ready}"
  "${GRAFANA_URL:-http://127.0.0.1:3000/api/health}"
)
case "${shipper}" in
  alloy) names+=(alloy); urls+=("${ALLOY_URL:-http://127.0.0.1:12345/-/ready}") ;;
  promtail) names+=(promtail); urls+=("${PROMTAIL_URL:-http://127.0.0.1:9080/ready}") ;;
  none) ;;
  *) echo "health: SHIPPER must be alloy, promtail or none, not '${shipper}'" >&2; exit 2 ;;
esac
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

check_all() {
  results=()
  failed=0
  local i
  for i in "${!names[@]}"; do
    if curl -fsS -o /dev/null --connect-timeout 2 --max-time 5 "${urls[$i]}" 2>/dev/null; then
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

for i in "${!names[@]}"; do
  printf '%s %-13s %s\n' "${results[$i]}" "${names[$i]}" "${urls[$i]}"
done
if [ "${failed}" -gt 0 ]; then
  echo "${failed} of ${#names[@]} services down"
  exit 1
fi
echo "all ${#names[@]} services up"
