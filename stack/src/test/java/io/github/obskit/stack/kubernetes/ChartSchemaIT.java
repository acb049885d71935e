package io.github.obskit.stack.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every object the chart renders, validated against the schemas of the npm packages
 * kubernetes-models, @kubernetes-models/prometheus-operator and @kubernetes-models/grafana-operator
 * (generated from the CRDs of grafana-operator v5.22.2), pinned in
 * src/test/schema/package-lock.json; {@code npm ci} installs them into target/schema-check whenever
 * that lock file changes. Besides types, patterns and required fields, every field must be declared
 * by its schema: the API server rejects or drops the others.
 */
class ChartSchemaIT {

  private static final Path SOURCES = Path.of("src/test/schema");

  private static final Path CHECKER = Path.of("target/schema-check");

  static List<String> valuesCases() {
    return RenderedChart.valuesCases();
  }

  @BeforeAll
  static void installSchemas() throws IOException {
    Files.createDirectories(CHECKER);
    Path installedLock = CHECKER.resolve("node_modules/.package-lock.json");
    boolean installed =
        Files.isRegularFile(installedLock)
            && Files.isRegularFile(CHECKER.resolve("package-lock.json"))
            && Files.mismatch(
                    SOURCES.resolve("package-lock.json"), CHECKER.resolve("package-lock.json"))
                == -1;
    for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
      Files.copy(SOURCES.resolve(file), CHECKER.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    ExternalTool.NODE.path();
    if (!installed) {
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

  @Test
  void rejectsAFieldTheSchemaOfItsKindDoesNotDeclare() {
    String dashboard =
        """
        [{"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaDashboard",
          "metadata": {"name": "misspelt"},
          "spec": {"instanceSelector": {"matchLabels": {"dashboards": "grafana"}},
                   "folderName": "obskit", "resyncPeriod": "10m",
                   "configMapRef": {"name": "obskit-example-dashboard", "key": "example-dashboard.json"}}}]
        """;
    ExternalTool.Result result =
        ExternalTool.NODE.run(CHECKER, dashboard, Duration.ofMinutes(1), "validate.mjs");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .startsWith("INVALID GrafanaDashboard/misspelt: fields not in the schema")
        .contains("/spec/folderName")
        .doesNotContain("/spec/resyncPeriod", "/spec/configMapRef");
  }

  @ParameterizedTest
  @MethodSource("valuesCases")
  void everyRenderedObjectMatchesTheSchemaOfItsKind(String valuesCase) {
    assertEveryObjectMatchesItsSchema(RenderedChart.objects(RenderedChart.render(valuesCase)));
  }

  @Test
  void grafanaOperatorDashboardsWithDefaultSettingsMatchTheirSchema(@TempDir Path dir)
      throws IOException {
    Path values =
        Files.writeString(
            dir.resolve("values.yaml"), "dashboards:\n  grafanaOperator:\n    enabled: true\n");
    List<Map<String, Object>> objects = RenderedChart.objects(RenderedChart.render(values));
    assertThat(RenderedChart.objectsOfKind(objects, "GrafanaDashboard"))
        .hasSameSizeAs(RenderedChart.dashboards());
    assertEveryObjectMatchesItsSchema(objects);
  }

  private static void assertEveryObjectMatchesItsSchema(List<Map<String, Object>> objects) {
    ExternalTool.Result result =
        ExternalTool.NODE.run(
            CHECKER,
            JsonMapper.builder().build().writeValueAsString(objects),
            Duration.ofMinutes(1),
            "validate.mjs");
    List<String> lines = Arrays.asList(result.output().strip().split("\n"));
    assertThat(lines)
        .as(result.output())
        .allMatch((line) -> line.startsWith("OK "))
        .hasSize(objects.size());
    assertThat(result.exitCode()).isZero();
  }
}
