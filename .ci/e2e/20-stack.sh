#!/usr/bin/env bash
# Offline checks of the compose stack: compose files (dev, dev+prod, dev+ha), the production overlay's ports,
# restart policies and required secrets, the Prometheus and Alertmanager configs, the health script, the stack
# zip built by `./mvnw verify` (unpacked: every combination valid, every mounted file and build input present), the
# backend image with BACKEND_IMAGE set (no build ever takes its name) and
# the Makefile's targets.
# Needs docker-compose (1.29+), promtool, amtool, python3 with PyYAML, curl and make.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

require_tools docker-compose promtool amtool curl make
# Debian's python3 has PyYAML as a dependency of docker-compose; a python3 earlier on PATH may not.
py=""
for candidate in /usr/bin/python3 python3; do
  if "${candidate}" -c 'import yaml' 2>/dev/null; then py="${candidate}"; break; fi
done
[ -n "${py}" ] || die "20-stack: needs a python3 with PyYAML (Debian: python3-yaml)"

# A .env as a user would write it from .env.example: every empty value filled in.
sed -e 's/^GRAFANA_ADMIN_PASSWORD=$/GRAFANA_ADMIN_PASSWORD=e2e-admin-secret/' \
    -e 's/^GRAFANA_DB_PASSWORD=$/GRAFANA_DB_PASSWORD=e2e-db-secret/' \
    -e 's#^PROMETHEUS_EXTERNAL_URL=$#PROMETHEUS_EXTERNAL_URL=https://prometheus.e2e.example#' \
    -e 's#^ALERTMANAGER_EXTERNAL_URL=$#ALERTMANAGER_EXTERNAL_URL=https://alertmanager.e2e.example#' \
    -e 's#^PROMETHEUS_B_EXTERNAL_URL=$#PROMETHEUS_B_EXTERNAL_URL=https://prometheus-b.e2e.example#' \
    -e 's#^ALERTMANAGER_B_EXTERNAL_URL=$#ALERTMANAGER_B_EXTERNAL_URL=https://alertmanager-b.e2e.example#' \
    stack/.env.example > "${work}/.env"
if grep -qE '^[A-Z_]+=$' "${work}/.env"; then
  fail ".env.example has an empty value this script does not fill: $(grep -E '^[A-Z_]+=$' "${work}/.env" | tr '\n' ' ')"
fi

compose() { (cd stack && docker-compose --env-file "$1" "${@:2}"); }

echo "== docker-compose config"
: > "${work}/empty.env"
for combo in "docker-compose.yml" \
             "docker-compose.yml docker-compose.prod.yml" \
             "docker-compose.yml docker-compose.ha.yml" \
             "docker-compose.yml docker-compose.prod.yml docker-compose.ha.yml"; do
  args=()
  for f in ${combo}; do args+=(-f "${f}"); done
  env_file="${work}/.env"
  [ "${combo}" = "docker-compose.yml" ] && env_file="${work}/empty.env"
  if compose "${env_file}" "${args[@]}" config > "${work}/config.out" 2> "${work}/config.err"; then
    pass "config: ${combo}"
  else
    fail "config: ${combo}: $(cat "${work}/config.err")"
  fi
done

# Without -f compose also reads docker-compose.override.yml, which builds the backend from the repository's source.
if compose "${work}/empty.env" config > "${work}/config.out" 2> "${work}/config.err" \
    && "${py}" - "${work}/config.out" <<'PY'
import sys, yaml
backend = yaml.safe_load(open(sys.argv[1]))["services"]["backend"]
sys.exit(0 if backend.get("build", {}).get("dockerfile") == "demo-app/Dockerfile"
         and backend["image"].startswith("obskit/demo-app:") else 1)
PY
then
  pass "config without -f (the repository's dev path) builds the backend from demo-app/Dockerfile as its image"
else
  fail "config without -f does not build the backend: $(cat "${work}/config.err")"
fi

# A build tags the image it runs. With BACKEND_IMAGE set (.env.example suggests it), a build under that name would run
# the demo instead of the user's service and overwrite the user's local tag: every merged config that builds must
# tag the demo's own image, and the configs without the override must run the user's image.
user_image="registry.example.com/e2e-service:9.9.9"
cat > "${work}/check_build_tags.py" <<'PY'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
user_image, expect_build = sys.argv[2], sys.argv[3] == "build"
backend = services["backend"]
problems = [f"{name} builds and tags {service.get('image')}" for name, service in services.items()
            if "build" in service and not str(service.get("image", "")).startswith("obskit/demo-app:")]
