#!/usr/bin/env python3
"""Rule cost benchmark (a script, not a test): evaluation time of the HTTP rule groups on a real Prometheus.

Serves synthetic request metrics of SERVICES services x ROUTES routes (a count and 12 buckets per route, a 5xx
series on every tenth route; half the services publish obskit_slo_objective_ratio, one route in four of those with a
threshold of its own), scraped every 15 s by two Prometheus processes: one with the rules of this branch, one with
the fixed rules of `git show main:grafana-dashboards/rules/http.rules.yml`. After the warm-up it reads each rule
group's evaluationTime from /api/v1/rules every 30 s and prints the medians.

Usage: rule-cost.py [--minutes 20] [--services 200] [--routes 20] [--old-rules FILE]
"""
import argparse, http.server, json, os, shutil, signal, socketserver, statistics, subprocess, sys, tempfile
import threading, time, urllib.request

BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.3", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf"]
HERE = os.path.dirname(os.path.abspath(__file__))


def exposition(services, routes, start):
    elapsed = time.time() - start
    out = []
    for s in range(services):
        app = f"svc{s:03d}"
        if s % 2 == 0:
            out.append(f'obskit_slo_objective_ratio{{application="{app}",slo="availability",le="",uri=""}} 0.999')
            out.append(f'obskit_slo_objective_ratio{{application="{app}",slo="latency",le="0.3",uri=""}} 0.99')
        for r in range(routes):
            uri = f"/r{r:02d}/{{id}}"
            if s % 2 == 0 and r % 4 == 0:
                out.append(f'obskit_slo_objective_ratio{{application="{app}",slo="latency",le="2.5",uri="{uri}"}} 0.99')
            total = elapsed * (1 + r % 5)
            base = f'application="{app}",method="GET",uri="{uri}",outcome="SUCCESS",exception="none",status="200"'
            out.append(f"http_server_requests_seconds_count{{{base}}} {total:.1f}")
            for i, le in enumerate(BUCKETS):
                share = min(1.0, 0.5 + 0.05 * i)
                out.append(f'http_server_requests_seconds_bucket{{{base},le="{le}"}} {total * share:.1f}')
            if r % 10 == 0:
                err = base.replace('status="200"', 'status="500"').replace("SUCCESS", "SERVER_ERROR")
                out.append(f"http_server_requests_seconds_count{{{err}}} {elapsed * 0.01:.2f}")
    return ("\n".join(out) + "\n").encode()


def serve(port, services, routes):
    start = time.time()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = exposition(services, routes, start)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def prometheus(workdir, name, rules, exporter_port, port):
    folder = os.path.join(workdir, name)
    os.makedirs(folder)
    shutil.copy(rules, os.path.join(folder, "http.rules.yml"))
    with open(os.path.join(folder, "prometheus.yml"), "w") as config:
        config.write(f"""global:
  scrape_interval: 15s
  evaluation_interval: 15s
rule_files: [http.rules.yml]
scrape_configs:
  - job_name: backend
    scrape_timeout: 10s
    static_configs: [{{targets: ['127.0.0.1:{exporter_port}']}}]
""")
    log = open(os.path.join(folder, "prometheus.log"), "w")
    return subprocess.Popen(
        [os.environ.get("PROMETHEUS", "prometheus"), f"--config.file={folder}/prometheus.yml",
         f"--storage.tsdb.path={folder}/data", f"--web.listen-address=127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT)


def evaluation_times(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/rules", timeout=10) as response:
        groups = json.load(response)["data"]["groups"]
    return {group["name"]: group["evaluationTime"] for group in groups}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--routes", type=int, default=20)
    parser.add_argument("--old-rules")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="rule-cost-")
    old = args.old_rules or os.path.join(workdir, "old.rules.yml")
    if not args.old_rules:
        with open(old, "w") as out:
            subprocess.run(["git", "show", "main:grafana-dashboards/rules/http.rules.yml"], stdout=out, check=True)
    exporter = serve(19111, args.services, args.routes)
    processes = {
        "generic": (prometheus(workdir, "generic", os.path.join(HERE, "..", "http.rules.yml"), 19111, 19112), 19112),
        "fixed": (prometheus(workdir, "fixed", old, 19111, 19113), 19113),
    }
    samples = {name: {} for name in processes}
    try:
        deadline = time.time() + args.minutes * 60
        warm_up = time.time() + min(6 * 60, args.minutes * 30)
        while time.time() < deadline:
            time.sleep(30)
            if time.time() < warm_up:
                continue
            for name, (_, port) in processes.items():
                try:
                    for group, seconds in evaluation_times(port).items():
                        samples[name].setdefault(group, []).append(seconds)
                except OSError as ex:
                    print(f"{name}: {ex}", file=sys.stderr)
    finally:
        for process, _ in processes.values():
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        exporter.shutdown()
    series = args.services * args.routes * (1 + len(BUCKETS))
    print(f"{args.services} services x {args.routes} routes (~{series} request series), {args.minutes:g} min of history")
    for name, groups in samples.items():
        total = 0.0
        for group, values in sorted(groups.items()):
            median = statistics.median(values)
            total += median
            print(f"  {name:8s} {group:20s} median {median * 1000:8.1f} ms over {len(values)} readings")
        print(f"  {name:8s} {'all groups':20s} {total * 1000:8.1f} ms per evaluation")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
