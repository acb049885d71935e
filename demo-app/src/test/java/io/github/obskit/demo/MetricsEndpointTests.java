package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.e2e.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
class MetricsEndpointTests {

  private static final String STATUS_ROUTE = "uri=\"/status/{status_code}\"";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @Test
  void metricsCountRequestsByStatusAndRouteTemplate() throws Exception {
    double conflictsBefore = requestCount(scrape(), "409");
    double okBefore = requestCount(scrape(), "200");

    get("/status/409");
    get("/status/409");
    get("/status/200");

    // The observation is stopped after the response is written, so the scrape may briefly lag.
    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () -> {
              String metrics = scrape();
              assertThat(requestCount(metrics, "409")).isEqualTo(conflictsBefore + 2);
              assertThat(requestCount(metrics, "200")).isEqualTo(okBefore + 1);
            });
  }

  @Test
  void metricsNeverUseTheRawRequestPathAsALabel() throws Exception {
    get("/status/418");
    get("/no-such-path");

    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .contains("status=\"418\"")
                    .contains("uri=\"NOT_FOUND\"")
                    .doesNotContain("uri=\"/status/418\"")
                    .doesNotContain("/no-such-path"));
  }

  @Test
  void sleepingRequestsAreSlowerThanTheirSleepInTheLatencyHistogram() throws Exception {
    // A status no other test asks for, so the series holds only this request.
    get("/status/226?seconds_sleep=0.3");

    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () -> {
              String metrics = scrape();
              assertThat(requestCount(metrics, "226")).isEqualTo(1);
              // Lower bounds only: the request took at least its 0.3 s sleep.
              assertThat(series(metrics, "http_server_requests_seconds_bucket{", "226", "0.25"))
                  .isZero();
              assertThat(series(metrics, "http_server_requests_seconds_bucket{", "226", "+Inf"))
                  .isEqualTo(1);
            });
  }

  @Test
  void metricsAreServedAsPrometheusText() throws Exception {
    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).contains("# TYPE http_server_requests_seconds histogram");
  }

  @Test
  void everyMetricOfTheScrapeHasHelpTextAlsoAfterASleep() throws Exception {
    get("/status/200?seconds_sleep=0.05");

    // promtool check metrics reports "no help text" for the same lines. Micrometer's TomcatMetrics
    // registers its session meters without descriptions; they are Micrometer's to describe.
    assertThat(
            scrape()
                .lines()
                .filter(line -> line.startsWith("# HELP "))
                .filter(line -> !line.startsWith("# HELP tomcat_sessions_")))
        .isNotEmpty()
        .allSatisfy(help -> assertThat(help).matches("# HELP \\S+ \\S.*"));
  }

  /** Sums {@code http_server_requests_seconds_count} over the series of the status route. */
  private static double requestCount(String metrics, String status) {
    return series(metrics, "http_server_requests_seconds_count{", status, "");
  }

  /** Sums the samples of one series name of the status route, optionally of one bucket. */
  private static double series(String metrics, String prefix, String status, String le) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(prefix))
        .filter(line -> line.contains(STATUS_ROUTE) && line.contains("status=\"" + status + "\""))
        .filter(line -> le.isEmpty() || line.contains("le=\"" + le + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private String scrape() throws IOException, InterruptedException {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        BodyHandlers.ofString());
  }
}
