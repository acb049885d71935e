package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Ports;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Tools;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Traces end to end with real programs: the demo's exec jar, told only the standard {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}, exports its spans to an OTLP/HTTP receiver in this test, and
 * Prometheus (Debian's 2.42, older than 2.43) scrapes it with exemplar storage on. The target stays
 * up while the scrape carries exemplars, the exemplars are trace ids the receiver got, and the
 * dashboards' exemplar queries and the Tempo datasource's metric queries return data.
 */
@TestInstance(Lifecycle.PER_CLASS)
class TracesIT {

  private static final JsonMapper json = JsonMapper.builder().build();

  private static final Path DATASOURCES = Path.of("provisioning/datasources/datasources.yml");

  @AutoClose private final Processes processes = new Processes("traces");

  /** Trace id to the service names of its spans, and span names. */
  private final Map<String, Set<String>> receivedServices = new ConcurrentHashMap<>();

  private final Set<String> receivedSpanNames = ConcurrentHashMap.newKeySet();

  private HttpServer receiver;

  private Instant demoReady;

  private final URI app = URI.create("http://127.0.0.1:" + Ports.free());

  private final PrometheusProcess prometheus = new PrometheusProcess();

  @BeforeAll
  void startTheReceiverTheDemoAndPrometheus() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/v1/traces", this::receive);
    receiver.start();
    Path work = processes.directory();
    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: backend
            metrics_path: /metrics
            static_configs:
              - targets: ["%s"]
        """
            .formatted(app.getAuthority()));

    ProcessBuilder demo =
        new ProcessBuilder(
            Tools.newestJava(),
            "-Xmx256m",
            "-jar",
            Tools.builtFile("obskit.demo.jar").toString(),
            "--server.address=127.0.0.1",
            "--server.port=" + app.getPort());
    // The standard variable alone switches export on; Boot appends /v1/traces.
    demo.environment()
        .put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort());
    demo.environment().put("OTEL_BSP_SCHEDULE_DELAY", "200");
    Processes.Started started = processes.start("demo", demo);
    prometheus.start(processes, config, "--enable-feature=exemplar-storage");
    started.awaitOk(app.resolve("/actuator/health"), Duration.ofSeconds(120));
    demoReady = Instant.now();
    prometheus.awaitReady();
    for (int i = 0; i < 20; i++) {
      Http.get(app.resolve("/status/200?seconds_sleep=0.02"));
      Http.get(app.resolve("/status/503"));
      Http.get(app.resolve("/"));
    }
    started.awaitUntil(
        Duration.ofSeconds(60),
        () -> !exemplarTraceIds(requestBucketsSelector()).isEmpty(),
        "Prometheus to store exemplars of the demo's latency buckets");
    // The tests run in any order and the Tempo datasource's queries are rates: wait for two
    // scrapes.
    started.awaitUntil(
        Duration.ofSeconds(60),
        () ->
            !prometheus
                .query(
                    "sum(rate(" + requestBucketsSelector().replace("_bucket", "_count") + "[1m]))")
                .isEmpty(),
        "two scrapes of the demo's request counters");
  }

  @AfterAll
  void stopTheReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void theDemoExportsItsRequestsAndTheirSleepAsSpansOfItsServiceName() {
    assertThat(receivedServices.values())
        .isNotEmpty()
        .allSatisfy((services) -> assertThat(services).containsOnly("demo-app"));
    assertThat(receivedSpanNames).contains("http get /status/{status_code}", "sleep");
  }

  @Test
  void thePrometheusTargetStaysUpWhileItsOpenMetricsScrapeCarriesExemplars() {
    // Scraped every second since the demo was ready (it is down while it starts): never down since,
    // and the last scrape clean.
    // The tests run in any order: this one may come first, before six seconds of scrapes exist.
    await("six seconds of scrapes since the demo was ready, every one up")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode up =
                  prometheus
                      .data(
                          "/api/v1/query_range?query="
                              + PrometheusProcess.encode("up{job=\"backend\"}")
                              + "&start="
                              + (demoReady.getEpochSecond() + 2)
                              + "&end="
                              + Instant.now().getEpochSecond()
                              + "&step=1")
                      .path("result");
              assertThat(up).hasSize(1);
              assertThat(up.get(0).path("values").values())
                  .hasSizeGreaterThan(5)
                  .allSatisfy((sample) -> assertThat(sample.get(1).asString()).isEqualTo("1"));
            });
    JsonNode target =
        prometheus.data("/api/v1/targets?state=active").path("activeTargets").values().stream()
            .filter((one) -> one.path("labels").path("job").asString().equals("backend"))
            .findFirst()
            .orElseThrow();
    assertThat(target.path("health").asString()).isEqualTo("up");
    assertThat(target.path("lastError").asString()).isEmpty();
  }

  @Test
  void everyExemplarIsTheTraceIdOfASpanTheReceiverGot() {
    Set<String> exemplars = exemplarTraceIds(requestBucketsSelector());

    assertThat(exemplars).isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(receivedServices.keySet()).containsAll(exemplars));
  }

  @Test
  void everyExemplarQueryOfTheDashboardsReturnsExemplarsOfReceivedTraces() {
    List<String> queries = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    for (String file : Dashboards.files()) {
      for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
        for (JsonNode target : panel.path("targets").values()) {
          if (target.path("exemplar").asBoolean(false)) {
            String expr = Dashboards.withDefaultSelections(target.path("expr").asString());
            queries.add(expr);
            Set<String> traceIds = exemplarTraceIds(expr);
            if (traceIds.isEmpty() || !receivedServices.keySet().containsAll(traceIds)) {
              empty.add(file + " '" + panel.path("title").asString() + "': " + expr);
            }
          }
        }
      }
    }
    assertThat(queries).isNotEmpty();
    assertThat(empty).isEmpty();
  }

  @Test
  void theTempoDatasourcesMetricQueriesReturnDataForTheTracedApplication() throws IOException {
    JsonNode tempo =
        YAMLMapper.builder()
            .build()
            .readTree(Files.readString(DATASOURCES))
            .path("datasources")
            .values()
            .stream()
            .filter((datasource) -> datasource.path("uid").asString().equals("tempo"))
            .findFirst()
            .orElseThrow();
    JsonNode tracesToMetrics = tempo.path("jsonData").path("tracesToMetrics");
    // Grafana replaces $__tags with the span's tags mapped to labels: service.name → application.
    assertThat(tracesToMetrics.path("tags").get(0).path("value").asString())
        .isEqualTo("application");
    List<String> empty = new ArrayList<>();
    for (JsonNode query : tracesToMetrics.path("queries").values()) {
      String promql =
          query
              .path("query")
              .asString()
              .replace("$$", "$")
              .replace("$__tags", "application=\"demo-app\"")
              .replace("$__rate_interval", "1m");
      if (prometheus.query(promql).isEmpty()) {
        empty.add(query.path("name").asString() + ": " + promql);
      }
    }
    assertThat(tracesToMetrics.path("queries").values()).isNotEmpty();
    assertThat(empty).isEmpty();
  }

  private static String requestBucketsSelector() {
    return "http_server_requests_seconds_bucket{application=\"demo-app\"}";
  }

  private Set<String> exemplarTraceIds(String promql) {
    Instant now = Instant.now();
    JsonNode data =
        prometheus.data(
            "/api/v1/query_exemplars?query="
                + PrometheusProcess.encode(promql)
                + "&start="
                + now.minusSeconds(600).getEpochSecond()
                + "&end="
                + now.plusSeconds(5).getEpochSecond());
    return data.values().stream()
        .flatMap((series) -> series.path("exemplars").values().stream())
        .map((exemplar) -> exemplar.path("labels").path("trace_id").asString())
        .collect(Collectors.toSet());
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      for (ResourceSpans resourceSpans :
          ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
        String service = serviceName(resourceSpans.getResource().getAttributesList());
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            receivedServices
                .computeIfAbsent(hex(span.getTraceId()), (id) -> ConcurrentHashMap.newKeySet())
                .add(service);
            receivedSpanNames.add(span.getName());
          }
        }
      }
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private static String serviceName(List<KeyValue> attributes) {
    return attributes.stream()
        .filter((attribute) -> attribute.getKey().equals("service.name"))
        .map((attribute) -> attribute.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
