package io.github.obskit.autoconfigure;

import static io.github.obskit.JsonLogLines.awaitEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.reactiveapp.ReactiveTestApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.reactive.HandlerMapping;
import tools.jackson.databind.JsonNode;

/** A WebFlux service gets what a servlet one gets (see {@link StarterApplicationTests}). */
@DirtiesContext
@SpringBootTest(
    classes = ReactiveTestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "spring.application.name=obskit-reactive",
      "observability.metrics.env=test"
    })
@AutoConfigureMetrics
@ExtendWith(OutputCaptureExtension.class)
class ReactiveApplicationTests {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @Autowired private ApplicationContext context;

  @Test
  void isAReactiveApplicationWithoutServletBeans() {
    assertThat(this.context.getBeansOfType(HandlerMapping.class))
        .containsKey("prometheusScrapePathRoute");
    assertThat(this.context.getBeanNamesForType(jakarta.servlet.Filter.class)).isEmpty();
  }

  @Test
  void responsesCarryTheTraceIdOfTheRequest() throws Exception {
    HttpResponse<String> first = get("/orders/7");
    HttpResponse<String> second = get("/orders/8");

    String traceId = first.headers().firstValue("X-Trace-Id").orElseThrow();
    assertThat(traceId).matches("[0-9a-f]{32}");
    assertThat(second.headers().firstValue("X-Trace-Id"))
        .hasValueSatisfying((id) -> assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo(traceId));
  }

  @Test
  void metricsPathServesRequestMetricsWithRouteTemplatesAndCommonTags() throws Exception {
    get("/orders/42");

    HttpResponse<String> scrape = scrapeOnceRecorded("/orders/{id}");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain;version=0.0.4"));
    assertThat(seriesOf(scrape.body(), "http_server_requests_seconds_count"))
        .anySatisfy(
            (series) ->
                assertThat(series)
                    .contains("application=\"obskit-reactive\"")
                    .contains("env=\"test\"")
                    .contains("uri=\"/orders/{id}\"")
                    .contains("status=\"200\""));
    assertThat(seriesOf(scrape.body(), "http_server_requests_seconds_bucket"))
        .anySatisfy((series) -> assertThat(series).contains("le=\"0.025\""));
  }

