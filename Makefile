# obskit developer entry points. `make` lists them.
#
# Variables: SHIPPER=alloy|promtail (log shipper of the stack, default alloy), SERVICE=<name> (for logs),
# LOAD_URL, LOAD_REQUESTS, LOAD_CONCURRENCY (for test-load), COMPOSE (compose command, detected).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

MVNW := ./mvnw -B
SHIPPER ?= alloy
SERVICE ?=
HEALTH_WAIT ?= 180
LOAD_URL ?= http://127.0.0.1:8080/status/200
LOAD_REQUESTS ?= 2000
LOAD_CONCURRENCY ?= 20

# Compose v2 (`docker compose`) when present, else the standalone v1 `docker-compose`.
ifeq ($(origin COMPOSE), undefined)
COMPOSE := $(shell if docker compose version >/dev/null 2>&1; then echo "docker compose"; else echo docker-compose; fi)
endif
STACK := cd stack && $(COMPOSE) --profile $(SHIPPER)

.PHONY: help dev run start-backend up down health logs metrics test test-unit test-load e2e ci-test ci-build \
        clean info check-deps

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

dev: up ## Start the stack, then follow the backend's logs (Ctrl-C stops following, not the stack)
	$(STACK) logs -f --tail=50 backend

run: ## Build the demo and run it on this host, port 8080, without Docker
	$(MVNW) -q -pl demo-app -am package -DskipTests
	java -jar $$(ls demo-app/target/demo-app-*-exec.jar | head -n 1)

start-backend: run ## Same as run

up: ## Build and start the stack (Grafana is provisioned, no manual step), wait until `make health` passes
	$(STACK) up -d --build
	@SHIPPER=$(SHIPPER) HEALTH_WAIT=$(HEALTH_WAIT) bash stack/scripts/health.sh
	@echo "Grafana: http://127.0.0.1:3000 (admin/admin)  Prometheus: http://127.0.0.1:9090  Backend: http://127.0.0.1:8080"

down: ## Stop the stack (both shippers), keep its data volumes
	cd stack && $(COMPOSE) --profile alloy --profile promtail down

health: ## Print ✓/✗ for every service and for its logs in Loki; exits non-zero if a check fails
	@SHIPPER=$(SHIPPER) bash stack/scripts/health.sh

logs: ## Follow the stack's logs (SERVICE=<name> for one service)
	$(STACK) logs -f --tail=100 $(SERVICE)

metrics: ## Show the backend's request and Passenger metrics
	@curl -fsS http://127.0.0.1:8080/metrics | grep -E '^(http_server_requests_seconds_count|jvm_memory_used_bytes)' | head -n 20
	@curl -fsS http://127.0.0.1:8080/passenger_metrics | grep -E '^passenger_' | head -n 20

test: ## Build everything and run all Maven tests
	$(MVNW) verify

test-unit: ## Run the unit tests only
	$(MVNW) test

test-load: ## Send LOAD_REQUESTS requests to LOAD_URL with ab (the stack or `make run` must be up)
	@command -v ab >/dev/null || { echo "ab is missing (Debian/Ubuntu: apt-get install apache2-utils)"; exit 1; }
	ab -q -n $(LOAD_REQUESTS) -c $(LOAD_CONCURRENCY) $(LOAD_URL)

e2e: ## Build and run every test, the end-to-end ones (*IT, real Prometheus, Passenger...) too
	$(MVNW) -Pe2e verify

ci-test: ## Run what CI runs (installs missing Debian tools first)
	bash .ci/run

ci-build: ## Build the jars and the stack zip without running tests
	$(MVNW) package -DskipTests

clean: ## Remove build output, and the stack's containers and data volumes
	$(MVNW) -q clean
	@if command -v docker >/dev/null 2>&1; then \
	  cd stack && $(COMPOSE) --profile alloy --profile promtail down --volumes --remove-orphans; \
	fi

info: ## Show tool versions, the stack's state and its URLs
	@java -version 2>&1 | head -n 1 || true
	@$(MVNW) -v 2>/dev/null | head -n 1 || true
	@docker --version 2>/dev/null || echo "docker: not found"
	@$(COMPOSE) version 2>/dev/null | head -n 1 || echo "$(COMPOSE): not found"
	@cd stack && $(COMPOSE) --profile alloy --profile promtail ps 2>/dev/null || true
	@echo "Backend      http://127.0.0.1:8080  (metrics /metrics, Passenger /passenger_metrics)"
	@echo "Grafana      http://127.0.0.1:3000"
	@echo "Prometheus   http://127.0.0.1:9090"
	@echo "Alertmanager http://127.0.0.1:9093"
	@echo "Loki         http://127.0.0.1:3100"
	@echo "Alloy        http://127.0.0.1:12345 (profile alloy)   Promtail http://127.0.0.1:9080 (profile promtail)"

check-deps: ## Report missing tools (required: java 17+, docker, compose, curl)
	@missing=0; \
	for tool in java docker curl; do \
	  if command -v $$tool >/dev/null 2>&1; then echo "✓ $$tool"; else echo "✗ $$tool (required)"; missing=1; fi; \
	done; \
	if $(COMPOSE) version >/dev/null 2>&1; then echo "✓ $(COMPOSE)"; else echo "✗ docker compose (required)"; missing=1; fi; \
	if command -v java >/dev/null 2>&1; then \
	  major=$$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $$2}'); \
	  if [ "$${major%%.*}" -lt 17 ]; then echo "✗ java $$major (17 or newer required)"; missing=1; fi; \
	fi; \
	for tool in ab promtool amtool; do \
	  if command -v $$tool >/dev/null 2>&1; then echo "✓ $$tool"; else echo "- $$tool (optional: test-load, e2e)"; fi; \
	done; \
	exit $$missing