if expect_build and "build" not in backend:
    problems.append("backend is not built")
if not expect_build and ("build" in backend or backend.get("image") != user_image):
    problems.append(f"backend runs {backend.get('image')} (built: {'build' in backend}), not BACKEND_IMAGE as pulled")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
for combo in "" "docker-compose.yml docker-compose.override.yml docker-compose.prod.yml" \
             "docker-compose.yml" "docker-compose.yml docker-compose.prod.yml" \
             "docker-compose.yml docker-compose.ha.yml" \
             "docker-compose.yml docker-compose.prod.yml docker-compose.ha.yml"; do
  args=()
  for f in ${combo}; do args+=(-f "${f}"); done
  expect=run
  [[ -z "${combo}" || "${combo}" == *override* ]] && expect=build
  problems=""
  if (cd stack && BACKEND_IMAGE="${user_image}" docker-compose --env-file "${work}/.env" "${args[@]}" config \
        > "${work}/tags.yml" 2> "${work}/tags.err") \
      && problems="$("${py}" "${work}/check_build_tags.py" "${work}/tags.yml" "${user_image}" "${expect}")"; then
    pass "BACKEND_IMAGE set, ${combo:-no -f}: $([ "${expect}" = build ] && echo "builds the demo under its own tag" \
      || echo "runs BACKEND_IMAGE, builds nothing")"
  else
    fail "BACKEND_IMAGE set, ${combo:-no -f}: ${problems:-$(cat "${work}/tags.err")}"
  fi
done
# The check must see a build that would take BACKEND_IMAGE's name, or it checks nothing: the override without its
# own image name is one.
grep -v '^    image:' stack/docker-compose.override.yml > "${work}/override-unpinned.yml"
if (cd stack && BACKEND_IMAGE="${user_image}" docker-compose --env-file "${work}/.env" -f docker-compose.yml \
      -f "${work}/override-unpinned.yml" config > "${work}/tags.yml" 2>&1) \
    && ! "${py}" "${work}/check_build_tags.py" "${work}/tags.yml" "${user_image}" build > /dev/null; then
  pass "the build-tag check rejects an override that builds under BACKEND_IMAGE's name"
else
  fail "the build-tag check accepts an override that builds under BACKEND_IMAGE's name: $(cat "${work}/tags.yml")"
fi

# Production takes the Grafana password and the alert and notification links from .env, and refuses to start
# without one of them, naming it.
for variable in GRAFANA_ADMIN_PASSWORD PROMETHEUS_EXTERNAL_URL ALERTMANAGER_EXTERNAL_URL; do
  grep -v "^${variable}=" "${work}/.env" > "${work}/without.env"
  if compose "${work}/without.env" -f docker-compose.yml -f docker-compose.prod.yml config > /dev/null 2> "${work}/err"; then
    fail "prod overlay starts without ${variable}"
  elif grep -q "${variable}" "${work}/err"; then
    pass "prod overlay refuses to start without ${variable}, naming it"
  else
    fail "prod overlay failed without naming ${variable}: $(cat "${work}/err")"
  fi
done
# Dev links to where it publishes the ports.
cat > "${work}/check_urls.py" <<'PY'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
expected = dict(arg.split("=", 1) for arg in sys.argv[2:])
problems = []
for name, url in expected.items():
    flags = [a for a in services[name]["command"] if a.startswith("--web.external-url=")]
    if flags != [f"--web.external-url={url}"]:
        problems.append(f"{name} has {flags}, expected {url}")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
compose "${work}/empty.env" -f docker-compose.yml config > "${work}/urls.yml"
if problems="$("${py}" "${work}/check_urls.py" "${work}/urls.yml" prometheus=http://127.0.0.1:9090 \
      alertmanager=http://127.0.0.1:9093)"; then
  pass "dev: Prometheus and Alertmanager link to their published ports on 127.0.0.1"
else
  fail "dev external URLs: ${problems}"
fi
compose "${work}/.env" -f docker-compose.yml -f docker-compose.prod.yml -f docker-compose.ha.yml config \
  > "${work}/urls.yml"
if problems="$("${py}" "${work}/check_urls.py" "${work}/urls.yml" prometheus=https://prometheus.e2e.example \
      prometheus-b=https://prometheus-b.e2e.example alertmanager=https://alertmanager.e2e.example \
      alertmanager-b=https://alertmanager-b.e2e.example)"; then
  pass "prod + HA: each Prometheus and Alertmanager links to its own URL from .env"
