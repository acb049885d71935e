package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Ports;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Tools;
import io.github.obskit.e2e.Waits;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The exec jar processed by spring-boot:process-aot (the e2e profile), started from its generated
 * code with an OTLP endpoint given only at run time: it serves the scrape and says at startup that
 * no span is exported, naming the fix.
 */
class AotDemoJarIT {

  private static final Pattern TOMCAT_PORT = Pattern.compile("Tomcat started on port (\\d+)");

  @AutoClose private final Processes processes = new Processes("aot-demo-jar");

  @Test
  void theAotProcessedDemoServesMetricsAndWarnsThatTheRunTimeEndpointExportsNoSpan() {
    ProcessBuilder builder =
        new ProcessBuilder(
            Tools.newestJava(),
            "-Dspring.aot.enabled=true",
            "-jar",
            Tools.builtFile("obskit.demo.jar").toString(),
            "--server.address=127.0.0.1",
            "--server.port=0");
    builder
        .environment()
        .put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + Ports.free() + "/");
    Processes.Started demo = processes.start("demo", builder);
    demo.awaitUntil(
        Waits.PROCESS,
        () -> TOMCAT_PORT.matcher(demo.output()).find(),
        "a logged \"Tomcat started on port <port>\"");
    Matcher port = TOMCAT_PORT.matcher(demo.output());
    assertThat(port.find()).isTrue();
    URI base = URI.create("http://127.0.0.1:" + port.group(1));
    demo.awaitOk(base.resolve("/metrics"), Waits.PROCESS);
    assertThat(Http.get(base.resolve("/metrics")).body()).contains("jvm_memory_used_bytes");
    // The listener runs on ApplicationStartedEvent, before readiness: its line is in the log by
    // now.
    assertThat(demo.output().lines())
        .as(demo.tail())
        .anySatisfy(
            (line) ->
                assertThat(line)
                    .contains("\"level\":\"WARN\"")
                    .contains("io.github.obskit.aot.AotSpanExportCheck")
                    .contains("Spans are not exported")
                    .contains("run process-aot with the endpoint set"));
  }
}
