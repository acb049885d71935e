#!/usr/bin/env bash
# End-to-end proof of grafana-dashboards against real programs: promtool over the rule library, then the demo app
# (Passenger simulator overloaded) and a second demo as a healthy Passenger host (simulator normal), Debian's Prometheus with the stack's prometheus.yml and Alertmanager with the
# stack's alertmanager.yml, both rewritten to loopback test ports, and a local webhook sink. Checks that every target
# is up, every rule evaluates, every dashboard query returns data, PassengerHighWaitQueue fires for the overloaded host
# only and reaches the webhook, the Watchdog reaches the dead man's switch receiver, and the inhibit rules silence only
# the same application's warning (and a job down as a whole only its own targets' warnings).
# Needs: the demo exec jar from `./mvnw -B verify`, prometheus, prometheus-alertmanager, promtool, amtool, python3, curl.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

require_tools prometheus prometheus-alertmanager promtool amtool python3 curl
jar="$(build_output 'demo-app/target/demo-app-*-exec.jar')" || exit 1
for f in stack/prometheus/prometheus.yml stack/alertmanager/alertmanager.yml; do
  [ -f "${f}" ] || die "30-prometheus-e2e: ${f} is missing"
done

show_logs_after_failure() {
  if [ "${exit_status}" -ne 0 ] || [ "${failed}" -ne 0 ]; then
    for log in app healthy prometheus alertmanager sink; do
      [ -s "${work}/${log}.log" ] && { echo "--- last lines of ${log}.log"; tail -n 20 "${work}/${log}.log"; }
    done
  fi
}
on_exit show_logs_after_failure

echo "== promtool over the rule library"
if out="$(promtool check rules grafana-dashboards/rules/*.rules.yml 2>&1)"; then
  pass "promtool check rules: $(grep -c SUCCESS <<<"${out}") files"
else
  fail "promtool check rules: ${out}"
fi
if out="$(promtool test rules grafana-dashboards/rules/tests/*.test.yml 2>&1)"; then
  pass "promtool test rules: $(grep -c SUCCESS <<<"${out}") test files"
else
  fail "promtool test rules: ${out}"
fi

app_port="$(free_port)"
healthy_port="$(free_port)"
prom_port="$(free_port)"
am_port="$(free_port)"
sink_port="$(free_port)"
app="http://127.0.0.1:${app_port}"
prom="http://127.0.0.1:${prom_port}"

