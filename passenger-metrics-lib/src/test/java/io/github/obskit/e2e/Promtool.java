package io.github.obskit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Prometheus' own linter over an exposition: the check scrapers and promtool users rely on, run
 * with the promtool of every {@link PrometheusRelease} (a lint costs milliseconds, so the tests
 * that build an exposition run once and lint it on each).
 */
public final class Promtool {

  private Promtool() {}

  /**
   * Asserts that {@code promtool check metrics} of every release parses the exposition and reports
   * no lint problem (it exits 1 on a parse error and 3 on a lint problem).
   *
   * @param processes where promtool runs
   * @param name the exposition's name, for the failure message and its scratch file
   * @param exposition the exposition's text
   */
  public static void assertLintFree(Processes processes, String name, String exposition) {
    Path file = processes.directory().resolve(name.replaceAll("[^\\w.-]", "_") + ".prom");
    try {
      Files.writeString(file, exposition, StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    for (PrometheusRelease release : PrometheusRelease.values()) {
      Processes.Finished lint =
          processes.run(
              Duration.ofSeconds(30),
              new ProcessBuilder(List.of(release.promtool(), "check", "metrics"))
                  .redirectInput(file.toFile()));
      assertThat(lint.exitCode())
          .as("promtool check metrics of %s on %s (%s): %s", release, name, file, lint.output())
          .isZero();
      assertThat(lint.output()).as("promtool findings of %s on %s", release, name).isBlank();
    }
  }
}
