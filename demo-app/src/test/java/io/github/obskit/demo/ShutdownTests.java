package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.e2e.Waits;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class ShutdownTests {

  private static final JsonMapper json = JsonMapper.builder().build();

  @Test
  void shutdownAnswersASleepingRequestWith503AndLogsTheCut(CapturedOutput output) throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(DemoApplication.class).run("--server.port=0");
    try {
      int port = context.getEnvironment().getProperty("local.server.port", Integer.class);
      CompletableFuture<HttpResponse<String>> sleeping =
          HttpClient.newHttpClient()
              .sendAsync(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/status/200?seconds_sleep=50"))
                      .header("X-Request-Id", "cut-by-shutdown")
                      .build(),
                  BodyHandlers.ofString());
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      await()
          .atMost(Waits.CONDITION)
          .until(
              () -> registry.find("http.server.requests.active").longTaskTimer(),
              (active) -> active != null && active.activeTasks() == 1);

      context.close();

      // close() returned after the shutdown cut the sleep and the request was answered, well before
      // the 50 s sleep and Boot's 30 s graceful-shutdown phase: this waits for the answer's
      // delivery.
      HttpResponse<String> response = sleeping.get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(json.readTree(response.body()).path("detail").asString())
          .isEqualTo("the service is shutting down");
      JsonNode cut = awaitLine(output, "StatusController", "cut-by-shutdown");
      assertThat(cut.path("level").asString()).isEqualTo("WARN");
      assertThat(cut.path("message").asString())
          .startsWith("Sleep of 50.0 s cut after ")
          .endsWith("s: the application is shutting down; answering 503");
      assertThat(awaitLine(output, "obskit.access", "cut-by-shutdown").path("status").asInt())
          .isEqualTo(503);
    } finally {
      context.close();
    }
  }

  @Test
  void aClosingChildContextLeavesSleepsAlone() throws Exception {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(DemoApplication.class).run("--server.port=0")) {
      GenericApplicationContext child = new GenericApplicationContext();
      child.setParent(context);
      child.refresh();
      child.close();
      int port = context.getEnvironment().getProperty("local.server.port", Integer.class);

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/status/200?seconds_sleep=0.1"))
                      .build(),
                  BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
    }
  }

  private static JsonNode awaitLine(CapturedOutput output, String logger, String requestId) {
    return await()
        .atMost(Waits.CONDITION)
        .until(
            () ->
                output
                    .getOut()
                    .lines()
                    .filter((line) -> line.startsWith("{"))
                    .map(json::readTree)
                    .filter(
                        (line) ->
                            line.path("logger_name").asString().endsWith(logger)
                                && requestId.equals(line.path("request_id").asString()))
                    .findFirst()
                    .orElse(null),
            (line) -> line != null);
  }
}