echo "== test configuration (rewritten copies in ${work})"
# The shipped rules with every `for:` shortened, so alerts fire within the test's time; the shipped files stay as they are.
mkdir "${work}/rules"
for rules in grafana-dashboards/rules/*.rules.yml; do
  sed -E 's/^([[:space:]]+for:)[[:space:]].*$/\1 5s/' "${rules}" > "${work}/rules/$(basename "${rules}")"
done
sed -E -e "s/localhost:9090/127.0.0.1:${prom_port}/g" \
       -e "s/alertmanager:9093/127.0.0.1:${am_port}/g" \
       -e "s/backend:8080/127.0.0.1:${app_port}/g" \
       -e "s#/etc/prometheus/rules/#${work}/rules/#g" \
       -e 's/(scrape_interval|evaluation_interval|scrape_timeout):.*$/\1: 2s/' \
       -e 's/\$\{PROMETHEUS_REPLICA\}/e2e/' \
       stack/prometheus/prometheus.yml > "${work}/prometheus.yml"
# The passenger job scrapes the healthy host as its second target.
python3 - "${work}/prometheus.yml" "127.0.0.1:${app_port}" "127.0.0.1:${healthy_port}" <<'PY'
import sys
path, overloaded, healthy = sys.argv[1:]
text = open(path).read()
job = text.index("job_name: passenger")
target = f'["{overloaded}"]'
at = text.index(target, job)
open(path, "w").write(text[:at] + f'["{overloaded}", "{healthy}"]' + text[at + len(target):])
PY
if grep -nE 'localhost:9090|alertmanager:9093|backend:8080|/etc/prometheus' "${work}/prometheus.yml"; then
  fail "prometheus.yml: the lines above were not rewritten to the test ports"
elif out="$(promtool check config "${work}/prometheus.yml" 2>&1)"; then
  pass "stack prometheus.yml rewritten to ports ${prom_port}/${am_port}/${app_port} and accepted by promtool"
else
  fail "rewritten prometheus.yml: ${out}"
fi
sed -E -e "s#https?://alert-receiver\.invalid:9000#http://127.0.0.1:${sink_port}#g" \
       -e 's/(group_wait):.*$/\1: 1s/' -e 's/(group_interval):.*$/\1: 2s/' -e 's/(repeat_interval):.*$/\1: 1m/' \
       stack/alertmanager/alertmanager.yml > "${work}/alertmanager.yml"
if grep -n 'alert-receiver.invalid' "${work}/alertmanager.yml"; then
  fail "alertmanager.yml: the webhook URLs above were not rewritten to the sink"
elif out="$(amtool check-config "${work}/alertmanager.yml" 2>&1)"; then
  pass "stack alertmanager.yml rewritten to the webhook sink on ${sink_port} and accepted by amtool"
else
  fail "rewritten alertmanager.yml: ${out}"
fi

echo "== starting the webhook sink, the demo app, Alertmanager and Prometheus"
start_background "${work}/sink.log" python3 - "${sink_port}" "${work}/webhook.jsonl" <<'PY'
import http.server, sys

port, path = int(sys.argv[1]), sys.argv[2]

class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(path, "ab") as out:
            out.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("sink: " + fmt % args + "\n")

http.server.HTTPServer(("127.0.0.1", port), Sink).serve_forever()
PY

# A small heap so that garbage collections (and so the GC panels' series) happen during the test.
start_background "${work}/app.log" "$(newest_java)" -Xmx256m -jar "${jar}" \
  --server.address=127.0.0.1 --server.port="${app_port}" --observability.metrics.env=e2e \
  --observability.passenger.enabled=true \
  --observability.passenger.simulator.scenario=overloaded
app_pid=$!
start_background "${work}/healthy.log" "$(newest_java)" -Xmx256m -jar "${jar}" \
  --server.address=127.0.0.1 --server.port="${healthy_port}" --observability.metrics.env=e2e \
  --observability.passenger.enabled=true \
  --observability.passenger.simulator.scenario=normal
healthy_pid=$!

start_background "${work}/alertmanager.log" prometheus-alertmanager --config.file="${work}/alertmanager.yml" \
  --storage.path="${work}/alertmanager" --web.listen-address="127.0.0.1:${am_port}" --cluster.listen-address=
start_background "${work}/prometheus.log" prometheus --config.file="${work}/prometheus.yml" \
  --storage.tsdb.path="${work}/tsdb" --web.listen-address="127.0.0.1:${prom_port}"

check_or_stop "demo app up on ${app_port} ($(basename "${jar}"))" wait_for_url "${app_pid}" "${app}/actuator/health" 120
check_or_stop "healthy demo app up on ${healthy_port}" \
  wait_for_url "${healthy_pid}" "http://127.0.0.1:${healthy_port}/actuator/health" 120
check_or_stop "Alertmanager ready" wait_for 30 "Alertmanager" curl -fsS "http://127.0.0.1:${am_port}/-/ready"
check_or_stop "Prometheus ready" wait_for 30 "Prometheus" curl -fsS "${prom}/-/ready"
check_or_stop "webhook sink listening" wait_for 10 "the webhook sink" curl -fsS -X POST -d '' "http://127.0.0.1:${sink_port}/probe"
: > "${work}/webhook.jsonl"

# Bounded traffic: successes, client errors, an unknown path, server errors and slow requests.
drive_traffic() {
  local i
  for i in $(seq 1 "$1"); do
    curl -s -o /dev/null "${app}/" || true
    curl -s -o /dev/null "${app}/status/200" || true
    curl -s -o /dev/null "${app}/status/404" || true
    curl -s -o /dev/null "${app}/no-such-page" || true
    curl -s -o /dev/null "${app}/status/500" || true
    curl -s -o /dev/null "${app}/status/503" || true
    if [ $((i % 5)) -eq 0 ]; then curl -s -o /dev/null "${app}/status/200?seconds_sleep=0.6" || true; fi
  done
}

# python3 helper: prom_json <url-path> <python expression over `d`> prints the expression's value.
prom_json() {
  curl -fsS "${prom}$1" | python3 -c "import json, sys; d = json.load(sys.stdin); print($2)"
}

echo "== traffic"
drive_traffic 30
pass "drove $((30 * 6 + 6)) requests (200, 404, unknown path, 500, 503, 0.6 s sleeps)"

echo "== scrape targets"
# Five targets, each up: the healthy Passenger host must be scraped too, or "fires for the overloaded host only"
# below would prove nothing.
all_targets_up() {
  [ "$(prom_json /api/v1/targets "sorted(t['labels']['job'] + '=' + t['health'] for t in d['data']['activeTargets'])")" \
    = "['alertmanager=up', 'backend=up', 'passenger=up', 'passenger=up', 'prometheus=up']" ]
}
if wait_for 60 "every target up" all_targets_up; then
  while read -r line; do pass "target ${line}"; done < <(prom_json /api/v1/targets \
    "'\n'.join(t['health'] + ': ' + t['labels']['job'] + ' ' + t['scrapeUrl'] for t in d['data']['activeTargets'])")
else
  fail "targets not all up: $(prom_json /api/v1/targets \
    "[(t['labels']['job'], t['health'], t['lastError']) for t in d['data']['activeTargets']]" 2>&1)"
fi

echo "== rule evaluation"
rules_evaluated() {
  [ "$(prom_json /api/v1/rules "all(not r['lastEvaluation'].startswith('0001') for g in d['data']['groups'] for r in g['rules'])")" = "True" ]
}
# http-long-windows runs every minute: its first evaluation may come a minute after the rules load.
wait_for 90 "a first evaluation of every rule" rules_evaluated || true
summary="$(prom_json /api/v1/rules "'%d groups, %d rules, %d unhealthy: %s' % (len(d['data']['groups']),
  sum(len(g['rules']) for g in d['data']['groups']),
  sum(1 for g in d['data']['groups'] for r in g['rules'] if r['health'] != 'ok'),
  [(r['name'], r.get('lastError')) for g in d['data']['groups'] for r in g['rules'] if r['health'] != 'ok'])")"
if [[ "${summary}" == "5 groups, "*", 0 unhealthy: []" ]]; then
  pass "rules loaded and evaluated: ${summary%%, 0 unhealthy*}"
else
  fail "rules: ${summary}"
fi

# Every recording rule returns data: proves among others that the latency SLO's bucket le="0.5" exists in the
# demo's real histogram (an absent bucket would leave the ratio, and the latency alerts, silently empty), and that
# the recordings keep the demos' env tag (observability.metrics.env=e2e), so environments are never added together.
recordings_ok() {
  prom_json /api/v1/rules "'\n'.join(r['name'] for g in d['data']['groups'] for r in g['rules'] if r['type'] == 'recording')" \
    > "${work}/recordings.txt"
  local name
  while read -r name; do
    [ "$(prom_json "/api/v1/query?query=${name}" "sum(1 for r in d['data']['result'] if r['metric'].get('env') == 'e2e')")" -gt 0 ] \
      || echo "${name}"
  done < "${work}/recordings.txt" > "${work}/recordings-empty.txt"
  [ -s "${work}/recordings.txt" ] && [ ! -s "${work}/recordings-empty.txt" ]
}
if wait_for 90 "every recording rule to return data" recordings_ok; then
  pass "$(wc -l < "${work}/recordings.txt")/$(wc -l < "${work}/recordings.txt") recording rules returned data with env=\"e2e\""
else
  fail "recording rules without data: $(tr '\n' ' ' < "${work}/recordings-empty.txt")"
fi

echo "== dashboard queries"
drive_traffic 10
panel_check() {
  python3 - "${prom}" grafana-dashboards/dashboards/*.json <<'PY'
import json, re, sys, urllib.error, urllib.parse, urllib.request

prom, files = sys.argv[1], sys.argv[2:]
# The dashboards open with every variable on "All" (allValue .*); Grafana's interval macros become fixed windows.
MACROS = {"$__rate_interval": "1m", "$__interval": "1m", "$__range": "5m"}

def substitute(expr):
    for macro, value in MACROS.items():
        expr = expr.replace(macro, value)
    return re.sub(r"\$\{?(\w+)\}?", ".*", expr)

def query(path, params):
    url = prom + path + "?" + urllib.parse.urlencode(params, doseq=True)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)["data"]
    except urllib.error.HTTPError as error:
        # A 400 carries Prometheus' parse error: report it as an empty result with the reason.
        print(f"{params}: {json.load(error).get('error')}", file=sys.stderr)
        return {"result": []}

ok = total = variables_ok = variables_total = loki = 0
missing = []
for file in files:
    dashboard = json.load(open(file))
    name = file.rsplit("/", 1)[-1]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] != "query":
            continue
        selector, label = re.fullmatch(r"label_values\((.+),\s*(\w+)\)", variable["definition"]).groups()
        variables_total += 1
        series = query("/api/v1/series", {"match[]": substitute(selector)})
        values = {s.get(label) for s in series} - {None}
        if values:
            variables_ok += 1
        elif series and variable.get("allValue") == ".*":
            # The label is optional on these series (Passenger metrics carry `application` only when the exporter
            # adds it): the variable then offers only "All", whose .* still matches every series.
            variables_ok += 1
            print(f"{name} variable {variable['name']}: no {label} label on {selector}; All (.*) applies", file=sys.stderr)
        else:
            missing.append(f"{name} variable {variable['name']}: {variable['definition']}")
    panels = []
    for panel in dashboard["panels"]:
        panels += panel.get("panels", []) if panel["type"] == "row" else [panel]
    for panel in panels:
        for target in panel.get("targets", []):
            if target["datasource"]["uid"] == "${loki}":
                loki += 1
                continue
            total += 1
            if query("/api/v1/query", {"query": substitute(target["expr"])})["result"]:
                ok += 1
            else:
                missing.append(f"{name} '{panel['title']}' {target['refId']}: {substitute(target['expr'])}")
print(f"{ok} {total} {variables_ok} {variables_total} {loki}")
for line in missing:
    print(line)
PY
}
panels_ok() {
  panel_check > "${work}/panels.out" 2> "${work}/panels.err" && read -r ok total vok vtotal _ < "${work}/panels.out" \
    && [ "${ok}" = "${total}" ] && [ "${vok}" = "${vtotal}" ]
}
if ! wait_for 60 "every dashboard query to return data" panels_ok; then drive_traffic 5; panels_ok || true; fi
read -r ok total vok vtotal loki < "${work}/panels.out" || true
if [ -n "${vtotal:-}" ] && [ "${vok}" = "${vtotal}" ] && [ "${vtotal}" -gt 0 ]; then
  pass "${vok}/${vtotal} variable queries returned values"
else
  fail "${vok:-0}/${vtotal:-?} variable queries returned values"
fi
if [ -n "${total:-}" ] && [ "${ok}" = "${total}" ] && [ "${total}" -gt 0 ]; then
  pass "${ok}/${total} panel queries returned data (${loki} Loki panel queries skipped: no Loki in this check)"
else
  fail "${ok:-0}/${total:-?} panel queries returned data"
fi
if [ "$(wc -l < "${work}/panels.out")" -gt 1 ]; then
  echo "  empty results:"
  tail -n +2 "${work}/panels.out" | sed 's/^/         /'
fi
if [ -s "${work}/panels.err" ]; then
  echo "  notes and query errors:"
  sed 's/^/         /' "${work}/panels.err"
fi

echo "== Loki panels against the demo's real log lines"
# No Loki here: check instead that the fields and level values the Loki panels filter on occur in the JSON lines
# the demo wrote, so a renamed log field cannot leave the log panels empty.
if out="$(python3 - "${work}/app.log" grafana-dashboards/dashboards/*.json 2>&1 <<'PY'
import json, re, sys

lines = []
for raw in open(sys.argv[1], encoding="utf-8"):
    try:
        lines.append(json.loads(raw))
    except ValueError:
        pass
fields = {key for line in lines for key in line}
levels = {line.get("level") for line in lines}
problems, checked = [], 0
for file in sys.argv[2:]:
    panels = []
    for panel in json.load(open(file))["panels"]:
        panels += panel.get("panels", []) if panel["type"] == "row" else [panel]
    for panel in panels:
        for target in panel.get("targets", []):
            if target["datasource"]["uid"] != "${loki}":
                continue
            checked += 1
            selector, pipeline = re.match(r"[^{]*\{([^}]*)\}(.*)", target["expr"]).groups()
            for field in re.findall(r"\|\s*(?!__)(\w+)\s*(?:=~|!~|!=|==|=)", pipeline):
                if field not in fields:
                    problems.append(f"{panel['title']}: JSON field {field} is in no log line of the demo")
            for wanted in re.findall(r'level=~"([^"]+)"', selector):
                for level in wanted.split("|"):
                    if level not in levels:
                        problems.append(f"{panel['title']}: level {level} never logged (seen {sorted(filter(None, levels))})")
if not lines:
    problems.append("the demo wrote no JSON log lines")
print(f"{checked} Loki queries over {len(lines)} JSON lines")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
)"; then
  pass "Loki panels filter on fields and levels the demo really logs (${out})"
else
  fail "Loki panels and the demo's JSON logs disagree: ${out}"
fi

echo "== alert delivery"
alert_firing() {
  [ "$(prom_json /api/v1/alerts "any(a['labels']['alertname'] == 'PassengerHighWaitQueue' and a['state'] == 'firing' for a in d['data']['alerts'])")" = "True" ]
}
if wait_for 90 "PassengerHighWaitQueue to fire" alert_firing; then
  pass "PassengerHighWaitQueue firing in Prometheus (also firing: $(prom_json /api/v1/alerts \
    "', '.join(sorted({a['labels']['alertname'] for a in d['data']['alerts'] if a['state'] == 'firing'} - {'PassengerHighWaitQueue'})) or 'none'"))"
else
  fail "PassengerHighWaitQueue did not fire: $(prom_json /api/v1/alerts "[(a['labels']['alertname'], a['state']) for a in d['data']['alerts']]" 2>&1)"
fi
# By now the healthy host has been scraped as long as the overloaded one: its queue must not have raised the alert.
healthy_instances="$(prom_json /api/v1/alerts \
  "sorted({a['labels'].get('instance') for a in d['data']['alerts'] if a['labels']['alertname'] == 'PassengerHighWaitQueue'})")"
check "PassengerHighWaitQueue fires for the overloaded host only (alerting instances: ${healthy_instances})" \
  test "${healthy_instances}" = "['127.0.0.1:${app_port}']"
webhook_received() {
  python3 - "${work}/webhook.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    body = json.loads(line)
    if any(a["labels"]["alertname"] == "PassengerHighWaitQueue" and a["status"] == "firing" for a in body.get("alerts", [])):
        sys.exit(0)
sys.exit(1)
PY
}
if wait_for 60 "the webhook to receive PassengerHighWaitQueue" webhook_received; then
  pass "PassengerHighWaitQueue delivered by Alertmanager to the webhook sink"
else
  fail "webhook sink received no firing PassengerHighWaitQueue ($(wc -l < "${work}/webhook.jsonl") notifications)"
fi


watchdog_received() {
  python3 - "${work}/webhook.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    body = json.loads(line)
    if body.get("receiver") == "deadmans-switch" and any(
            a["labels"]["alertname"] == "Watchdog" and a["status"] == "firing" for a in body.get("alerts", [])):
        sys.exit(0)
sys.exit(1)
PY
}
if wait_for 60 "the dead man's switch to receive the Watchdog" watchdog_received; then
  pass "Watchdog delivered to the deadmans-switch receiver"
else
  fail "no Watchdog notification reached the deadmans-switch receiver"
fi

echo "== inhibition: a page silences the same alert's warning for the same application and environment only"
inhibition_alerts='[
  {"labels": {"alertname": "HttpAvailabilityErrorBudgetBurn", "job": "backend", "application": "shop", "severity": "critical", "e2e": "inhibition"}},
  {"labels": {"alertname": "HttpAvailabilityErrorBudgetBurn", "job": "backend", "application": "shop", "severity": "warning", "e2e": "inhibition"}},
  {"labels": {"alertname": "HttpAvailabilityErrorBudgetBurn", "job": "backend", "application": "blog", "severity": "warning", "e2e": "inhibition"}},
  {"labels": {"alertname": "HttpAvailabilityErrorBudgetBurn", "job": "backend", "application": "shop", "env": "staging", "severity": "warning", "e2e": "inhibition"}}
]'
check "four test alerts posted to Alertmanager" \
  curl -fsS -X POST -H 'Content-Type: application/json' -d "${inhibition_alerts}" "http://127.0.0.1:${am_port}/api/v2/alerts"
inhibition_states() {
  curl -fsS -G --data-urlencode 'filter=e2e="inhibition"' "http://127.0.0.1:${am_port}/api/v2/alerts" | python3 -c '
import json, sys
alerts = json.load(sys.stdin)
print(" ".join(sorted(a["labels"]["application"] + a["labels"].get("env", "") + "/" + a["labels"]["severity"] + "=" + a["status"]["state"] for a in alerts)))'
}
expected_states="blog/warning=active shop/critical=active shop/warning=suppressed shopstaging/warning=active"
inhibition_settled() { [ "$(inhibition_states)" = "${expected_states}" ]; }
if wait_for 30 "Alertmanager to apply the inhibit rule" inhibition_settled; then
  pass "shop's critical silences shop's warning and leaves blog's and shop-in-staging's warnings active (${expected_states})"
else
  fail "inhibition states are '$(inhibition_states)', expected '${expected_states}'"
fi

echo "== inhibition: a job that is down as a whole silences its targets' warnings, not other jobs'"
job_down_alerts='[
  {"labels": {"alertname": "PrometheusJobDown", "job": "passenger", "severity": "critical", "e2e": "job-down"}},
  {"labels": {"alertname": "PrometheusTargetDown", "job": "passenger", "instance": "host-1:9149", "severity": "warning", "e2e": "job-down"}},
  {"labels": {"alertname": "PrometheusTargetDown", "job": "backend", "instance": "backend-1:8080", "severity": "warning", "e2e": "job-down"}}
]'
check "three job-down test alerts posted to Alertmanager" \
  curl -fsS -X POST -H 'Content-Type: application/json' -d "${job_down_alerts}" "http://127.0.0.1:${am_port}/api/v2/alerts"
job_down_states() {
  curl -fsS -G --data-urlencode 'filter=e2e="job-down"' "http://127.0.0.1:${am_port}/api/v2/alerts" | python3 -c '
import json, sys
alerts = json.load(sys.stdin)
print(" ".join(sorted(a["labels"]["alertname"] + "/" + a["labels"]["job"] + "=" + a["status"]["state"] for a in alerts)))'
}
expected_job_down_states="PrometheusJobDown/passenger=active PrometheusTargetDown/backend=active PrometheusTargetDown/passenger=suppressed"
job_down_settled() { [ "$(job_down_states)" = "${expected_job_down_states}" ]; }
if wait_for 30 "Alertmanager to apply the job-down inhibit rule" job_down_settled; then
  pass "passenger's PrometheusJobDown silences its target's warning and leaves backend's active"
else
  fail "job-down inhibition states are '$(job_down_states)', expected '${expected_job_down_states}'"
fi

summarize