else
  fail "prod + HA external URLs: ${problems}"
fi

cat > "${work}/check_prod.py" <<'PY'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
problems = []
for name, service in services.items():
    for port in service.get("ports", []):
        spec = port if isinstance(port, str) else f'{port.get("host_ip", "")}:{port.get("published")}'
        if name != "grafana" and not spec.startswith("127.0.0.1:"):
            problems.append(f"{name} publishes {spec} beyond 127.0.0.1")
    if service.get("restart") != "unless-stopped":
        problems.append(f"{name} has no restart policy")
    if not service.get("mem_limit"):
        problems.append(f"{name} has no memory limit")
    if service.get("privileged"):
        problems.append(f"{name} is privileged")
for name in ("prometheus", "prometheus-b"):
    if name in services and "--storage.tsdb.retention.time=30d" not in services[name]["command"]:
        problems.append(f"{name} does not keep 30 days")
if problems:
    print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
for combo in "docker-compose.prod.yml" "docker-compose.prod.yml docker-compose.ha.yml"; do
  args=(-f docker-compose.yml)
  for f in ${combo}; do args+=(-f "${f}"); done
  compose "${work}/.env" "${args[@]}" config > "${work}/prod.yml"
  if problems="$("${py}" "${work}/check_prod.py" "${work}/prod.yml")"; then
    pass "${combo}: only grafana beyond 127.0.0.1; restart policy, memory limit, not privileged; 30 d retention"
  else
    fail "${combo}: ${problems}"
  fi
done
# A dev stack started with a .env copied from .env.example publishes nothing beyond loopback: its Grafana has the
# dev login admin/admin.
cat > "${work}/check_loopback.py" <<'PY'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
beyond = [f"{name} on {port}" for name, service in services.items() for port in service.get("ports", [])
          if not str(port).startswith("127.0.0.1:")]
print(", ".join(beyond))
sys.exit(1 if beyond else 0)
PY
compose "${work}/.env" -f docker-compose.yml config > "${work}/dev-env.yml"
if beyond="$("${py}" "${work}/check_loopback.py" "${work}/dev-env.yml")"; then
  pass "dev with .env from .env.example: every port, Grafana's too, on 127.0.0.1"
else
  fail "dev with .env from .env.example publishes beyond 127.0.0.1: ${beyond}"
fi
if (cd stack && GRAFANA_BIND_ADDRESS=0.0.0.0 docker-compose --env-file "${work}/.env" -f docker-compose.yml config) \
    > "${work}/dev-open.yml" && ! "${py}" "${work}/check_loopback.py" "${work}/dev-open.yml" > /dev/null; then
  pass "the loopback check sees GRAFANA_BIND_ADDRESS=0.0.0.0 (the documented production choice)"
else
  fail "GRAFANA_BIND_ADDRESS=0.0.0.0 does not publish Grafana beyond 127.0.0.1, or the check misses it"
fi

# The same check on the dev file alone must fail, or it checks nothing.
compose "${work}/empty.env" -f docker-compose.yml config > "${work}/dev.yml"
if "${py}" "${work}/check_prod.py" "${work}/dev.yml" > /dev/null; then
  fail "the production check passes the dev file, so it cannot catch a regression"
else
  pass "the production check rejects the dev file (no restart policies or memory limits there)"
fi

echo "== promtool check config"
# The rule glob points into the container; point it at the repository's rules so their syntax is checked too.
sed "s#/etc/prometheus/rules/#${repo}/grafana-dashboards/rules/#" stack/prometheus/prometheus.yml > "${work}/prometheus.yml"
if promtool check config "${work}/prometheus.yml" > "${work}/promtool.out" 2>&1; then
  pass "promtool check config (rules: $(grep -c 'SUCCESS: .*rules found' "${work}/promtool.out" || true) file(s))"
else
  fail "promtool check config: $(cat "${work}/promtool.out")"
fi
sed "s#/etc/prometheus/rules/#${repo}/grafana-dashboards/rules/#" stack/prometheus/prometheus-ha.yml \
  > "${work}/prometheus-ha.yml"
if promtool check config "${work}/prometheus-ha.yml" > "${work}/promtool.out" 2>&1; then
  pass "promtool check config prometheus-ha.yml"
