package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.RULES;
import static io.github.obskit.stack.kubernetes.RenderedChart.map;
import static io.github.obskit.stack.kubernetes.RenderedChart.name;
import static io.github.obskit.stack.kubernetes.RenderedChart.objects;
import static io.github.obskit.stack.kubernetes.RenderedChart.objectsOfKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.PrometheusRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * promtool of every {@link PrometheusRelease} on the rules as the chart renders them (each values
 * case is rendered once and checked by both promtools: a check costs less than a rendering).
 */
class RenderedRulesPromtoolIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @AutoClose private final Processes processes = new Processes("rendered-rules-promtool");

  static List<String> valuesCases() {
    return RenderedChart.valuesCases();
  }

  @ParameterizedTest
  @MethodSource("valuesCases")
  void everyRenderedPrometheusRulePassesPromtoolCheckRules(String valuesCase, @TempDir Path dir)
      throws IOException {
    List<String> files = writeSpecs(valuesCase, dir);
    if (files.isEmpty()) {
      return;
    }
    for (PrometheusRelease release : PrometheusRelease.values()) {
      List<String> arguments = new ArrayList<>(List.of(release.promtool(), "check", "rules"));
      arguments.addAll(files);
      Processes.Finished check = promtool(dir, arguments);
      assertThat(check.exitCode()).as("%s: %s", release, check.output()).isZero();
      assertThat(check.output()).as("%s", release).contains("SUCCESS");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void theRenderedRulesPassTheLibrarysPromtoolTests(PrometheusRelease release, @TempDir Path dir)
      throws IOException {
    List<String> files = writeSpecs("defaults", dir);
    assertThat(files).hasSameSizeAs(RenderedChart.ruleFiles());
    Path tests = Files.createDirectories(dir.resolve("tests"));
    List<String> arguments = new ArrayList<>(List.of(release.promtool(), "test", "rules"));
    try (Stream<Path> sources = Files.list(RULES.resolve("tests"))) {
      for (Path test : sources.filter((f) -> f.toString().endsWith(".test.yml")).toList()) {
        Files.copy(test, tests.resolve(test.getFileName()));
        arguments.add("tests/" + test.getFileName());
      }
    }
    Processes.Finished result = promtool(dir, arguments);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void acceptsEveryRuleLabelNameTheSchemaAccepts(@TempDir Path dir) throws IOException {
    String manifest =
        RenderedChart.template()
            .set("prometheusRules.additionalRuleLabels._", "a")
            .set("prometheusRules.additionalRuleLabels.TEAM", "b")
            .set("prometheusRules.additionalRuleLabels.team_2", "c")
            .set("prometheusRules.additionalRuleLabels._route", "d")
            .call();
    List<String> files = writeRuleFiles(manifest, dir);
    for (PrometheusRelease release : PrometheusRelease.values()) {
      List<String> arguments = new ArrayList<>(List.of(release.promtool(), "check", "rules"));
      arguments.addAll(files);
      Processes.Finished check = promtool(dir, arguments);
      assertThat(check.exitCode()).as("%s: %s", release, check.output()).isZero();
    }
  }

  /**
   * Why the schema refuses such label names: one of them loses every rule of the file on Prometheus
   * 2 (Prometheus 3 accepts UTF-8 label names, so only the older release refuses it).
   */
  @Test
  void rejectsAWholeRuleFileForOneLabelNameTheSchemaRefuses(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("team.rules.yml"),
        """
        groups:
          - name: team
            rules:
              - alert: Fine
                expr: vector(1)
              - alert: Labelled
                expr: vector(1)
                labels:
                  team-name: checkout
        """);
    Processes.Finished check =
        promtool(
            dir,
            List.of(
                PrometheusRelease.DEBIAN_STABLE.promtool(), "check", "rules", "team.rules.yml"));
    assertThat(check.exitCode()).isNotZero();
    assertThat(check.output()).contains("invalid label name", "team-name");
  }

  private Processes.Finished promtool(Path dir, List<String> commandLine) {
    return processes.run(TIMEOUT, new ProcessBuilder(commandLine).directory(dir.toFile()));
  }

  private static List<String> writeSpecs(String valuesCase, Path dir) throws IOException {
    return writeRuleFiles(RenderedChart.render(valuesCase), dir);
  }

  /** Writes the spec of every rendered PrometheusRule as a rule file named like its source. */
  private static List<String> writeRuleFiles(String manifest, Path dir) throws IOException {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Yaml yaml = new Yaml(options);
    List<String> files = new ArrayList<>();
    for (Map<String, Object> rule : objectsOfKind(objects(manifest), "PrometheusRule")) {
      String file = name(rule).substring("obskit-".length()) + ".rules.yml";
      Files.writeString(dir.resolve(file), yaml.dump(map(rule.get("spec"))));
      files.add(file);
    }
    return files;
  }
}
