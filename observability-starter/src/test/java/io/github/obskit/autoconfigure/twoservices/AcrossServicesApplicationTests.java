package io.github.obskit.autoconfigure.twoservices;

import static io.github.obskit.JsonLogLines.awaitEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two services with the starter on random ports, the first calling the second through Boot's {@code
 * RestClient.Builder}: the trace id crosses, the request id does not (README "Across services").
 */
@ExtendWith(OutputCaptureExtension.class)
class AcrossServicesApplicationTests {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ConfigurableApplicationContext backend;

  private ConfigurableApplicationContext frontend;

  @AfterEach
  void close() {
    if (this.frontend != null) {
      this.frontend.close();
    }
    if (this.backend != null) {
      this.backend.close();
    }
  }

  @Test
  void theCalledServiceContinuesTheTraceWithARequestIdOfItsOwn(CapturedOutput output)
      throws Exception {
    this.backend = start("obskit-backend").run();
    this.frontend =
        start("obskit-frontend", "backend.url=http://localhost:" + port(this.backend))
            .sources(CallingController.class)
            .run();

    HttpResponse<String> response =
        this.http.send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port(this.frontend) + "/checkout/7"))
                .header("X-Request-Id", "client-chosen-id")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("order 7");
    JsonNode calling = awaitAccessLine(output, "/checkout/7");
    JsonNode called = awaitAccessLine(output, "/orders/7");
    assertThat(calling.path("request_id").asString()).isEqualTo("client-chosen-id");
    assertThat(calling.path("traceId").asString()).matches("[0-9a-f]{32}");
    assertThat(called.path("traceId").asString()).isEqualTo(calling.path("traceId").asString());
    assertThat(called.path("spanId").asString()).isNotEqualTo(calling.path("spanId").asString());
    assertThat(called.path("request_id").asString())
        .isNotBlank()
        .isNotEqualTo(calling.path("request_id").asString());
  }

  private static SpringApplicationBuilder start(String name, String... properties) {
    return new SpringApplicationBuilder(TestApplication.class)
        .properties(
            "spring.application.name=" + name,
            "server.port=0",
            "management.tracing.sampling.probability=1.0")
        .properties(properties);
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  // By path, not app: both services share this JVM's logback, whose app field the first one set.
  private static JsonNode awaitAccessLine(CapturedOutput output, String path) {
    return awaitEvent(
        output,
        (event) ->
            event.path("logger_name").asString().equals("obskit.access")
                && event.path("path").asString().equals(path));
  }
}