else
  fail "promtool check config prometheus-ha.yml: $(cat "${work}/promtool.out")"
fi
for config in prometheus.yml prometheus-ha.yml; do
  jobs="$("${py}" -c 'import sys,yaml; print(" ".join(j["job_name"] for j in yaml.safe_load(open(sys.argv[1]))["scrape_configs"]))' "stack/prometheus/${config}")"
  if [ "${jobs}" = "prometheus alertmanager backend passenger" ]; then
    pass "${config} scrape jobs: ${jobs}"
  else
    fail "${config} scrape jobs are '${jobs}', expected 'prometheus alertmanager backend passenger'"
  fi
done

echo "== HA overlay as compose merges it"
compose "${work}/.env" -f docker-compose.yml -f docker-compose.prod.yml -f docker-compose.ha.yml config > "${work}/ha.yml"
if problems="$("${py}" - "${work}/ha.yml" <<'PY'
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
problems = []
for name, peer in (("alertmanager", "alertmanager-b"), ("alertmanager-b", "alertmanager")):
    command = services[name]["command"]
    if f"--cluster.peer={peer}:9094" not in command or "--cluster.listen-address=0.0.0.0:9094" not in command:
        problems.append(f"{name} does not peer with {peer} on 9094")
if services["alertmanager"]["image"] != services["alertmanager-b"]["image"]:
    problems.append("the Alertmanagers run different images")
for name in ("prometheus", "prometheus-b"):
    mounts = [v for v in services[name]["volumes"] if v.split(":")[1] == "/etc/prometheus/prometheus.yml"]
    if len(mounts) != 1 or not mounts[0].split(":")[0].endswith("/prometheus/prometheus-ha.yml"):
        problems.append(f"{name} mounts {mounts} as its config, not prometheus-ha.yml alone")
# The health script's defaults must be where compose publishes the second instances.
health = open("stack/scripts/health.sh").read()
for name, variable, path in (("prometheus-b", "PROMETHEUS_B_URL", "/-/ready"),
                             ("alertmanager-b", "ALERTMANAGER_B_URL", "/-/ready")):
    published = services[name]["ports"][0].rsplit(":", 1)[0]
    if "${%s:-http://%s%s}" % (variable, published, path) not in health:
        problems.append(f"health.sh does not check {name} where compose publishes it ({published})")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
)"; then
  pass "HA: two Alertmanagers of one image peer both ways on 9094; both replicas load prometheus-ha.yml;"\
" health.sh checks the second instances on their published ports"
else
  fail "HA: ${problems}"
fi

echo "== amtool check-config"
if amtool check-config stack/alertmanager/alertmanager.yml > "${work}/amtool.out" 2>&1; then
  pass "amtool check-config alertmanager.yml"
else
  fail "amtool check-config: $(cat "${work}/amtool.out")"
fi
# The commented email and Slack examples must still be valid once a user uncomments them.
"${py}" - stack/alertmanager/alertmanager.yml "${work}/alertmanager-examples.yml" <<'PY'
import re, sys
keys = r"(smtp_\w+:|slack_api_url_file:|email_configs:|slack_configs:|- to:|- channel:|send_resolved:|title:|text:)"
out = []
for line in open(sys.argv[1]).read().splitlines():
    m = re.match(r"^(\s*)# (\s*)" + keys + r"(.*)$", line)
    out.append(m.group(1) + m.group(2) + m.group(3) + m.group(4) if m else line)
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
if ! grep -q '^ *slack_configs:' "${work}/alertmanager-examples.yml"; then
  fail "could not uncomment the Slack example"
elif amtool check-config "${work}/alertmanager-examples.yml" > "${work}/amtool.out" 2>&1; then
  pass "amtool check-config with the email and Slack examples uncommented"
else
  fail "uncommented examples: $(cat "${work}/amtool.out")"
fi

echo "== health script"
port="$(free_port)"
# Every path answers 200 "ok", except Loki's query endpoint, which answers like Loki: a sample when the stack's
# services have logged (/loki/api/v1/query, queried for {service=...}), no sample when nothing was shipped
# (/empty/loki/api/v1/query).
start_background "${work}/health-stub.log" "${py}" - "${port}" <<'PY'
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse
class Stub(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        body = b"ok"
        if url.path.endswith("/loki/api/v1/query"):
            query = parse_qs(url.query).get("query", [""])[0]
            shipped = url.path == "/loki/api/v1/query" and "{service=" in query
            result = [{"metric": {}, "value": [1767225600, "42"]}] if shipped else []
            body = json.dumps({"status": "success", "data": {"resultType": "vector", "result": result}}).encode()
        self.send_response(200); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args):
        pass
