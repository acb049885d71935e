package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Ports;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.PrometheusRelease;
import io.github.obskit.e2e.Tools;
import io.github.obskit.e2e.Waits;
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
import java.util.EnumMap;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Traces end to end with real programs: the demo's exec jar, told only the standard {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}, exports its spans to an OTLP/HTTP receiver in this test, and the
 * Prometheus of every {@link PrometheusRelease} (2.42, older than 2.43, and 3.x, which negotiates
 * the scrape format differently) scrapes it with exemplar storage on. On each, the target stays up
 * while the scrape carries exemplars, the exemplars are trace ids the receiver got, and the
 * dashboards' exemplar queries and the Tempo datasource's metric queries return data.
 */
@TestInstance(Lifecycle.PER_CLASS)
class TracesIT {

  private static final JsonMapper json = JsonMapper.builder().build();

  private static final Path DATASOURCES = Path.of("provisioning/datasources/datasources.yml");

  /**
   * Prometheus's scrape interval and timeout (which may not exceed it): a scrape of the demo takes
   * milliseconds, but on a loaded two-core machine a stalled demo's answer can take over a second.
   */
  private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(5);

  /** Six scrape intervals, in which at least five scrapes must be there, every one up. */
  private static final String SIX_SCRAPES =
      "[" + SCRAPE_INTERVAL.multipliedBy(6).toSeconds() + "s]";

  @AutoClose private final Processes processes = new Processes("traces");

  /** Trace id to the service names of its spans, and span names. */
  private final Map<String, Set<String>> receivedServices = new ConcurrentHashMap<>();

  private final Set<String> receivedSpanNames = ConcurrentHashMap.newKeySet();

  private HttpServer receiver;

  private final URI app = URI.create("http://127.0.0.1:" + Ports.free());

  private final Map<PrometheusRelease, PrometheusProcess> prometheuses =
      new EnumMap<>(PrometheusRelease.class);

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
          scrape_interval: %1$ds
          scrape_timeout: %1$ds
        scrape_configs:
          - job_name: backend
            metrics_path: /metrics
            static_configs:
              - targets: ["%2$s"]
        """
            .formatted(SCRAPE_INTERVAL.toSeconds(), app.getAuthority()));

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
    for (PrometheusRelease release : PrometheusRelease.values()) {
      PrometheusProcess prometheus = new PrometheusProcess(release);
      prometheuses.put(release, prometheus);
      prometheus.start(processes, config, "--enable-feature=exemplar-storage");
    }
    started.awaitOk(app.resolve("/actuator/health"), Waits.PROCESS);
    prometheuses.values().forEach(PrometheusProcess::awaitReady);
    for (int i = 0; i < 20; i++) {
      Http.get(app.resolve("/status/200?seconds_sleep=0.02"));
      Http.get(app.resolve("/status/503"));
      Http.get(app.resolve("/"));
    }
    for (PrometheusProcess prometheus : prometheuses.values()) {
      started.awaitUntil(
          Duration.ofSeconds(60),
          () -> !exemplarTraceIds(prometheus, requestBucketsSelector()).isEmpty(),
          prometheus.release() + " to store exemplars of the demo's latency buckets");
      // The tests run in any order and the Tempo datasource's queries are rates: wait for two
      // scrapes.
      started.awaitUntil(
          Duration.ofSeconds(60),
          () ->
              !prometheus
                  .query(
                      "sum(rate("
                          + requestBucketsSelector().replace("_bucket", "_count")
                          + "[1m]))")
                  .isEmpty(),
          "two scrapes of the demo's request counters by " + prometheus.release());
    }
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

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void thePrometheusTargetStaysUpWhileItsOpenMetricsScrapeCarriesExemplars(
      PrometheusRelease release) {
    PrometheusProcess prometheus = prometheuses.get(release);
    // A scrape that exemplars break fails every time (as before Prometheus 2.43 with some
    // formats); a stalled demo on a loaded machine fails one now and then. So: six consecutive
    // scrape intervals of clean scrapes, each carrying exemplars, and the last one clean too. The
    // tests run in any order: this one may come first, before six intervals of scrapes exist.
    await("six consecutive scrape intervals of scrapes of the demo, every one up")
        .atMost(Waits.CONDITION.plus(SCRAPE_INTERVAL.multipliedBy(6)))
        .untilAsserted(
            () -> {
              assertThat(
                      prometheus.query(
                          "count_over_time(up{job=\"backend\"}" + SIX_SCRAPES + ") >= 5"))
                  .as("at least five scrapes in six scrape intervals")
                  .hasSize(1);
              assertThat(
                      prometheus.query(
                          "min_over_time(up{job=\"backend\"}" + SIX_SCRAPES + ") == 1"))
                  .as("every one of them up")
                  .hasSize(1);
              JsonNode target =
                  prometheus
                      .data("/api/v1/targets?state=active")
                      .path("activeTargets")
                      .values()
                      .stream()
                      .filter((one) -> one.path("labels").path("job").asString().equals("backend"))
                      .findFirst()
                      .orElseThrow();
              assertThat(target.path("health").asString()).isEqualTo("up");
              assertThat(target.path("lastError").asString()).isEmpty();
            });
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void everyExemplarIsTheTraceIdOfASpanTheReceiverGot(PrometheusRelease release) {
    Set<String> exemplars = exemplarTraceIds(prometheuses.get(release), requestBucketsSelector());

    assertThat(exemplars).isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(receivedServices.keySet()).containsAll(exemplars));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void everyExemplarQueryOfTheDashboardsReturnsExemplarsOfReceivedTraces(
      PrometheusRelease release) {
    List<String> queries = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    for (String file : Dashboards.files()) {
      for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
        for (JsonNode target : panel.path("targets").values()) {
          if (target.path("exemplar").asBoolean(false)) {
            String expr = Dashboards.withDefaultSelections(target.path("expr").asString());
            queries.add(expr);
            Set<String> traceIds = exemplarTraceIds(prometheuses.get(release), expr);
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

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void theTempoDatasourcesMetricQueriesReturnDataForTheTracedApplication(PrometheusRelease release)
      throws IOException {
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
      if (prometheuses.get(release).query(promql).isEmpty()) {
        empty.add(query.path("name").asString() + ": " + promql);
      }
    }
    assertThat(tracesToMetrics.path("queries").values()).isNotEmpty();
    assertThat(empty).isEmpty();
  }

  private static String requestBucketsSelector() {
    return "http_server_requests_seconds_bucket{application=\"demo-app\"}";
  }

  private static Set<String> exemplarTraceIds(PrometheusProcess prometheus, String promql) {
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
