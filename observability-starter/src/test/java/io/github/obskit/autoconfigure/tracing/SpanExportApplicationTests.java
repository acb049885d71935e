package io.github.obskit.autoconfigure.tracing;

import static io.github.obskit.autoconfigure.tracing.TracedApplication.randomHex;
import static io.github.obskit.autoconfigure.tracing.TracedApplication.sampleIn;
import static io.github.obskit.autoconfigure.tracing.TracedApplication.sampled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Exemplars and export meters against a real OTLP receiver that fails: sampling probability 0, so
 * only a caller's sampled traceparent makes a request traced and exported.
 */
@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.application.name=obskit-export",
      "management.tracing.sampling.probability=0",
      "management.opentelemetry.tracing.export.schedule-delay=100ms"
    })
@AutoConfigureMetrics
@AutoConfigureTracing
class SpanExportApplicationTests {

  // With ORDERS_URI: how many requests to /orders/{id}, the traced ones, the server recorded.
  private static final String REQUESTS_COUNT = "http_server_requests_seconds_count";

  private static final String ORDERS_URI = "uri=\"/orders/{id}\"";

  @RegisterExtension static final TracedApplication app = new TracedApplication();

  @DynamicPropertySource
  static void exportToTheReceiver(DynamicPropertyRegistry registry) {
    app.exportTo(registry);
  }

  @AfterEach
  void acceptAgain() {
    app.receiver().accept();
  }

  @Test
  void noExemplarWhileTheReceiverFailsAndExemplarsAgainOnceItAccepts() throws Exception {
    app.receiver().failWith(500);
    // Each export of a traced request fails; the failure is counted after the gate closed.
    double failedBefore = app.sample("tracing_export_failed_spans_total");
    String failing = randomHex(16);
    app.get("/orders/1", sampled(failing));
    await()
        .atMost(Waits.CONDITION)
        .until(() -> app.sample("tracing_export_failed_spans_total") > failedBefore);

    // Boot registers the meter handler after the tracing one and Micrometer stops handlers in
    // reverse order: a request is counted (with any exemplar) before its span ends and fails to
    // export, so the count now includes the failing request.
    double ordersBefore = app.sample(REQUESTS_COUNT, ORDERS_URI);
    String whileFailing = randomHex(16);
    app.get("/orders/2", sampled(whileFailing));

    // The fence: the server records the request after the client may have the answer. A scrape
    // that counts it would show its exemplar, were there one.
    String scrape =
        await()
            .atMost(Waits.CONDITION)
            .until(
                app::openMetrics,
                (metrics) -> sampleIn(metrics, REQUESTS_COUNT, ORDERS_URI) > ordersBefore);
    assertThat(scrape).doesNotContain(failing).doesNotContain(whileFailing);

    app.receiver().accept();
    String recovering = randomHex(16);
    app.get("/orders/3", sampled(recovering));
    app.awaitServerSpan(recovering);
    await().atMost(Waits.CONDITION).until(() -> app.sample("tracing_exported_spans_total") > 0);

    String afterRecovery = randomHex(16);
    app.get("/orders/4", sampled(afterRecovery));

    // The request's timer (and its exemplar) is recorded after the client may have the answer.
    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () ->
                assertThat(app.openMetrics())
                    .contains("trace_id=\"" + afterRecovery + "\"")
                    .doesNotContain(failing)
                    .doesNotContain(whileFailing));
    app.awaitServerSpan(afterRecovery);
  }

  @Test
  void exportMetersAreOnTheScrapeWithDescriptionsAndUnits() throws Exception {
    String scrape = app.scrape();

    assertThat(scrape)
        .contains(
            "# HELP tracing_exported_spans_total Spans whose export to the trace backend succeeded",
            "# TYPE tracing_exported_spans_total counter",
            "# TYPE tracing_export_failed_spans_total counter",
            "# TYPE tracing_dropped_spans_total counter",
            "# HELP tracing_queued_spans Spans waiting in the batch span processor's queue",
            "# TYPE tracing_queued_spans gauge");
  }

  @Test
  void failedExportsAreCountedBySpan() throws Exception {
    app.receiver().failWith(500);
    double failedBefore = app.sample("tracing_export_failed_spans_total");
    int requestsBefore = app.receiver().requests();

    String traceId = randomHex(16);
    app.get("/orders/5", sampled(traceId));

    await()
        .atMost(Waits.CONDITION)
        .until(() -> app.sample("tracing_export_failed_spans_total") > failedBefore);
    assertThat(app.receiver().requests()).isGreaterThan(requestsBefore);
    assertThat(app.receiver().spans()).noneMatch((span) -> span.traceId().equals(traceId));
  }
}