HTTPServer(("127.0.0.1", int(sys.argv[1])), Stub).serve_forever()
PY
up="http://127.0.0.1:${port}/"
for _ in $(seq 1 50); do curl -fsS -o /dev/null "${up}" 2>/dev/null && break; sleep 0.1; done
health() {
  BACKEND_URL="${up}" PROMETHEUS_URL="${up}" ALERTMANAGER_URL="${up}" LOKI_URL="${up}" GRAFANA_URL="${up}" \
    ALLOY_URL="${up}" PROMTAIL_URL="${up}" PROMETHEUS_B_URL="${up}" ALERTMANAGER_B_URL="${up}" \
    LOKI_QUERY_URL="${up}loki/api/v1/query" "$@" bash stack/scripts/health.sh
}
if out="$(health env)" && [ "$(grep -c '^✓' <<< "${out}")" -eq 7 ] && grep -q '^✓ logs' <<< "${out}"; then
  pass "health: seven ✓ (six services and their logs in Loki) and exit 0 when every check answers"
else
  fail "health with every service up: ${out}"
fi
# Port 9 (discard) is closed on loopback: the check must report it and fail.
if out="$(health env LOKI_URL=http://127.0.0.1:9/ready)"; then
  fail "health exits 0 although loki is down: ${out}"
elif grep -q '^✗ loki' <<< "${out}" && [ "$(grep -c '^✓' <<< "${out}")" -eq 6 ]; then
  pass "health: ✗ loki and a non-zero exit when loki is down"
else
  fail "health with loki down: ${out}"
fi
# A shipper that keeps no container (another compose project name) is healthy and ships nothing.
if out="$(health env LOKI_QUERY_URL="${up}empty/loki/api/v1/query")"; then
  fail "health exits 0 although Loki holds no log line: ${out}"
elif grep -q '^✗ logs' <<< "${out}" && [ "$(grep -c '^✓' <<< "${out}")" -eq 6 ] \
    && grep -q 'COMPOSE_PROJECT_NAME' <<< "${out}"; then
  pass "health: ✗ logs, a non-zero exit and the COMPOSE_PROJECT_NAME hint when Loki is up but holds no log line"
else
  fail "health with no logs in Loki: ${out}"
fi
if out="$(health env LOKI_URL=http://127.0.0.1:9/ready LOKI_QUERY_URL=http://127.0.0.1:9/loki/api/v1/query)"; then
  fail "health exits 0 although loki is down: ${out}"
elif grep -q '^✗ logs' <<< "${out}" && ! grep -q 'COMPOSE_PROJECT_NAME' <<< "${out}"; then
  pass "health: no COMPOSE_PROJECT_NAME hint when Loki itself is down"
else
  fail "health with loki down, hint: ${out}"
fi
if out="$(health env SHIPPER=promtail)" && grep -q '^✓ promtail' <<< "${out}" && ! grep -q alloy <<< "${out}" \
    && grep -q '^✓ logs' <<< "${out}"; then
  pass "health: SHIPPER=promtail checks promtail instead of alloy, and the logs"
else
  fail "health with SHIPPER=promtail: ${out}"
fi
if out="$(health env SHIPPER=none LOKI_QUERY_URL="${up}empty/loki/api/v1/query")" \
    && [ "$(grep -c '^✓' <<< "${out}")" -eq 5 ] && ! grep -q 'logs' <<< "${out}"; then
  pass "health: SHIPPER=none expects no logs in Loki"
else
  fail "health with SHIPPER=none: ${out}"
fi

# Unset, PROMETHEUS_B_URL is the port docker-compose.ha.yml publishes the second replica on.
if out="$(health env HA=true)" && grep -q '^✓ alertmanager-b' <<< "${out}" \
    && grep -q '^✓ prometheus-b' <<< "${out}" && [ "$(grep -c '^✓' <<< "${out}")" -eq 9 ] \
    && grep -q '^. prometheus-b *http://127.0.0.1:9091/-/ready$' <<< "$(health env HA=true PROMETHEUS_B_URL= || true)"; then
  pass "health: HA=true also checks the second Prometheus (port 9091) and the second Alertmanager"
else
  fail "health with HA=true: ${out}"
