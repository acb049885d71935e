package io.github.obskit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.demo.DemoApplication;
import io.github.obskit.e2e.Waits;
import io.github.obskit.stack.LogPipelines.Pipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the real demo application in-process and checks its log lines against what the Alloy and
 * Promtail pipelines read: a field renamed on either side fails here.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoLogLinesTests {

  /** Logback's levels: the only values the {@code level} label may take. */
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  /**
   * What Go's {@code time.RFC3339Nano} layout, used by both pipelines' timestamp stage, accepts.
   */
  private static final String RFC_3339 =
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void everyJsonFieldTheShippersReadIsInEveryLineTheDemoLogs(CapturedOutput output)
      throws Exception {
    try (ConfigurableApplicationContext demo =
        new SpringApplicationBuilder(DemoApplication.class)
            .run("--server.port=0", "--server.address=127.0.0.1")) {
      int port = demo.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status/503")).build();
      assertThat(HttpClient.newHttpClient().send(request, BodyHandlers.ofString()).statusCode())
          .isEqualTo(503);
      // The appender writes in batches from its own thread: wait for the line, not for a fixed
      // time.
      await()
          .atMost(Waits.CONDITION)
          .until(() -> jsonLines(output).stream().anyMatch(DemoLogLinesTests::isAccessLog));
    }

    List<JsonNode> lines = jsonLines(output);
    assertThat(lines).hasSizeGreaterThan(1);
    for (Pipeline pipeline : List.of(LogPipelines.alloy(), LogPipelines.promtail())) {
      Map<String, String> fields = new LinkedHashMap<>(pipeline.jsonFields());
      // Only lines written inside a request carry its trace: checked on the controller's line.
      for (String extracted : pipeline.structuredMetadataFromExtracted().values()) {
        String field = fields.remove(extracted);
        assertThat(lines)
            .filteredOn((line) -> line.path("logger_name").asString().endsWith("StatusController"))
            .as("%s reads '%s'", pipeline.name(), field)
            .isNotEmpty()
            .allSatisfy((line) -> assertThat(line.path(field).asString()).matches("[0-9a-f]{32}"));
      }
      for (String field : fields.values()) {
        assertThat(lines)
            .as("%s reads '%s'", pipeline.name(), field)
            .allSatisfy((line) -> assertThat(line.has(field)).as(line.toString()).isTrue());
      }
      String levelField = pipeline.jsonFields().get(pipeline.labelsFromExtracted().get("level"));
      assertThat(lines)
          .extracting((line) -> line.get(levelField).asString())
          .allMatch(LEVELS::contains);
      String timestampField = pipeline.jsonFields().get(pipeline.timestampSource());
      assertThat(lines)
          .extracting((line) -> line.get(timestampField).asString())
          .allSatisfy(
              (timestamp) -> {
                assertThat(timestamp).matches(RFC_3339);
                assertThat(OffsetDateTime.parse(timestamp)).isNotNull();
              });
    }
  }

  private static boolean isAccessLog(JsonNode line) {
    return line.has("logger_name") && line.get("logger_name").asString().equals("obskit.access");
  }

  private static List<JsonNode> jsonLines(CapturedOutput output) {
    return output
        .getOut()
        .lines()
        .filter((line) -> line.startsWith("{"))
        .map(JSON::readTree)
        .toList();
  }
}
