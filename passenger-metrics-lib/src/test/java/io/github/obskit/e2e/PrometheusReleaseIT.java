package io.github.obskit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each release's four programs run and are the versions its name states, so a test named after a
 * release runs that release (a newer Debian unstable fails here until {@link PrometheusRelease} and
 * the docs name it).
 */
class PrometheusReleaseIT {

  @AutoClose private final Processes processes = new Processes("prometheus-release");

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void programsRunAndAreTheNamedVersions(PrometheusRelease release) {
    assertVersion(
        release, PrometheusRelease::prometheus, "prometheus", release.prometheusVersion());
    assertVersion(release, PrometheusRelease::promtool, "promtool", release.prometheusVersion());
    assertVersion(
        release, PrometheusRelease::alertmanager, "alertmanager", release.alertmanagerVersion());
    assertVersion(release, PrometheusRelease::amtool, "amtool", release.alertmanagerVersion());
  }

  private void assertVersion(
      PrometheusRelease release,
      Function<PrometheusRelease, String> program,
      String name,
      String version) {
    String path = program.apply(release);
    Processes.Finished finished = processes.run(Duration.ofSeconds(30), List.of(path, "--version"));
    assertThat(finished.exitCode()).as("%s --version: %s", path, finished.output()).isZero();
    assertThat(finished.output().lines().findFirst().orElse(""))
        .as("%s --version", path)
        .startsWith(name + ", version " + version + ".");
  }
}
