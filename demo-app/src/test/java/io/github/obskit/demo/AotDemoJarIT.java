package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Tools;
import io.github.obskit.e2e.Waits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The exec jar processed by spring-boot:process-aot (the e2e profile) without an OTLP endpoint,
 * started from its generated code with the endpoint given only at run time ({@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}): its spans reach a real OTLP receiver, and its latency buckets
 * carry exemplars of traces the receiver got.
 */
class AotDemoJarIT {

  private static final Pattern TOMCAT_PORT = Pattern.compile("Tomcat started on port (\\d+)");

  private static final Pattern EXEMPLAR_TRACE_ID =
      Pattern.compile(
          "^http_server_requests_seconds_bucket\\{.*\\} \\S+ # \\{[^}]*trace_id=\"([0-9a-f]{32})\"",
          Pattern.MULTILINE);

  private static final String OPENMETRICS =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  @AutoClose private final Processes processes = new Processes("aot-demo-jar");

  private final Set<String> receivedTraceIds = ConcurrentHashMap.newKeySet();

  private HttpServer receiver;

  @AfterEach
  void stopTheReceiver() {
    if (this.receiver != null) {
      this.receiver.stop(0);
    }
  }

  @Test
  void theDemoProcessedWithoutAnEndpointExportsSpansToTheOneGivenAtRunTime() throws IOException {
    this.receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.receiver.createContext("/v1/traces", this::receive);
    this.receiver.start();
    ProcessBuilder builder =
        new ProcessBuilder(
            Tools.newestJava(),
            "-Dspring.aot.enabled=true",
            "-jar",
            Tools.builtFile("obskit.demo.jar").toString(),
            "--server.address=127.0.0.1",
            "--server.port=0");
    // The standard variable alone, as the README documents: Boot maps it and appends /v1/traces.
    builder
        .environment()
        .put(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://127.0.0.1:" + this.receiver.getAddress().getPort());
    builder.environment().put("OTEL_BSP_SCHEDULE_DELAY", "200");
    Processes.Started demo = this.processes.start("demo", builder);
    demo.awaitUntil(
        Waits.PROCESS,
        () -> TOMCAT_PORT.matcher(demo.output()).find(),
        "a logged \"Tomcat started on port <port>\"");
    assertThat(demo.output()).as(demo.tail()).contains("Starting AOT-processed");
    Matcher port = TOMCAT_PORT.matcher(demo.output());
    assertThat(port.find()).isTrue();
    URI base = URI.create("http://127.0.0.1:" + port.group(1));
    demo.awaitOk(base.resolve("/metrics"), Waits.PROCESS);

    // Exemplars appear once an export succeeded: requests until one is scraped.
    Set<String> exemplars =
        await()
            .atMost(Waits.CONDITION)
            .until(
                () -> {
                  Http.get(base.resolve("/status/200"));
                  return exemplarTraceIds(Http.get(base.resolve("/metrics"), OPENMETRICS).body());
                },
                (traceIds) -> !traceIds.isEmpty());
    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(() -> assertThat(this.receivedTraceIds).containsAll(exemplars));
  }

  private static Set<String> exemplarTraceIds(String scrape) {
    Set<String> traceIds = new HashSet<>();
    Matcher exemplar = EXEMPLAR_TRACE_ID.matcher(scrape);
    while (exemplar.find()) {
      traceIds.add(exemplar.group(1));
    }
    return traceIds;
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      for (ResourceSpans resourceSpans :
          ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            this.receivedTraceIds.add(HexFormat.of().formatHex(span.getTraceId().toByteArray()));
          }
        }
      }
      exchange.sendResponseHeaders(200, -1);
    }
  }
}
