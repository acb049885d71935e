package io.github.obskit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Tools;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The repository's Makefile, the seed project's entry points, as make runs it. */
class MakefileIT {

  @AutoClose private final Processes processes = new Processes("makefile");

  @Test
  void makeHelpListsEveryTargetOfTheSeedProject() {
    Processes.Finished help = make("help");
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.stdout().lines().map((line) -> line.strip().split("\\s+")[0]))
        .contains(
            "help",
            "dev",
            "run",
            "start-backend",
            "up",
            "down",
            "health",
            "logs",
            "metrics",
            "test",
            "test-unit",
            "test-load",
            "e2e",
            "ci-test",
            "ci-build",
            "clean",
            "info",
            "check-deps");
  }

  @Test
  void makeWithoutATargetPrintsTheHelp() {
    Processes.Finished plain = make();
    assertThat(plain.exitCode()).as(plain.output()).isZero();
    assertThat(plain.stdout()).isNotBlank().isEqualTo(make("help").stdout());
  }

  private Processes.Finished make(String... targets) {
    ProcessBuilder builder =
        new ProcessBuilder(new java.util.ArrayList<>(List.of(Tools.require("make", "make"), "-s")))
            .directory(RepositoryFiles.ROOT.toFile());
    builder.command().addAll(List.of(targets));
    return processes.run(Duration.ofMinutes(1), builder);
  }
}
