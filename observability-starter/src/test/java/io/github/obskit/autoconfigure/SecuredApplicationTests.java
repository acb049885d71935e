package io.github.obskit.autoconfigure;

import static io.github.obskit.JsonLogLines.awaitEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.securedapp.SecuredTestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/** Requests that Spring Security rejects read the same in the access log and the metrics. */
@DirtiesContext
@SpringBootTest(
    classes = SecuredTestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.application.name=obskit-secured")
@AutoConfigureMetrics
@ExtendWith(OutputCaptureExtension.class)
class SecuredApplicationTests {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @ParameterizedTest
  @CsvSource({"401, unauthenticated, ''", "403, forbidden, user:secret"})
  void rejectedRequestsLogTheRouteTheMetricsTag(
      int status, String requestId, String credentials, CapturedOutput output) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/hello/world")).header("X-Request-Id", requestId);
    if (!credentials.isEmpty()) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    assertThat(send(request).statusCode()).isEqualTo(status);

    JsonNode access =
        awaitEvent(
            output,
            (line) ->
                "obskit.access".equals(line.path("logger_name").asString())
                    && requestId.equals(line.path("request_id").asString()));
    assertThat(access.get("status").asInt()).isEqualTo(status);
    String route = access.get("route").asString();
    // CORS found the handler before Security rejected the request: no handler ran, yet the metric
    // names the route (a filter reading the handler's request attributes logged UNKNOWN here).
    assertThat(route).isEqualTo("/hello/{name}");
    // The server stops the request timer after it has flushed the answer: scrape until it has.
    List<String> rejected =
        await()
            .atMost(Waits.CONDITION)
            .until(
                () ->
                    send(HttpRequest.newBuilder(uri("/metrics")))
                        .body()
                        .lines()
                        .filter((line) -> line.startsWith("http_server_requests_seconds_count"))
                        .filter((line) -> line.contains("status=\"" + status + "\""))
                        .toList(),
                (series) -> !series.isEmpty());
    assertThat(rejected)
        .singleElement()
        .satisfies((series) -> assertThat(series).contains("uri=\"" + route + "\""));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return this.http.send(
        request.timeout(Waits.HTTP).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + this.port + path);
  }
}
