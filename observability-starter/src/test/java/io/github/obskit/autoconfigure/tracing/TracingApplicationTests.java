package io.github.obskit.autoconfigure.tracing;

import static io.github.obskit.JsonLogLines.awaitEvent;
import static io.github.obskit.JsonLogLines.awaitMessage;
import static io.github.obskit.autoconfigure.tracing.TracedApplication.OPENMETRICS;
import static io.github.obskit.autoconfigure.tracing.TracedApplication.randomHex;
import static io.github.obskit.autoconfigure.tracing.TracedApplication.sampled;
import static io.github.obskit.autoconfigure.tracing.TracedApplication.traceparent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import io.github.obskit.autoconfigure.tracing.OtlpReceiver.ReceivedSpan;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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

  @RegisterExtension static final TracedApplication app = new TracedApplication();

  @DynamicPropertySource
  static void exportToTheReceiver(DynamicPropertyRegistry registry) {
    app.exportTo(registry);
  }

  @Test
  void requestWithASampledTraceparentIsExportedAsASpanOfTheApplicationInThatTrace()
      throws Exception {
    String traceId = randomHex(16);
    String parentSpanId = randomHex(8);

    HttpResponse<String> response = app.get("/orders/7", traceparent(traceId, parentSpanId, true));

    assertThat(response.headers().firstValue("X-Trace-Id")).hasValue(traceId);
    ReceivedSpan span = app.awaitServerSpan(traceId);
    assertThat(span.serviceName()).isEqualTo("obskit-traced");
    assertThat(span.parentSpanId()).isEqualTo(parentSpanId);
    assertThat(span.name()).isEqualTo("http get /orders/{id}");
  }

  @Test
  void logLinesWrittenInATracedRequestCarryItsTraceAndSpanIds(CapturedOutput output)
      throws Exception {
    String traceId = randomHex(16);
    String message = "traced " + UUID.randomUUID();

    app.get("/log?message=" + message.replace(" ", "%20"), sampled(traceId));

    JsonNode event = awaitMessage(output, message);
    ReceivedSpan span = app.awaitServerSpan(traceId);
    assertThat(event.path("traceId").asString()).isEqualTo(traceId);
    assertThat(event.path("spanId").asString()).isEqualTo(span.spanId());
  }

  @Test
  void theAccessLogLineOfATracedRequestCarriesItsTraceAndServerSpanIds(CapturedOutput output)
      throws Exception {
    String traceId = randomHex(16);

    app.get("/orders/11", sampled(traceId));

    JsonNode access =
        awaitEvent(
            output,
            (event) ->
                event.path("logger_name").asString().equals("obskit.access")
                    && event.path("path").asString().equals("/orders/11"));
    ReceivedSpan span = app.awaitServerSpan(traceId);
    assertThat(access.path("traceId").asString()).isEqualTo(traceId);
    assertThat(access.path("spanId").asString()).isEqualTo(span.spanId());
  }

  @Test
  void openMetricsScrapesCarryTheTraceIdAsABucketExemplarAndNeverOnCount() throws Exception {
    // Exemplars are given once an export has succeeded: the receiver has the spans before the
    // exporter has its answer, which the exported-spans counter follows.
    app.get("/log?message=exported", sampled(randomHex(16)));
    await()
        .atMost(Waits.CONDITION)
        .until(() -> app.scrape().lines().anyMatch(TracingApplicationTests::exportedSome));
    String traceId = randomHex(16);

    app.get("/orders/8", sampled(traceId));
    app.awaitServerSpan(traceId);

    // The server records the request's timer (and its exemplar) after the client may already have
    // the answer and the span may have arrived, so each scrape is repeated until it is there.
    for (String path : List.of("/metrics", "/actuator/prometheus")) {
      await()
          .atMost(Waits.CONDITION)
          .untilAsserted(
              () -> {
                List<String> lines = app.get(path, "Accept", OPENMETRICS).body().lines().toList();
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
    app.get("/orders/9", sampled(traceId));
    app.awaitServerSpan(traceId);

    HttpResponse<String> scrape = app.get("/metrics");

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

    HttpResponse<String> response = app.get("/log?message=" + message.replace(" ", "%20"));

    String traceId = response.headers().firstValue("X-Trace-Id").orElseThrow();
    assertThat(traceId).matches("[0-9a-f]{32}");
    assertThat(awaitMessage(output, message).path("traceId").asString()).isEqualTo(traceId);
    // A sampled request after it: once its span arrives, the unsampled one would have too.
    String sampledTraceId = randomHex(16);
    app.get("/orders/10", sampled(sampledTraceId));
    app.awaitServerSpan(sampledTraceId);
    assertThat(app.receiver().spans()).noneMatch((span) -> span.traceId().equals(traceId));
    assertThat(app.openMetrics()).doesNotContain(traceId);
  }

  private static boolean exportedSome(String line) {
    return line.startsWith("tracing_exported_spans_total{") && !line.endsWith(" 0.0");
  }
}
