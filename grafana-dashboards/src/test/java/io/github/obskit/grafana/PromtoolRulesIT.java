package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.PrometheusRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prometheus' own tools over the rule library, on every release: syntax, and the unit tests of
 * every alert.
 */
class PromtoolRulesIT {

  private static final Path RULES = Path.of("rules");

  @AutoClose private final Processes processes = new Processes("promtool-rules");

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void promtoolAcceptsEveryRuleFile(PrometheusRelease release) throws IOException {
    List<Path> files = files(RULES, ".rules.yml");
    Processes.Finished check = promtool(release, "check", "rules", files);
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(Pattern.compile("SUCCESS").matcher(check.output()).results().count())
        .as(check.output())
        .isEqualTo(files.size());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void everyPromtoolRuleTestPasses(PrometheusRelease release) throws IOException {
    List<Path> files = files(RULES.resolve("tests"), ".test.yml");
    Processes.Finished test = promtool(release, "test", "rules", files);
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(Pattern.compile("SUCCESS").matcher(test.output()).results().count())
        .as(test.output())
        .isEqualTo(files.size());
  }

  private Processes.Finished promtool(
      PrometheusRelease release, String command, String what, List<Path> files) {
    List<String> commandLine = new ArrayList<>(List.of(release.promtool(), command, what));
    files.forEach((file) -> commandLine.add(file.toString()));
    return processes.run(Duration.ofMinutes(2), commandLine);
  }

  static List<Path> files(Path directory, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> found = files.filter((file) -> file.toString().endsWith(suffix)).sorted().toList();
      assertThat(found).as("%s files in %s", suffix, directory).isNotEmpty();
      return found;
    }
  }
}