fi
for down in PROMETHEUS_B_URL:prometheus-b ALERTMANAGER_B_URL:alertmanager-b; do
  variable="${down%%:*}" service="${down#*:}"
  if out="$(health env HA=true "${variable}=http://127.0.0.1:9/-/ready")"; then
    fail "health exits 0 although ${service} is down: ${out}"
  elif grep -q "^✗ ${service}" <<< "${out}"; then
    pass "health: HA=true reports ✗ ${service} and fails when it is down"
  else
    fail "health with HA=true and ${service} down: ${out}"
  fi
done

echo "== stack zip (unpacked as a user would)"
zip_file="$(ls stack/target/stack-*-compose.zip 2>/dev/null | head -n 1 || true)"
if [ -z "${zip_file}" ]; then
  fail "stack/target/stack-*-compose.zip is missing: run ./mvnw verify first"
else
  "${py}" - "${zip_file}" "${work}/unpacked" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    archive.extractall(sys.argv[2])
    mode = archive.getinfo("stack/scripts/health.sh").external_attr >> 16
    if not mode & 0o111:
        sys.exit("stack/scripts/health.sh is not executable in the zip")
PY
  # The combinations the stack README tells a user to run, from the unpacked stack folder: each must be valid,
  # every file it mounts and every build context and Dockerfile it names must be in the zip.
  cat > "${work}/check_unpacked.py" <<'PY'
import os, sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
missing = [f"{name} mounts {volume.split(':')[0]}" for name, service in services.items()
           for volume in service.get("volumes", [])
           if volume.startswith("/") and not volume.startswith("/var/run/docker.sock:")
           and not os.path.exists(volume.split(":")[0])]
for name, service in services.items():
    build = service.get("build")
    if build:
        dockerfile = os.path.join(build["context"], build.get("dockerfile", "Dockerfile"))
        if not os.path.isfile(dockerfile):
            missing.append(f"{name} builds from {dockerfile}")
    elif not service.get("image"):
        missing.append(f"{name} has neither image nor build")
print(" ".join(missing))
sys.exit(1 if missing else 0)
PY
  for combo in "" "docker-compose.yml docker-compose.prod.yml" "docker-compose.yml docker-compose.ha.yml" \
               "docker-compose.yml docker-compose.prod.yml docker-compose.ha.yml"; do
    args=()
    for f in ${combo}; do args+=(-f "${f}"); done
    env_file="${work}/.env"
    [ -z "${combo}" ] && env_file="${work}/empty.env"
    missing=""
    if (cd "${work}/unpacked/stack" && docker-compose --env-file "${env_file}" "${args[@]}" config \
          > "${work}/unpacked.yml" 2>&1) \
        && missing="$("${py}" "${work}/check_unpacked.py" "${work}/unpacked.yml")"; then
      pass "zip unpacked, ${combo:-no -f}: valid; every mounted file and build input is in the zip"
    else
      fail "zip unpacked, ${combo:-no -f}: ${missing:-$(cat "${work}/unpacked.yml")}"
    fi
  done
  # The check must see a build whose source is missing, or it checks nothing: the repository's override is one.
  cp stack/docker-compose.override.yml "${work}/unpacked/stack/"
  if (cd "${work}/unpacked/stack" && docker-compose --env-file "${work}/empty.env" config > "${work}/unpacked.yml" \
        2>&1) && "${py}" "${work}/check_unpacked.py" "${work}/unpacked.yml" > /dev/null; then
    fail "the unpacked-zip check accepts a build whose Dockerfile is not in the zip"
  else
    pass "the unpacked-zip check rejects a build whose Dockerfile is not in the zip (the repository's override)"
  fi
  rm "${work}/unpacked/stack/docker-compose.override.yml"
fi

echo "== Makefile"
targets="$(make -s help | awk '{print $1}' | tr '\n' ' ')"
missing=""
for target in help dev run start-backend up down health logs metrics test test-unit test-load e2e ci-test ci-build \
              clean info check-deps; do
  grep -qw -- "${target}" <<< "${targets}" || missing="${missing} ${target}"
done
if [ -z "${missing}" ]; then
  pass "make help lists every target of the seed project"
else
  fail "make help misses:${missing}"
fi
if [ "$(make -s 2>&1 | head -n 1)" = "$(make -s help 2>&1 | head -n 1)" ]; then
  pass "make without a target prints the help"
else
  fail "make without a target does not print the help"
fi

summarize
