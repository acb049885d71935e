package io.github.obskit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Tools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * scripts/health.sh against services stubbed in this test: every path answers 200, except Loki's
 * query endpoint, which answers like Loki: a sample when the stack's services have logged ({@code
 * /loki/api/v1/query} queried for {@code {service=...}}), none when nothing was shipped ({@code
 * /empty/loki/api/v1/query}). Port 9 (discard) is closed on loopback: a service down.
 */
@TestInstance(Lifecycle.PER_CLASS)
class HealthScriptIT {

  private static final String DOWN = "http://127.0.0.1:9";

  private static final List<String> SERVICE_URLS =
      List.of(
          "BACKEND_URL",
          "PROMETHEUS_URL",
          "ALERTMANAGER_URL",
          "LOKI_URL",
          "TEMPO_URL",
          "GRAFANA_URL",
          "ALLOY_URL",
          "PROMTAIL_URL",
          "PROMETHEUS_B_URL",
          "ALERTMANAGER_B_URL");

  @AutoClose private final Processes processes = new Processes("health-script");

  private HttpServer stub;

  private String up;

  @BeforeAll
  void startTheStub() throws IOException {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext(
        "/",
        (exchange) -> {
          String path = exchange.getRequestURI().getPath();
          String query =
              URLDecoder.decode(
                  String.valueOf(exchange.getRequestURI().getRawQuery()), StandardCharsets.UTF_8);
          String body = "ok";
          if (path.endsWith("/loki/api/v1/query")) {
            boolean shipped = path.equals("/loki/api/v1/query") && query.contains("{service=");
            body =
                "{\"status\": \"success\", \"data\": {\"resultType\": \"vector\", \"result\": ["
                    + (shipped ? "{\"metric\": {}, \"value\": [1767225600, \"42\"]}" : "")
                    + "]}}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    stub.start();
    up = "http://127.0.0.1:" + stub.getAddress().getPort() + "/";
  }

  @AfterAll
  void stopTheStub() {
    stub.stop(0);
  }

  @Test
  void everyServiceAndTheirLogsInLokiAreCheckedWhenAllAnswer() {
    Processes.Finished health = health(Map.of());
    assertThat(health.exitCode()).as(health.output()).isZero();
    assertThat(passed(health)).as(health.output()).isEqualTo(8);
    assertThat(health.stdout()).containsPattern("(?m)^✓ logs");
  }

  @Test
  void aServiceDownIsReportedAndFailsTheScript() {
    Processes.Finished health = health(Map.of("LOKI_URL", DOWN + "/ready"));
    assertThat(health.exitCode()).as(health.output()).isNotZero();
    assertThat(health.stdout()).containsPattern("(?m)^✗ loki");
    assertThat(passed(health)).as(health.output()).isEqualTo(7);
  }

  @Test
  void tempoNotReadyIsReportedOnItsPortAndFailsTheScript() {
    Processes.Finished health = health(Map.of("TEMPO_URL", DOWN + "/ready"));
    assertThat(health.exitCode()).as(health.output()).isNotZero();
    assertThat(health.stdout()).containsPattern("(?m)^✗ tempo");
    assertThat(passed(health)).as(health.output()).isEqualTo(7);
    // Unset, TEMPO_URL is Tempo's readiness endpoint on the port docker-compose.yml publishes.
    assertThat(health(Map.of("TEMPO_URL", "")).stdout())
        .containsPattern("(?m)^. tempo *http://127\\.0\\.0\\.1:3200/ready$");
  }

  // A shipper that keeps no container (another compose project name) is healthy and ships nothing.
  @Test
  void lokiHoldingNoLogLineFailsWithTheProjectNameHint() {
    Processes.Finished health = health(Map.of("LOKI_QUERY_URL", up + "empty/loki/api/v1/query"));
    assertThat(health.exitCode()).as(health.output()).isNotZero();
    assertThat(health.stdout()).containsPattern("(?m)^✗ logs");
    assertThat(passed(health)).as(health.output()).isEqualTo(7);
    assertThat(health.output()).contains("COMPOSE_PROJECT_NAME");
  }

  @Test
  void lokiItselfDownGivesNoProjectNameHint() {
    Processes.Finished health =
        health(Map.of("LOKI_URL", DOWN + "/ready", "LOKI_QUERY_URL", DOWN + "/loki/api/v1/query"));
    assertThat(health.exitCode()).as(health.output()).isNotZero();
    assertThat(health.stdout()).containsPattern("(?m)^✗ logs");
    assertThat(health.output()).doesNotContain("COMPOSE_PROJECT_NAME");
  }

  @Test
  void promtailAsShipperIsCheckedInsteadOfAlloyWithTheLogs() {
    Processes.Finished health = health(Map.of("SHIPPER", "promtail"));
    assertThat(health.exitCode()).as(health.output()).isZero();
    assertThat(health.stdout())
        .containsPattern("(?m)^✓ promtail")
        .containsPattern("(?m)^✓ logs")
        .doesNotContain("alloy");
  }

  @Test
  void noShipperExpectsNoLogsInLoki() {
    Processes.Finished health =
        health(Map.of("SHIPPER", "none", "LOKI_QUERY_URL", up + "empty/loki/api/v1/query"));
    assertThat(health.exitCode()).as(health.output()).isZero();
    assertThat(passed(health)).as(health.output()).isEqualTo(6);
    assertThat(health.stdout()).doesNotContain("logs");
  }

  @Test
  void haAlsoChecksTheSecondPrometheusOnPort9091AndTheSecondAlertmanager() {
    Processes.Finished health = health(Map.of("HA", "true"));
    assertThat(health.exitCode()).as(health.output()).isZero();
    assertThat(health.stdout())
        .containsPattern("(?m)^✓ alertmanager-b")
        .containsPattern("(?m)^✓ prometheus-b");
    assertThat(passed(health)).as(health.output()).isEqualTo(10);
    // Unset, PROMETHEUS_B_URL is the port docker-compose.ha.yml publishes the second replica on.
    assertThat(health(Map.of("HA", "true", "PROMETHEUS_B_URL", "")).stdout())
        .containsPattern("(?m)^. prometheus-b *http://127\\.0\\.0\\.1:9091/-/ready$");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PROMETHEUS_B_URL:prometheus-b", "ALERTMANAGER_B_URL:alertmanager-b"})
  void haReportsASecondInstanceDownAndFails(String variableAndService) {
    String[] parts = variableAndService.split(":");
    Processes.Finished health = health(Map.of("HA", "true", parts[0], DOWN + "/-/ready"));
    assertThat(health.exitCode()).as(health.output()).isNotZero();
    assertThat(health.stdout()).containsPattern("(?m)^✗ " + parts[1]);
  }

  private Processes.Finished health(Map<String, String> overrides) {
    Tools.require("curl", "curl");
    ProcessBuilder builder =
        new ProcessBuilder("bash", RepositoryFiles.STACK.resolve("scripts/health.sh").toString());
    Map<String, String> environment = new HashMap<>();
    SERVICE_URLS.forEach((variable) -> environment.put(variable, up));
    environment.put("LOKI_QUERY_URL", up + "loki/api/v1/query");
    environment.putAll(overrides);
    builder.environment().putAll(environment);
    overrides.forEach(
        (variable, value) -> {
          if (value.isEmpty()) {
            builder.environment().remove(variable);
          }
        });
    return processes.run(Duration.ofMinutes(1), builder);
  }

  private static long passed(Processes.Finished health) {
    return health.stdout().lines().filter((line) -> line.startsWith("✓")).count();
  }
}