  @Test
  void metricsPathNegotiatesOpenMetricsAndRefusesOtherMethods() throws Exception {
    HttpResponse<String> openMetrics =
        get("/metrics", "Accept", "application/openmetrics-text;version=1.0.0");
    HttpResponse<String> post =
        this.http.send(
            HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Waits.HTTP)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> xml = get("/metrics", "Accept", "application/xml");

    assertThat(openMetrics.body()).endsWith("# EOF\n");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
    assertThat(xml.statusCode()).isEqualTo(406);
    assertThat(xml.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void scrapesAndHealthChecksAreNeitherRecordedNorLogged(CapturedOutput output) throws Exception {
    get("/actuator/health", "X-Request-Id", "health-check");
    get("/metrics", "X-Request-Id", "scrape-request");
    get("/actuator/prometheus");
    get("/orders/5", "X-Request-Id", "after-scrape");

    awaitAccessEvent(output, "after-scrape");
    String scrape = get("/metrics").body();
    assertThat(seriesOf(scrape, "http_server_requests_seconds_count"))
        .noneMatch((series) -> series.contains("uri=\"/metrics\""))
        .noneMatch((series) -> series.contains("uri=\"/actuator"));
    assertThat(output.getOut()).doesNotContain("scrape-request").doesNotContain("health-check");
  }

  @Test
  void randomUnknownPathsDoNotAddSeries() throws Exception {
    assertThat(get("/unknown/warm-up").statusCode()).isEqualTo(404);
    int before = seriesOf(scrapeOnceRecorded("NOT_FOUND").body(), "http_server_requests").size();

    for (int i = 0; i < 1000; i++) {
      assertThat(get("/unknown/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    List<String> after = seriesOf(get("/metrics").body(), "http_server_requests");
    assertThat(after).hasSize(before);
    assertThat(after).noneMatch((series) -> series.contains("/unknown/"));
    assertThat(after)
        .anyMatch((series) -> series.contains("uri=\"NOT_FOUND\""))
        .noneMatch((series) -> series.contains("uri=\"/**\""));
  }

  @Test
  void requestIdIsEchoedAndLoggedInTheAccessLog(CapturedOutput output) throws Exception {
    HttpResponse<String> response =
        get("/orders/42?secret=hidden", "X-Request-Id", "abc-123.X_y", "User-Agent", "tests/1.0");

    assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123.X_y");
    JsonNode access = awaitAccessEvent(output, "abc-123.X_y");
    assertThat(access.get("message").asString()).matches("GET /orders/42 200 \\d+ ms");
    assertThat(access.get("method").asString()).isEqualTo("GET");
    assertThat(access.get("path").asString()).isEqualTo("/orders/42");
    assertThat(access.get("route").asString()).isEqualTo("/orders/{id}");
    assertThat(access.get("status").asInt()).isEqualTo(200);
    assertThat(access.get("duration_ms").isIntegralNumber()).isTrue();
    assertThat(access.get("client_address").asString()).isEqualTo("127.0.0.1");
    assertThat(access.get("user_agent").asString()).isEqualTo("tests/1.0");
    assertThat(access.get("app").asString()).isEqualTo("obskit-reactive");
    assertThat(access.toString()).doesNotContain("hidden");
    // One appender thread writes the access lines in order: a second line of the request would
    // come before the line of the request after it.
    get("/orders/43", "X-Request-Id", "after-echo");
    awaitAccessEvent(output, "after-echo");
    assertThat(output.getOut().lines().filter((line) -> line.contains("\"abc-123.X_y\"")))
        .filteredOn((line) -> line.contains("obskit.access"))
        .hasSize(1);
  }

  @Test
  void unsafeRequestIdsAreReplaced() throws Exception {
    String unsafe =
        get("/orders/1", "X-Request-Id", "bad id;<script>")
            .headers()
            .firstValue("X-Request-Id")
            .orElseThrow();
    String generated = get("/orders/3").headers().firstValue("X-Request-Id").orElseThrow();

    assertThat(List.of(unsafe, generated))
        .allSatisfy((id) -> assertThat(id).matches("[0-9a-f]{32}"))
        .doesNotHaveDuplicates();
  }

  @Test
  void everyLogLineOfTheRequestCarriesItsIdOnEveryThread(CapturedOutput output) throws Exception {
    String marker = UUID.randomUUID().toString();
    get("/log?message=" + marker, "X-Request-Id", "reactive-log");

    JsonNode onWorker =
        awaitEvent(output, (line) -> marker.equals(line.path("message").asString()));
    JsonNode onRequestThread =
        awaitEvent(
            output,
            (line) -> (marker + " on the request thread").equals(line.path("message").asString()));

    assertThat(onWorker.get("request_id").asString()).isEqualTo("reactive-log");
    assertThat(onWorker.get("thread_name").asString()).contains("boundedElastic");
    assertThat(onRequestThread.get("request_id").asString()).isEqualTo("reactive-log");
  }

  @Test
  void unknownPathsAndFailuresAreLoggedWithTheRouteOfTheMetrics(CapturedOutput output)
      throws Exception {
    get("/no/such/page", "X-Request-Id", "unknown-path");
    assertThat(get("/fail", "X-Request-Id", "failing-request").statusCode()).isEqualTo(500);

    JsonNode unknown = awaitAccessEvent(output, "unknown-path");
    assertThat(unknown.get("status").asInt()).isEqualTo(404);
    assertThat(unknown.get("route").asString()).isEqualTo("NOT_FOUND");
    JsonNode failed = awaitAccessEvent(output, "failing-request");
    assertThat(failed.get("status").asInt()).isEqualTo(500);
    assertThat(failed.get("route").asString()).isEqualTo("/fail");
  }

  /**
   * Scrapes until the request timer has a series of the route: the server stops the timer after it
   * has sent the answer, so a scrape right after a request may come before it is recorded.
   */
  private HttpResponse<String> scrapeOnceRecorded(String route) {
    return await()
        .atMost(Waits.CONDITION)
        .until(
            () -> get("/metrics"),
            (scrape) ->
                seriesOf(scrape.body(), "http_server_requests_seconds_count").stream()
                    .anyMatch((series) -> series.contains("uri=\"" + route + "\"")));
  }

  private JsonNode awaitAccessEvent(CapturedOutput output, String requestId) {
    return awaitEvent(
        output,
        (line) ->
            "obskit.access".equals(line.path("logger_name").asString())
                && requestId.equals(line.path("request_id").asString()));
  }

  private static List<String> seriesOf(String exposition, String prefix) {
    List<String> series = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith(prefix)) {
        series.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return series;
  }

  private HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Waits.HTTP);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + this.port + path);
  }
}
