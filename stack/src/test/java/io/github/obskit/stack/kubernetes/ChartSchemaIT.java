package io.github.obskit.stack.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every object the chart renders, validated against the schemas of the npm packages
 * kubernetes-models and @kubernetes-models/prometheus-operator (pinned in
 * src/test/schema/package-lock.json; {@code npm ci} installs them into target/schema-check once).
 */
class ChartSchemaIT {

  private static final Path SOURCES = Path.of("src/test/schema");

  private static final Path CHECKER = Path.of("target/schema-check");

  /** Kinds no installed schema covers; every other kind must have one. */
  private static final List<String> WITHOUT_SCHEMA = List.of("GrafanaDashboard");

  static List<String> valuesCases() {
    return RenderedChart.valuesCases();
  }

  @BeforeAll
  static void installSchemas() throws IOException {
    Files.createDirectories(CHECKER);
    for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
      Files.copy(SOURCES.resolve(file), CHECKER.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    ExternalTool.NODE.path();
    if (!Files.isDirectory(CHECKER.resolve("node_modules/kubernetes-models"))) {
      ExternalTool.Result install =
          ExternalTool.NPM.run(
              CHECKER, null, Duration.ofMinutes(5), "ci", "--no-audit", "--no-fund");
      assertThat(install.exitCode()).as("npm ci: %s", install.output()).isZero();
    }
  }

  @Test
  void rejectsAnObjectThatBreaksItsSchema() {
    String monitor =
        """
        [{"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
          "metadata": {"name": "broken", "labels": {"release": 1}},
          "spec": {"selector": {}, "endpoints": [{"port": "http", "interval": "30 s"}]}}]
        """;
    ExternalTool.Result result =
        ExternalTool.NODE.run(CHECKER, monitor, Duration.ofMinutes(1), "validate.mjs");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .startsWith("INVALID ServiceMonitor/broken")
        .contains("labels/release must be string", "interval must match pattern");
  }

  @ParameterizedTest
  @MethodSource("valuesCases")
  void everyRenderedObjectMatchesTheSchemaOfItsKind(String valuesCase) {
    String objects =
        JsonMapper.builder()
            .build()
            .writeValueAsString(RenderedChart.objects(RenderedChart.render(valuesCase)));
    ExternalTool.Result result =
        ExternalTool.NODE.run(CHECKER, objects, Duration.ofMinutes(1), "validate.mjs");
    List<String> lines = Arrays.asList(result.output().strip().split("\n"));
    assertThat(lines).as(result.output()).noneMatch((line) -> line.startsWith("INVALID"));
    assertThat(lines)
        .filteredOn((line) -> line.startsWith("NO-SCHEMA"))
        .allSatisfy((line) -> assertThat(line.split(" ")[1].split("/")[0]).isIn(WITHOUT_SCHEMA));
    assertThat(lines)
        .as("objects validated")
        .filteredOn((line) -> line.startsWith("OK"))
        .hasSize(
            (int)
                RenderedChart.objects(RenderedChart.render(valuesCase)).stream()
                    .filter((object) -> !WITHOUT_SCHEMA.contains(object.get("kind")))
                    .count());
    assertThat(result.exitCode()).isZero();
  }
}
