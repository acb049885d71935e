package io.github.obskit.autoconfigure.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
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

  private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";

  private static final OtlpReceiver receiver = startReceiver();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @DynamicPropertySource
  static void exportToTheReceiver(DynamicPropertyRegistry registry) {
    registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::tracesEndpoint);
  }

  @AfterEach
  void acceptAgain() {
    receiver.accept();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Test
  void noExemplarWhileTheReceiverFailsAndExemplarsAgainOnceItAccepts() throws Exception {
    receiver.failWith(500);
    // Each export of a traced request fails; the failure is counted after the gate closed.
    double failedBefore = sample("tracing_export_failed_spans_total");
    String failing = randomHex(16);
    get("/orders/1", traceparent(failing));
    await()
        .atMost(Waits.CONDITION)
        .until(() -> sample("tracing_export_failed_spans_total") > failedBefore);

    String whileFailing = randomHex(16);
    get("/orders/2", traceparent(whileFailing));

    String scrape = openMetrics();
    assertThat(scrape).doesNotContain(failing).doesNotContain(whileFailing);

    receiver.accept();
    String recovering = randomHex(16);
    get("/orders/3", traceparent(recovering));
    await()
        .atMost(Waits.CONDITION)
        .until(
            () -> receiver.spans().stream().anyMatch((span) -> span.traceId().equals(recovering)));
    await().atMost(Waits.CONDITION).until(() -> sample("tracing_exported_spans_total") > 0);

    String afterRecovery = randomHex(16);
    get("/orders/4", traceparent(afterRecovery));

    // The request's timer (and its exemplar) is recorded after the client may have the answer.
    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () ->
                assertThat(openMetrics())
                    .contains("trace_id=\"" + afterRecovery + "\"")
                    .doesNotContain(failing)
                    .doesNotContain(whileFailing));
    await()
        .atMost(Waits.CONDITION)
        .until(
            () ->
                receiver.spans().stream().anyMatch((span) -> span.traceId().equals(afterRecovery)));
  }

  @Test
  void exportMetersAreOnTheScrapeWithDescriptionsAndUnits() throws Exception {
    String scrape = get("/metrics").body();

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
    receiver.failWith(500);
    double failedBefore = sample("tracing_export_failed_spans_total");
    int requestsBefore = receiver.requests();

    String traceId = randomHex(16);
    get("/orders/5", traceparent(traceId));

    await()
        .atMost(Waits.CONDITION)
        .until(() -> sample("tracing_export_failed_spans_total") > failedBefore);
    assertThat(receiver.requests()).isGreaterThan(requestsBefore);
    assertThat(receiver.spans()).noneMatch((span) -> span.traceId().equals(traceId));
  }

  private double sample(String series) throws Exception {
    return get("/metrics")
        .body()
        .lines()
        .filter((line) -> line.startsWith(series + " ") || line.startsWith(series + "{"))
        .mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private String openMetrics() throws Exception {
    return get("/metrics", "Accept", OPENMETRICS).body();
  }

  private static String[] traceparent(String traceId) {
    return new String[] {"traceparent", "00-" + traceId + "-" + randomHex(8) + "-01"};
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
