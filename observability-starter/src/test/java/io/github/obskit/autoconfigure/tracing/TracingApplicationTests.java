package io.github.obskit.autoconfigure.tracing;

import static io.github.obskit.JsonLogLines.awaitEvent;
import static io.github.obskit.JsonLogLines.awaitMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import io.github.obskit.autoconfigure.tracing.OtlpReceiver.ReceivedSpan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

// Sampling probability 0: only a caller's sampled traceparent makes a request traced and exported.
@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.application.name=obskit-traced",
      "management.tracing.sampling.probability=0",
      "management.opentelemetry.tracing.export.schedule-delay=100ms"
    })
@AutoConfigureMetrics
@AutoConfigureTracing
@ExtendWith(OutputCaptureExtension.class)
class TracingApplicationTests {

  private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";

  private static final OtlpReceiver receiver = startReceiver();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @DynamicPropertySource
  static void exportToTheReceiver(DynamicPropertyRegistry registry) {
    registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::tracesEndpoint);
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Test
  void requestWithASampledTraceparentIsExportedAsASpanOfTheApplicationInThatTrace()
      throws Exception {
    String traceId = randomHex(16);
    String parentSpanId = randomHex(8);

    HttpResponse<String> response = get("/orders/7", traceparent(traceId, parentSpanId, true));

    assertThat(response.headers().firstValue("X-Trace-Id")).hasValue(traceId);
    ReceivedSpan span = awaitServerSpan(traceId);
    assertThat(span.serviceName()).isEqualTo("obskit-traced");
    assertThat(span.parentSpanId()).isEqualTo(parentSpanId);
    assertThat(span.name()).isEqualTo("http get /orders/{id}");
  }

  @Test
  void logLinesWrittenInATracedRequestCarryItsTraceAndSpanIds(CapturedOutput output)
      throws Exception {
    String traceId = randomHex(16);
    String message = "traced " + UUID.randomUUID();

    get("/log?message=" + message.replace(" ", "%20"), traceparent(traceId, randomHex(8), true));

    JsonNode event = awaitMessage(output, message);
    ReceivedSpan span = awaitServerSpan(traceId);
    assertThat(event.path("traceId").asString()).isEqualTo(traceId);
    assertThat(event.path("spanId").asString()).isEqualTo(span.spanId());
  }

  @Test
  void theAccessLogLineOfATracedRequestCarriesItsTraceAndServerSpanIds(CapturedOutput output)
      throws Exception {
    String traceId = randomHex(16);

    get("/orders/11", traceparent(traceId, randomHex(8), true));

    JsonNode access =
        awaitEvent(
            output,
            (event) ->
                event.path("logger_name").asString().equals("obskit.access")
                    && event.path("path").asString().equals("/orders/11"));
    ReceivedSpan span = awaitServerSpan(traceId);
    assertThat(access.path("traceId").asString()).isEqualTo(traceId);
    assertThat(access.path("spanId").asString()).isEqualTo(span.spanId());
  }

  @Test
  void openMetricsScrapesCarryTheTraceIdAsABucketExemplarAndNeverOnCount() throws Exception {
    // Exemplars are given once an export has succeeded: the receiver has the spans before the
    // exporter has its answer, which the exported-spans counter follows.
    get("/log?message=exported", traceparent(randomHex(16), randomHex(8), true));
    await()
        .atMost(Waits.CONDITION)
        .until(
            () -> get("/metrics").body().lines().anyMatch(TracingApplicationTests::exportedSome));
    String traceId = randomHex(16);

    get("/orders/8", traceparent(traceId, randomHex(8), true));
    awaitServerSpan(traceId);

    // The server records the request's timer (and its exemplar) after the client may already have
    // the answer and the span may have arrived, so each scrape is repeated until it is there.
    for (String path : List.of("/metrics", "/actuator/prometheus")) {
      await()
          .atMost(Waits.CONDITION)
          .untilAsserted(
              () -> {
                List<String> lines = get(path, "Accept", OPENMETRICS).body().lines().toList();
                assertThat(lines)
                    .as(path)
                    .anySatisfy(
                        (line) ->
                            assertThat(line)
                                .startsWith("http_server_requests_seconds_bucket{")
                                .contains("uri=\"/orders/{id}\"")
                                .contains("# {")
                                .contains("trace_id=\"" + traceId + "\""));
                // Prometheus before 2.43 rejects a scrape with an exemplar on _count
                // (micrometer#3996).
                assertThat(lines)
                    .as(path)
                    .filteredOn((line) -> line.contains("# {"))
                    .allSatisfy((line) -> assertThat(line).matches("^[a-z_]+_bucket\\{.*"));
              });
    }
  }

  @Test
  void textScrapeStaysFreeOfExemplars() throws Exception {
    String traceId = randomHex(16);
    get("/orders/9", traceparent(traceId, randomHex(8), true));
    awaitServerSpan(traceId);

    HttpResponse<String> scrape = get("/metrics");

    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain;version=0.0.4"));
    // Every line of the text format is a comment or "name{labels} value", nothing after the value.
    assertThat(scrape.body().lines())
        .isNotEmpty()
        .allSatisfy(
            (line) ->
                assertThat(line)
                    .matches(
                        "^(# (HELP|TYPE) .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? \\S+( \\d+)?)$"))
        .noneMatch((line) -> line.contains(traceId));
  }

  @Test
  void requestWithoutASampledTraceIsNeitherExportedNorAnExemplarButLogsItsTraceId(
      CapturedOutput output) throws Exception {
    String message = "unsampled " + UUID.randomUUID();

    HttpResponse<String> response = get("/log?message=" + message.replace(" ", "%20"));

    String traceId = response.headers().firstValue("X-Trace-Id").orElseThrow();
    assertThat(traceId).matches("[0-9a-f]{32}");
    assertThat(awaitMessage(output, message).path("traceId").asString()).isEqualTo(traceId);
    // A sampled request after it: once its span arrives, the unsampled one would have too.
    String sampled = randomHex(16);
    get("/orders/10", traceparent(sampled, randomHex(8), true));
    awaitServerSpan(sampled);
    assertThat(receiver.spans()).noneMatch((span) -> span.traceId().equals(traceId));
    assertThat(get("/metrics", "Accept", OPENMETRICS).body()).doesNotContain(traceId);
  }

  private static ReceivedSpan awaitServerSpan(String traceId) {
    return await()
        .atMost(Waits.CONDITION)
        .until(
            () ->
                receiver.spans().stream()
                    .filter((span) -> span.traceId().equals(traceId))
                    .filter((span) -> span.name().startsWith("http "))
                    .findFirst()
                    .orElse(null),
            (span) -> span != null);
  }

  private static boolean exportedSome(String line) {
    return line.startsWith("tracing_exported_spans_total{") && !line.endsWith(" 0.0");
  }

  private static String[] traceparent(String traceId, String parentSpanId, boolean sampled) {
    return new String[] {
      "traceparent", "00-" + traceId + "-" + parentSpanId + (sampled ? "-01" : "-00")
    };
  }

  private static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1;
    return HexFormat.of().formatHex(id);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .timeout(Waits.HTTP);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static OtlpReceiver startReceiver() {
    try {
      return OtlpReceiver.start();
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
