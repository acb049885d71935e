package io.github.obskit.logging.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.JsonLogLines;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import io.github.obskit.autoconfigure.web.AccessLogObservationHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A real application logging through Log4j2: the startup warning, and Boot's structured logging as
 * the README documents it. Runs only in the surefire execution {@code log4j2-tests}, whose
 * classpath has spring-boot-starter-log4j2 instead of logback (see the module's pom).
 */
@EnabledIfSystemProperty(named = "obskit.test.logging", matches = "log4j2")
@ExtendWith(OutputCaptureExtension.class)
class Log4j2ApplicationTests {

  private static final String WARNING =
      "Logging does not go through logback, so observability-starter's JSON log lines are off";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void startupWarnsOnceAndNamesBootsStructuredLogging(CapturedOutput output) {
    try (ConfigurableApplicationContext context = start("spring.application.name=obskit-log4j2")) {
      assertThat(output.getOut().lines().filter((line) -> line.contains(WARNING)))
          .singleElement()
          .satisfies(
              (line) ->
                  assertThat(line)
                      .contains("WARN")
                      .contains("logging.structured.format.console=logstash"));
      assertThat(output.getOut()).doesNotStartWith("{");
    }
  }

  @Test
  void readmePropertyGivesJsonLinesWithTheStartersFieldNamesAndTypes(CapturedOutput output)
      throws Exception {
    try (ConfigurableApplicationContext context =
        start(
            "spring.application.name=obskit-log4j2",
            "observability.metrics.env=ci",
            "logging.structured.format.console=logstash")) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      HttpResponse<String> response =
          this.http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/log?message=hello"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);

      JsonNode line = JsonLogLines.awaitMessage(output, "hello");
      assertThat(line.has("@timestamp")).isTrue();
      assertThat(line.path("level").asString()).isEqualTo("INFO");
      assertThat(line.path("logger_name").asString()).endsWith("TestController");
      assertThat(line.path("thread_name").asString()).isNotEmpty();
      assertThat(line.path("app").asString()).isEqualTo("obskit-log4j2");
      assertThat(line.path("env").asString()).isEqualTo("ci");
      assertThat(line.path("request_id").asString()).isNotEmpty();

      JsonNode accessLog =
          JsonLogLines.awaitEvent(
              output,
              (event) ->
                  AccessLogObservationHandler.LOGGER_NAME.equals(
                          event.path("logger_name").asString())
                      && "/log".equals(event.path("path").asString()));
      assertThat(accessLog.path("app").asString()).isEqualTo("obskit-log4j2");
      // Log4j2's SLF4J binding keeps key-value pairs as strings; the starter's customizer of Boot's
      // structured logging writes them as the numbers the starter's own lines have.
      assertThat(accessLog.path("status").isInt()).isTrue();
      assertThat(accessLog.path("status").asInt()).isEqualTo(200);
      assertThat(accessLog.path("duration_ms").isIntegralNumber()).isTrue();
      assertThat(accessLog.path("method").asString()).isEqualTo("GET");
      assertThat(accessLog.path("route").asString()).isEqualTo("/log");
      assertThat(output.getOut()).doesNotContain(WARNING);
    }
  }

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(TestApplication.class)
        .properties("server.port=0")
        .properties(properties)
        .run();
  }
}
