package io.github.obskit.autoconfigure;

import static io.github.obskit.JsonLogLines.awaitEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

// Boot initialises logging once per JVM until a context closes: closing this one lets the next test
// class start with the logging configuration its own properties select.
@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.application.name=obskit-test",
      "observability.metrics.env=test",
      "management.endpoint.health.group.readiness.show-components=always"
    })
@AutoConfigureMetrics
@ExtendWith(OutputCaptureExtension.class)
class StarterApplicationTests {

  private static final JsonMapper json = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

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
                    .contains("application=\"obskit-test\"")
                    .contains("env=\"test\"")
                    .contains("uri=\"/orders/{id}\"")
                    .contains("status=\"200\""));
    assertThat(seriesOf(scrape.body(), "jvm_memory_used_bytes"))
        .allSatisfy((series) -> assertThat(series).contains("application=\"obskit-test\""));
  }

  @Test
  void metricsPathServesTheSameSeriesAsTheActuatorEndpoint() throws Exception {
    get("/orders/1");

    Set<String> before = metricFamilies(scrapeOnceRecorded("/orders/{id}").body());
    Set<String> actuator = metricFamilies(get("/actuator/prometheus").body());
    Set<String> after = metricFamilies(get("/metrics").body());

    // Meters are only ever added here (a first GC adds jvm_gc_pause), so the scrapes nest.
    assertThat(before).isNotEmpty().contains("# TYPE http_server_requests_seconds histogram");
    assertThat(actuator).containsAll(before);
    assertThat(after).containsAll(actuator);
  }

  @Test
  void metricsPathNegotiatesOpenMetrics() throws Exception {
    HttpResponse<String> scrape =
        get("/metrics", "Accept", "application/openmetrics-text;version=1.0.0");

    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying(
            (type) -> assertThat(type).startsWith("application/openmetrics-text;version=1.0.0"));
    assertThat(scrape.body()).endsWith("# EOF\n");
  }

  @Test
  void metricsPathServesTextToAScraperThatRefusesOpenMetricsWithWeightZero() throws Exception {
    HttpResponse<String> scrape =
        get("/metrics", "Accept", "application/openmetrics-text;q=0, text/plain");

    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain;version=0.0.4"));
    assertThat(scrape.body()).doesNotContain("# EOF");
  }

  @Test
  void metricsPathRejectsUnsupportedMediaTypesWithAProblem() throws Exception {
    HttpResponse<String> scrape = get("/metrics", "Accept", "application/xml");

    assertThat(scrape.statusCode()).isEqualTo(406);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json.readTree(scrape.body()).get("detail").asString())
        .contains("application/xml")
        .contains("text/plain");
  }

  @Test
  void metricsPathRejectsAMalformedAcceptHeaderWithABadRequestProblem() throws Exception {
    HttpResponse<String> scrape = get("/metrics", "Accept", "text/plain;;;=\"x");

    assertThat(scrape.statusCode()).isEqualTo(400);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json.readTree(scrape.body()).get("detail").asString())
        .startsWith("The Accept header [text/plain;;;=\"x] is not a list of media types");
  }

  @Test
  void metricsPathRefusesOtherMethodsThanGetAndHead() throws Exception {
    HttpResponse<String> post =
        this.http.send(
            HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Waits.HTTP)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> head =
        this.http.send(
            HttpRequest.newBuilder(uri("/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Waits.HTTP)
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
    assertThat(post.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Type"))
        .hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain;version=0.0.4"));
    assertThat(head.headers().firstValueAsLong("Content-Length").orElse(0)).isPositive();
  }

  @Test
  void metricsPathIsCompressedWhenTheScraperAsksForGzip() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri("/metrics")).header("Accept-Encoding", "gzip").build();

    HttpResponse<byte[]> scrape = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());

    assertThat(scrape.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (GZIPInputStream body = new GZIPInputStream(new ByteArrayInputStream(scrape.body()))) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
          .contains("# TYPE jvm_memory_used_bytes gauge");
    }
  }

  @Test
  void openMetricsScrapeIsCompressedWhenTheScraperAsksForGzip() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri("/metrics"))
            .header("Accept", "application/openmetrics-text;version=1.0.0")
            .header("Accept-Encoding", "gzip")
            .build();

    HttpResponse<byte[]> scrape = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());

    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying((type) -> assertThat(type).startsWith("application/openmetrics-text"));
    assertThat(scrape.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (GZIPInputStream body = new GZIPInputStream(new ByteArrayInputStream(scrape.body()))) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
    }
  }

  @Test
  void applicationJsonIsNotCompressedThoughTheClientAcceptsGzip() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri("/orders")).header("Accept-Encoding", "gzip").build();

    HttpResponse<String> orders = this.http.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(orders.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(orders.headers().firstValue("Content-Encoding")).isEmpty();
    // Above Boot's 2 KB minimum: only the type keeps it from being compressed.
    assertThat(orders.body()).hasSizeGreaterThan(2048).startsWith("[{");
  }

  @Test
  void requestTimerHasTheSloBucketsAndTheInFlightGaugeHasNone() throws Exception {
    get("/orders/7");

    String scrape = scrapeOnceRecorded("/orders/{id}").body();

    Set<String> bounds = new TreeSet<>();
    for (String series : seriesOf(scrape, "http_server_requests_seconds_bucket")) {
      if (series.contains("uri=\"/orders/{id}\"")) {
        bounds.add(series.replaceAll(".*le=\"([^\"]+)\".*", "$1"));
      }
    }
    assertThat(bounds)
        .containsExactlyInAnyOrder(
            "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
            "+Inf");
    assertThat(scrape).contains("# TYPE http_server_requests_active_seconds summary");
    assertThat(scrape).doesNotContain("http_server_requests_active_seconds_bucket");
  }

  @Test
  void scrapesAndHealthChecksAreNotRecordedAsRequests() throws Exception {
    get("/actuator/health");
    get("/metrics");
    get("/actuator/prometheus");
    get("/");

    // Each request is recorded after its answer: once the last one (the only request to this route)
    // is, a late recording of the scrapes and health checks would most likely be there too.
    String scrape = scrapeOnceRecorded("/").body();

    assertThat(seriesOf(scrape, "http_server_requests_seconds_count"))
        .noneMatch((series) -> series.contains("uri=\"/metrics\""))
        .noneMatch((series) -> series.contains("uri=\"/actuator"));
  }

  @Test
  void onlyHealthInfoAndPrometheusAreExposed() throws Exception {
    assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
    assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
  }

  @Test
  void readinessIncludesTheLogPipelineAndDroppedEventsAreCounted() throws Exception {
    HttpResponse<String> readiness = get("/actuator/health/readiness");

    assertThat(readiness.statusCode()).isEqualTo(200);
    JsonNode components = json.readTree(readiness.body()).get("components");
    assertThat(components.get("logPipeline").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("readinessState").get("status").asString()).isEqualTo("UP");
    assertThat(get("/metrics").body())
        .contains("# HELP log_dropped_events_total Log events not written to stdout, by reason")
        .contains("# TYPE log_dropped_events_total counter")
        .contains(
            "reason=\"queue_full\"",
            "reason=\"encoding_failed\"",
            "reason=\"too_large\"",
            "reason=\"write_failed\"",
            "reason=\"shutdown\"")
        .contains("# TYPE log_truncated_events_total counter");
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
  void everyLogLineIsOneJsonObjectWithTheContractFields(CapturedOutput output) throws Exception {
    String marker = UUID.randomUUID().toString();
    get("/log?message=" + marker, "X-Request-Id", "contract-check");

    JsonNode event = awaitEvent(output, (line) -> marker.equals(line.path("message").asString()));

    assertThat(fieldNames(event))
        .contains(
            "@timestamp",
            "level",
            "logger_name",
            "thread_name",
            "message",
            "app",
            "env",
            "request_id");
    assertThat(event.get("app").asString()).isEqualTo("obskit-test");
    assertThat(event.get("env").asString()).isEqualTo("test");
    assertThat(event.get("level").asString()).isEqualTo("INFO");
    assertThat(event.get("request_id").asString()).isEqualTo("contract-check");
    assertThat(event.get("logger_name").asString()).endsWith("TestController");
    for (String line : output.getOut().split("\n")) {
      if (!line.isBlank()) {
        assertThat(json.readTree(line).isObject()).as(line).isTrue();
      }
    }
  }

  @Test
  void messagesWithLineBreaksAndQuotesStayOnOneLine(CapturedOutput output) throws Exception {
    String marker = UUID.randomUUID().toString();
    String message = "first line\r\nsecond \"quoted\" line " + marker;
    get("/log?message=" + URLEncoder.encode(message, StandardCharsets.UTF_8));

    awaitEvent(output, (line) -> message.equals(line.path("message").asString()));

    assertThat(output.getOut().lines().filter((line) -> line.contains(marker)))
        .singleElement()
        .satisfies((line) -> assertThat(line).startsWith("{").endsWith("}"));
  }

  @Test
  void failuresLogTheStackTraceInOneField(CapturedOutput output) throws Exception {
    assertThat(get("/fail", "X-Request-Id", "failing-request").statusCode()).isEqualTo(500);

    JsonNode error =
        awaitEvent(
            output, (line) -> line.path("stack_trace").asString().contains("requested failure"));
    assertThat(error.get("level").asString()).isEqualTo("ERROR");
    assertThat(error.get("stack_trace").asString()).contains("TestController.fail");
    JsonNode access = awaitAccessEvent(output, "failing-request");
    assertThat(access.get("status").asInt()).isEqualTo(500);
    assertThat(access.get("route").asString()).isEqualTo("/fail");
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
    assertThat(access.get("status").isIntegralNumber()).isTrue();
    assertThat(access.get("duration_ms").isIntegralNumber()).isTrue();
    assertThat(access.get("client_address").asString()).isEqualTo("127.0.0.1");
    assertThat(access.get("user_agent").asString()).isEqualTo("tests/1.0");
    assertThat(access.toString()).doesNotContain("hidden");
  }

  @Test
  void pathParametersSuchAsSessionIdsAreNotLogged(CapturedOutput output) throws Exception {
    get("/orders/42;jsessionid=SECRET0123", "X-Request-Id", "path-parameters");

    JsonNode access = awaitAccessEvent(output, "path-parameters");
    assertThat(access.get("path").asString()).isEqualTo("/orders/42");
    assertThat(access.toString()).doesNotContain("SECRET0123");
  }

  @Test
  void unknownPathsAreLoggedWithTheNotFoundRouteOfTheMetrics(CapturedOutput output)
      throws Exception {
    get("/no/such/page", "X-Request-Id", "unknown-path");

    JsonNode access = awaitAccessEvent(output, "unknown-path");
    assertThat(access.get("status").asInt()).isEqualTo(404);
    assertThat(access.get("route").asString()).isEqualTo("NOT_FOUND");
    assertThat(access.get("path").asString()).isEqualTo("/no/such/page");
  }

  @Test
  void asynchronousRequestsAreLoggedOnceTheyComplete(CapturedOutput output) throws Exception {
    HttpResponse<String> response = get("/async/9", "X-Request-Id", "async-request");

    assertThat(response.body()).isEqualTo("async 9");
    JsonNode access = awaitAccessEvent(output, "async-request");
    assertThat(access.get("status").asInt()).isEqualTo(200);
    assertThat(access.get("route").asString()).isEqualTo("/async/{id}");
    // One appender thread writes the access lines in order: a second line of the asynchronous
    // request would come before the line of the request after it.
    get("/orders/12", "X-Request-Id", "after-async");
    awaitAccessEvent(output, "after-async");
    assertThat(output.getOut().lines().filter((line) -> line.contains("\"async-request\"")))
        .filteredOn((line) -> line.contains("obskit.access"))
        .hasSize(1);
  }

  @Test
  void unsafeOrOverlongRequestIdsAreReplaced(CapturedOutput output) throws Exception {
    String unsafe =
        get("/orders/1", "X-Request-Id", "bad id;<script>")
            .headers()
            .firstValue("X-Request-Id")
            .orElseThrow();
    String overlong =
        get("/orders/2", "X-Request-Id", "a".repeat(65))
            .headers()
            .firstValue("X-Request-Id")
            .orElseThrow();
    String generated = get("/orders/3").headers().firstValue("X-Request-Id").orElseThrow();

    assertThat(List.of(unsafe, overlong, generated))
        .allSatisfy((id) -> assertThat(id).matches("[0-9a-f]{32}"))
        .doesNotHaveDuplicates();
    assertThat(awaitAccessEvent(output, generated).get("path").asString()).isEqualTo("/orders/3");
  }

  @Test
  void scrapesAreNotInTheAccessLog(CapturedOutput output) throws Exception {
    get("/metrics", "X-Request-Id", "scrape-request");
    get("/orders/5", "X-Request-Id", "after-scrape");

    awaitAccessEvent(output, "after-scrape");
    assertThat(output.getOut()).doesNotContain("scrape-request");
  }

  /**
   * Scrapes until the request timer has a series of the route: the server stops the timer after it
   * has flushed the answer, so a scrape right after a request may come before it is recorded.
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

  private static Set<String> fieldNames(JsonNode node) {
    return new TreeSet<>(node.propertyNames());
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

  private static Set<String> metricFamilies(String exposition) {
    Set<String> families = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        families.add(line);
      }
    }
    return families;
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
