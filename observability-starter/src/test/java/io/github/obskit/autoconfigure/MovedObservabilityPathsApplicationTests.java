package io.github.obskit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Scrapes and health checks stay out of the request metrics and the access log when every path they
 * use is moved, the DispatcherServlet included, and when the health probes get paths of their own.
 */
// Boot initialises logging once per JVM until a context closes: closing this one lets the next test
// class start with the logging configuration its own properties select.
@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.mvc.servlet.path=/api",
      "management.endpoints.web.base-path=/manage",
      "management.endpoint.health.probes.enabled=true",
      "management.endpoint.health.probes.add-additional-paths=true",
      "observability.prometheus.path=/scrape",
      "observability.passenger.enabled=true",
      "observability.passenger.source=simulator",
      "observability.passenger.endpoint.path=/passenger/scrape"
    })
@AutoConfigureMetrics
@ExtendWith(OutputCaptureExtension.class)
class MovedObservabilityPathsApplicationTests {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @Test
  void movedScrapesAndHealthChecksAreNeitherRecordedNorLogged(CapturedOutput output)
      throws Exception {
    assertThat(get("/api/manage/health", "moved-health").statusCode()).isEqualTo(200);
    assertThat(get("/api/livez", "probe-liveness").statusCode()).isEqualTo(200);
    assertThat(get("/api/scrape", "moved-scrape").statusCode()).isEqualTo(200);
    assertThat(get("/api/passenger/scrape", "moved-passenger").statusCode()).isEqualTo(200);
    assertThat(get("/api/orders/1", "after-moved").statusCode()).isEqualTo(200);

    // The server stops the request timer after it has flushed the answer: wait for the last request
    // to be recorded (the others were answered, and most likely recorded, before it).
    List<String> requestSeries =
        await()
            .atMost(Waits.CONDITION)
            .until(
                () ->
                    get("/api/scrape", "final-scrape")
                        .body()
                        .lines()
                        .filter((line) -> line.startsWith("http_server_requests_seconds_count"))
                        .toList(),
                (series) -> series.stream().anyMatch((line) -> line.contains("/orders/{id}")));
    assertThat(requestSeries)
        .noneMatch((series) -> series.contains("scrape"))
        .noneMatch((series) -> series.contains("/manage"))
        .noneMatch((series) -> series.contains("livez"));
    await().atMost(Waits.CONDITION).until(() -> accessLog(output).contains("after-moved"));
    assertThat(accessLog(output))
        .doesNotContain("moved-health")
        .doesNotContain("probe-liveness")
        .doesNotContain("moved-scrape")
        .doesNotContain("moved-passenger");
  }

  private static String accessLog(CapturedOutput output) {
    return output
        .getOut()
        .lines()
        .filter((line) -> line.contains("\"logger_name\":\"obskit.access\""))
        .collect(Collectors.joining("\n"));
  }

  private HttpResponse<String> get(String path, String requestId) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .header("X-Request-Id", requestId)
            .timeout(Waits.HTTP)
            .build();
    return this.http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
