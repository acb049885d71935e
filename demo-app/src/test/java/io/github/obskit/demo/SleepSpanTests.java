package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.e2e.Waits;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "management.opentelemetry.tracing.export.schedule-delay=100ms")
@AutoConfigureTracing
class SleepSpanTests {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @Autowired private CollectingSpanExporter exporter;

  @Test
  void sleepIsAChildSpanOfTheRequest() throws Exception {
    String traceId = get("/status/503?seconds_sleep=0.02");

    SpanData sleep = awaitSpan(traceId, "sleep");
    SpanData request = awaitSpan(traceId, "http get /status/{status_code}");
    assertThat(sleep.getParentSpanId()).isEqualTo(request.getSpanId());
    assertThat(sleep.getAttributes().asMap().toString()).contains("seconds_sleep=0.02");
  }

  @Test
  void requestWithoutSleepHasNoSleepSpan() throws Exception {
    String traceId = get("/status/200");

    awaitSpan(traceId, "http get /status/{status_code}");
    assertThat(this.exporter.spans)
        .filteredOn((span) -> span.getTraceId().equals(traceId))
        .extracting(SpanData::getName)
        .doesNotContain("sleep");
  }

  private SpanData awaitSpan(String traceId, String name) {
    return await()
        .atMost(Waits.CONDITION)
        .until(
            () ->
                this.exporter.spans.stream()
                    .filter((span) -> span.getTraceId().equals(traceId))
                    .filter((span) -> span.getName().equals(name))
                    .findFirst()
                    .orElse(null),
            (span) -> span != null);
  }

  private String get(String path) throws Exception {
    return this.client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
            BodyHandlers.discarding())
        .headers()
        .firstValue("X-Trace-Id")
        .orElseThrow();
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class ExporterConfiguration {

    @Bean
    CollectingSpanExporter collectingSpanExporter() {
      return new CollectingSpanExporter();
    }
  }

  static class CollectingSpanExporter implements SpanExporter {

    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      this.spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
