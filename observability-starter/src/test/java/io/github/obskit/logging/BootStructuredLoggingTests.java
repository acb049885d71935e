package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.JsonLogLines;
import io.github.obskit.RestoredSystemProperties;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import io.github.obskit.autoconfigure.web.AccessLogObservationHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A logback application that chooses Boot's structured logging instead of the starter's JSON lines
 * gets the starter's field types and {@code app} too.
 */
@ExtendWith({RestoredSystemProperties.class, OutputCaptureExtension.class})
class BootStructuredLoggingTests {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void bootsLogstashFormatOnLogbackHasTheStartersTypesAndApp(CapturedOutput output)
      throws Exception {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(TestApplication.class)
            .properties(
                "server.port=0",
                "spring.application.name=obskit-structured",
                "logging.structured.format.console=logstash")
            .run()) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      HttpResponse<String> response =
          this.http.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + port + "/log?message=structured"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);

      JsonNode accessLog =
          JsonLogLines.awaitEvent(
              output,
              (event) ->
                  AccessLogObservationHandler.LOGGER_NAME.equals(
                          event.path("logger_name").asString())
                      && "/log".equals(event.path("path").asString()));
      assertThat(accessLog.path("app").asString()).isEqualTo("obskit-structured");
      assertThat(accessLog.path("status").isInt()).isTrue();
      assertThat(accessLog.path("status").asInt()).isEqualTo(200);
      assertThat(accessLog.path("duration_ms").isIntegralNumber()).isTrue();
      assertThat(accessLog.path("request_id").asString()).isNotEmpty();
    }
  }
}
