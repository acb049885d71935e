package io.github.obskit.autoconfigure.tracing;

import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.tracing.OtlpReceiver.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The application of a tracing application test (a {@code @SpringBootTest} on a random port) as the
 * test reaches it: HTTP requests with a caller's traceparent, the samples of its scrape, and an
 * {@link OtlpReceiver} of its own that its spans are exported to. A static {@code
 * RegisterExtension} field of the test class: the receiver starts with the class and stops after
 * its last test; the class points the exporter at it from a {@code DynamicPropertySource}.
 */
final class TracedApplication implements BeforeEachCallback, AfterAllCallback {

  /** The Accept header of a scrape in OpenMetrics, the format that carries exemplars. */
  static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";

  private final OtlpReceiver receiver = OtlpReceiver.start();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  private int port;

  OtlpReceiver receiver() {
    return this.receiver;
  }

  /** Points the application's OTLP span exporter at the receiver. */
  void exportTo(DynamicPropertyRegistry registry) {
    registry.add(
        "management.opentelemetry.tracing.export.otlp.endpoint", this.receiver::tracesEndpoint);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    this.port =
        SpringExtension.getApplicationContext(context)
            .getEnvironment()
            .getRequiredProperty("local.server.port", Integer.class);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    this.receiver.close();
  }

  /** Waits until the receiver has the server span of a request in the given trace. */
  ReceivedSpan awaitServerSpan(String traceId) {
    return await()
        .atMost(Waits.CONDITION)
        .until(
            () ->
                this.receiver.spans().stream()
                    .filter((span) -> span.traceId().equals(traceId))
                    .filter((span) -> span.name().startsWith("http "))
                    .findFirst()
                    .orElse(null),
            (span) -> span != null);
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .timeout(Waits.HTTP);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The scrape in the text format, which has no exemplars. */
  String scrape() throws Exception {
    return get("/metrics").body();
  }

  /** The scrape in OpenMetrics, exemplars included. */
  String openMetrics() throws Exception {
    return get("/metrics", "Accept", OPENMETRICS).body();
  }

  /** The sum of a series' samples on a fresh text scrape, as {@link #sampleIn}. */
  double sample(String series, String... labels) throws Exception {
    return sampleIn(scrape(), series, labels);
  }

  /**
   * The sum of the samples of a series on a scrape, of the lines that contain every given label (as
   * {@code uri="/orders/{id}"}); 0 where there are none.
   */
  static double sampleIn(String scrape, String series, String... labels) {
    return scrape
        .lines()
        .filter((line) -> line.startsWith(series + " ") || line.startsWith(series + "{"))
        .filter((line) -> Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The header of a caller's trace: {@code sampled} asks for the request to be exported. */
  static String[] traceparent(String traceId, String parentSpanId, boolean sampled) {
    return new String[] {
      "traceparent", "00-" + traceId + "-" + parentSpanId + (sampled ? "-01" : "-00")
    };
  }

  /** The header of a caller's sampled trace, from a span of its own. */
  static String[] sampled(String traceId) {
    return traceparent(traceId, randomHex(8), true);
  }

  /** A random trace id (16 bytes) or span id (8 bytes) in hex, never all zeros (invalid). */
  static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1;
    return HexFormat.of().formatHex(id);
  }
}
