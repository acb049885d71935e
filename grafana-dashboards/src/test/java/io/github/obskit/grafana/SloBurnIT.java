package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Ports;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.PrometheusRelease;
import io.github.obskit.e2e.Tools;
import io.github.obskit.e2e.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Objectives declared by each service, judged by the shipped rules unchanged (every {@code for:} as
 * shipped) on a real Prometheus 2 and 3: two demos with different objectives get the same traffic,
 * 5 % answered with a 500. That is 50 x the budget of strict-shop (99.9 %) and half the budget of
 * lenient-shop (90 %): the page fires for strict-shop only. The long windows are sums of the rules'
 * own 5m recordings, so they need no history from before the test.
 */
@TestInstance(Lifecycle.PER_CLASS)
class SloBurnIT {

  private static final JsonMapper json = JsonMapper.builder().build();

  private static final String ALERT = "HttpAvailabilityErrorBudgetBurn";

  private static final String BUDGET =
      "cluster_namespace_job_env_application:http_server_requests_5xx:error_budget";

  private static final String WITHIN_SLO =
      "cluster_namespace_job_env_application:http_server_requests_within_slo:rate5m";

  @AutoClose private final Processes processes = new Processes("slo-burn");

  private final URI strict = URI.create("http://127.0.0.1:" + Ports.free());

  private final URI lenient = URI.create("http://127.0.0.1:" + Ports.free());

  @BeforeAll
  void startTheDemos() {
    Path jar = Tools.builtFile("obskit.demo.jar");
    // strict-shop's latency threshold is a whole second: its bucket and its objective both read
    // le="1.0", which Prometheus 3 keeps as it is.
    Processes.Started strictDemo =
        startDemo(
            "strict-shop",
            jar,
            strict,
            "--observability.slo.availability.objective=99.9",
            "--observability.slo.latency.threshold=1s");
    Processes.Started lenientDemo =
        startDemo(
            "lenient-shop",
            jar,
            lenient,
            "--observability.slo.availability.objective=90",
            "--observability.slo.latency.threshold=300ms");
    strictDemo.awaitOk(strict.resolve("/actuator/health"), Waits.PROCESS);
    lenientDemo.awaitOk(lenient.resolve("/actuator/health"), Waits.PROCESS);
  }

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void theSameTrafficBurnsTheBudgetOfTheStricterServiceOnly(PrometheusRelease release)
      throws IOException {
    URI prometheus = startPrometheus(release);

    await("the availability page of strict-shop on Prometheus " + release.prometheusVersion())
        .atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              driveTraffic();
              assertThat(query(prometheus, "ALERTS{alertname=\"" + ALERT + "\"}"))
                  .anySatisfy(
                      (alert) -> {
                        JsonNode labels = alert.path("metric");
                        assertThat(
                                Map.of(
                                    "application", labels.path("application").asString(),
                                    "severity", labels.path("severity").asString(),
                                    "alertstate", labels.path("alertstate").asString()))
                            .containsExactlyInAnyOrderEntriesOf(
                                Map.of(
                                    "application", "strict-shop",
                                    "severity", "critical",
                                    "alertstate", "firing"));
                      });
            });

    // No budget burn pending or firing for lenient-shop at any evaluation since Prometheus started.
    assertThat(
            query(
                prometheus,
                "max_over_time(ALERTS{alertname=~\"Http.*ErrorBudgetBurn\","
                    + " application=\"lenient-shop\"}[15m])"))
        .isEmpty();
    assertThat(budgets(prometheus))
        .containsExactlyInAnyOrderEntriesOf(Map.of("strict-shop", 0.001, "lenient-shop", 0.1));
    // Each demo's latency objective joins its own bucket (le="1.0" and le="0.3") on this release.
    assertThat(query(prometheus, WITHIN_SLO + " > 0"))
        .extracting((series) -> series.path("metric").path("application").asString())
        .containsExactlyInAnyOrder("strict-shop", "lenient-shop");
  }

  private Map<String, Double> budgets(URI prometheus) {
    return query(prometheus, "round(" + BUDGET + ", 0.0001)").values().stream()
        .collect(
            java.util.stream.Collectors.toMap(
                (series) -> series.path("metric").path("application").asString(),
                (series) -> Double.parseDouble(series.path("value").get(1).asString())));
  }

  private Processes.Started startDemo(String name, Path jar, URI uri, String... objectives) {
    List<String> arguments =
        new java.util.ArrayList<>(
            List.of(
                "-Xmx256m",
                "--",
                "--server.address=127.0.0.1",
                "--server.port=" + uri.getPort(),
                "--spring.application.name=" + name,
                "--observability.metrics.env=e2e"));
    arguments.addAll(List.of(objectives));
    return processes.startJar(name, jar, arguments);
  }

  // The shipped http.rules.yml as it is; scrapes and evaluations every 2 s.
  private URI startPrometheus(PrometheusRelease release) throws IOException {
    URI uri = URI.create("http://127.0.0.1:" + Ports.free());
    Path work = processes.directory().resolve("prometheus-" + release.name().toLowerCase());
    Files.createDirectories(work);
    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 2s
          evaluation_interval: 2s
        rule_files: [%s]
        scrape_configs:
          - job_name: backend
            metrics_path: /metrics
            static_configs:
              - targets: ["%s", "%s"]
        """
            .formatted(
                Path.of("rules", "http.rules.yml").toAbsolutePath(),
                strict.getAuthority(),
                lenient.getAuthority()));
    Processes.Finished check =
        processes.run(
            Duration.ofMinutes(1),
            List.of(release.promtool(), "check", "config", config.toString()));
    assertThat(check.exitCode()).as(check.output()).isZero();
    Processes.Started started =
        processes.start(
            "prometheus-" + release.prometheusVersion(),
            List.of(
                release.prometheus(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=" + uri.getAuthority()));
    started.awaitOk(uri.resolve("/-/ready"), Waits.PROCESS);
    return uri;
  }

  // 19 answers of 200 and one 500 per demo.
  private void driveTraffic() {
    for (URI demo : List.of(strict, lenient)) {
      for (int i = 0; i < 19; i++) {
        Http.get(demo.resolve("/status/200"));
      }
      Http.get(demo.resolve("/status/500"));
    }
  }

  private static JsonNode query(URI prometheus, String promql) {
    HttpResponse<String> response =
        Http.get(prometheus.resolve("/api/v1/query?query=" + PrometheusProcess.encode(promql)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body()).path("data").path("result");
  }
}
