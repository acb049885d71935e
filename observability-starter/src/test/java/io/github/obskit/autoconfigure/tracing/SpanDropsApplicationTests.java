package io.github.obskit.autoconfigure.tracing;

import static io.github.obskit.autoconfigure.tracing.TracedApplication.randomHex;
import static io.github.obskit.autoconfigure.tracing.TracedApplication.sampleIn;
import static io.github.obskit.autoconfigure.tracing.TracedApplication.sampled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
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

  @RegisterExtension static final TracedApplication app = new TracedApplication();

  @DynamicPropertySource
  static void exportToTheReceiver(DynamicPropertyRegistry registry) {
    app.exportTo(registry);
  }

  @Test
  void spansDroppedWhileTheQueueIsFullAreCountedAndTheQueueIsMetered() throws Exception {
    app.receiver().hold();
    try {
      // One span is held in export, two wait in the queue, the others are dropped.
      for (int i = 0; i < 8; i++) {
        app.get("/orders/" + i, sampled(randomHex(16)));
      }

      await()
          .atMost(Waits.CONDITION)
          .untilAsserted(
              () -> {
                String scrape = app.scrape();
                assertThat(sampleIn(scrape, "tracing_dropped_spans_total"))
                    .isGreaterThanOrEqualTo(1);
                assertThat(sampleIn(scrape, "tracing_queued_spans")).isEqualTo(2);
              });
    } finally {
      app.receiver().release();
    }
    await().atMost(Waits.CONDITION).until(() -> app.sample("tracing_exported_spans_total") >= 3);
    assertThat(app.sample("tracing_export_failed_spans_total")).isZero();
  }
}
