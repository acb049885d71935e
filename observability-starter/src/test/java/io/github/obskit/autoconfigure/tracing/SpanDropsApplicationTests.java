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
 * Spans dropped by Boot's batch span processor are counted on the scrape: a receiver that holds
 * every export, and a queue of two spans exported one at a time, so that the processor's worker
 * waits on its first export while the queue fills and further spans are dropped. The timeouts are
 * longer than the test, so nothing moves until the receiver is released.
 */
@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.application.name=obskit-drops",
      "management.tracing.sampling.probability=0",
      "management.opentelemetry.tracing.export.schedule-delay=100ms",
      "management.opentelemetry.tracing.export.max-queue-size=2",
      "management.opentelemetry.tracing.export.max-batch-size=1",
      "management.opentelemetry.tracing.export.timeout=2m",
      "management.opentelemetry.tracing.export.otlp.timeout=2m"
    })
@AutoConfigureMetrics
@AutoConfigureTracing
class SpanDropsApplicationTests {

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
  void spansDroppedWhileTheQueueIsFullAreCountedAndTheQueueIsMetered() throws Exception {
    receiver.hold();
    try {
      // One span is held in export, two wait in the queue, the others are dropped.
      for (int i = 0; i < 8; i++) {
        get("/orders/" + i, "traceparent", "00-" + randomHex(16) + "-" + randomHex(8) + "-01");
      }

      await()
          .atMost(Waits.CONDITION)
          .untilAsserted(
              () -> {
                String scrape = get("/metrics").body();
                assertThat(sample(scrape, "tracing_dropped_spans_total")).isGreaterThanOrEqualTo(1);
                assertThat(sample(scrape, "tracing_queued_spans")).isEqualTo(2);
              });
    } finally {
      receiver.release();
    }
    await()
        .atMost(Waits.CONDITION)
        .until(() -> sample(get("/metrics").body(), "tracing_exported_spans_total") >= 3);
    assertThat(sample(get("/metrics").body(), "tracing_export_failed_spans_total")).isZero();
  }

  private static double sample(String scrape, String series) {
    return scrape
        .lines()
        .filter((line) -> line.startsWith(series + "{"))
        .mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
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
