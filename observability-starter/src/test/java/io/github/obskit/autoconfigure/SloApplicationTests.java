package io.github.obskit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.application.name=slo-test",
      "observability.slo.availability.objective=99.5",
      "observability.slo.latency.threshold=300ms",
      "observability.slo.latency.routes[0].uri=/orders/{id}",
      "observability.slo.latency.routes[0].threshold=2500ms"
    })
@AutoConfigureMetrics
class SloApplicationTests {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort private int port;

  @Test
  void scrapeHoldsTheObjectivesAndTheirThresholdsAsBucketsWrittenAlike() throws Exception {
    get("/orders/7");
    get("/orders");

    String scrape = get("/metrics");

    assertThat(lines(scrape, "obskit_slo_objective_ratio{"))
        .containsExactlyInAnyOrder(
            "obskit_slo_objective_ratio{application=\"slo-test\",le=\"\",slo=\"availability\","
                + "uri=\"\"} 0.995",
            "obskit_slo_objective_ratio{application=\"slo-test\",le=\"0.3\",slo=\"latency\","
                + "uri=\"\"} 0.99",
            "obskit_slo_objective_ratio{application=\"slo-test\",le=\"2.5\",slo=\"latency\","
                + "uri=\"/orders/{id}\"} 0.99");
    assertThat(lines(scrape, "http_server_requests_seconds_bucket{"))
        .anyMatch((line) -> line.contains("le=\"0.3\"") && line.contains("uri=\"/orders\""))
        .anyMatch((line) -> line.contains("le=\"2.5\"") && line.contains("uri=\"/orders/{id}\""))
        // The starter's own buckets stay.
        .anyMatch((line) -> line.contains("le=\"0.5\""));
  }

  private static List<String> lines(String scrape, String prefix) {
    return scrape.lines().filter((line) -> line.startsWith(prefix)).toList();
  }

  private String get(String path) throws Exception {
    HttpResponse<String> response =
        this.http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
