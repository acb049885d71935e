package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Prometheus' own tools over the rule library: syntax, and the unit tests of every alert. */
class PromtoolRulesIT {

  private static final Path RULES = Path.of("rules");

  @AutoClose private final Processes processes = new Processes("promtool-rules");

  @Test
  void promtoolAcceptsEveryRuleFile() throws IOException {
    List<Path> files = files(RULES, ".rules.yml");
    Processes.Finished check = promtool("check", "rules", files);
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(Pattern.compile("SUCCESS").matcher(check.output()).results().count())
        .as(check.output())
        .isEqualTo(files.size());
  }

  @Test
  void everyPromtoolRuleTestPasses() throws IOException {
    List<Path> files = files(RULES.resolve("tests"), ".test.yml");
    Processes.Finished test = promtool("test", "rules", files);
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(Pattern.compile("SUCCESS").matcher(test.output()).results().count())
        .as(test.output())
        .isEqualTo(files.size());
  }

  private Processes.Finished promtool(String command, String what, List<Path> files) {
    List<String> commandLine =
        new ArrayList<>(List.of(Tools.require("promtool", "prometheus"), command, what));
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
