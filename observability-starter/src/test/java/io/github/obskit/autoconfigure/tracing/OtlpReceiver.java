package io.github.obskit.autoconfigure.tracing;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/HTTP trace receiver on a free loopback port: decodes each {@code
 * ExportTraceServiceRequest} posted to {@code /v1/traces} and keeps its spans.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One span as the receiver got it, ids in lowercase hex. */
  record ReceivedSpan(
      String serviceName, String traceId, String spanId, String parentSpanId, String name) {}

  private final HttpServer server;

  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  private final AtomicInteger requests = new AtomicInteger();

  // The status of the answers: 200 accepts the spans, anything else refuses them unread.
  private volatile int status = 200;

  private volatile CountDownLatch hold = new CountDownLatch(0);

  private OtlpReceiver(HttpServer server) {
    this.server = server;
    server.createContext("/v1/traces", this::receive);
    server.start();
  }

  /** Starts a receiver; unchecked, so that a test class can hold it in a static field. */
  static OtlpReceiver start() {
    try {
      return new OtlpReceiver(
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The URL to give the exporter: {@code http://127.0.0.1:PORT/v1/traces}. */
  String tracesEndpoint() {
    return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(this.spans);
  }

  /** Export requests received so far, accepted or not. */
  int requests() {
    return this.requests.get();
  }

  /** Answers every export with the given status (500: a failure the exporter does not retry). */
  void failWith(int status) {
    this.status = status;
  }

  /** Accepts every export again. */
  void accept() {
    this.status = 200;
  }

  /** Holds every export unanswered until {@link #release()}, as a stalled receiver does. */
  void hold() {
    this.hold = new CountDownLatch(1);
  }

  /** Answers the held exports and those after them. */
  void release() {
    this.hold.countDown();
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      this.requests.incrementAndGet();
      awaitRelease();
      int answer = this.status;
      if (answer != 200) {
        body.readAllBytes();
        exchange.sendResponseHeaders(answer, -1);
        return;
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
        String service = serviceName(resourceSpans.getResource().getAttributesList());
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          scopeSpans
              .getSpansList()
              .forEach(
                  (span) ->
                      this.spans.add(
                          new ReceivedSpan(
                              service,
                              hex(span.getTraceId()),
                              hex(span.getSpanId()),
                              hex(span.getParentSpanId()),
                              span.getName())));
        }
      }
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      exchange.getResponseBody().write(response);
    }
  }

  private void awaitRelease() throws IOException {
    try {
      // Bounded: a test that forgets to release must not hang the receiver for good.
      if (!this.hold.await(1, TimeUnit.MINUTES)) {
        throw new IOException("held export not released");
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IOException(ex);
    }
  }

  private static String serviceName(List<KeyValue> attributes) {
    return attributes.stream()
        .filter((attribute) -> attribute.getKey().equals("service.name"))
        .map((attribute) -> attribute.getValue().getStringValue())
        .findFirst()
        .orElse(null);
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  @Override
  public void close() {
    release();
    this.server.stop(0);
  }
}
