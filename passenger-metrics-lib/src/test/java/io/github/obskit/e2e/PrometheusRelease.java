package io.github.obskit.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Prometheus and Alertmanager releases every end-to-end test runs on: Debian stable's,
 * installed on the {@code PATH} by .ci/install-tools.sh, and Debian unstable's (Prometheus 3 LTS,
 * Alertmanager 0.3x), extracted into a tools folder by .ci/fetch-unstable-prometheus.sh. A test
 * over Prometheus takes one as a parameter ({@code @EnumSource(PrometheusRelease.class)}); its
 * {@link #toString()} names the versions in the test's name. A missing program fails the test
 * naming the package and the script that fetches it.
 */
public enum PrometheusRelease {

  /** Debian stable's {@code prometheus} and {@code prometheus-alertmanager}, on the PATH. */
  DEBIAN_STABLE("2.42", "0.25"),

  /** Debian unstable's {@code prometheus}, {@code promtool} and {@code prometheus-alertmanager}. */
  DEBIAN_UNSTABLE("3.5", "0.33");

  /** The system property holding the tools folder; failsafe sets it (root pom, e2e profile). */
  public static final String TOOLS_PROPERTY = "obskit.e2e.tools";

  private static final String FETCH_SCRIPT = ".ci/fetch-unstable-prometheus.sh";

  private final String prometheusVersion;

  private final String alertmanagerVersion;

  PrometheusRelease(String prometheusVersion, String alertmanagerVersion) {
    this.prometheusVersion = prometheusVersion;
    this.alertmanagerVersion = alertmanagerVersion;
  }

  /**
   * The Prometheus server.
   *
   * @return its absolute path
   */
  public String prometheus() {
    return program("prometheus", "prometheus");
  }

  /**
   * Prometheus' command-line tool (rule checks and unit tests, exposition lint).
   *
   * @return its absolute path
   */
  public String promtool() {
    return program("promtool", this == DEBIAN_STABLE ? "prometheus" : "promtool");
  }

  /**
   * The Alertmanager server (Debian names it {@code prometheus-alertmanager}).
   *
   * @return its absolute path
   */
  public String alertmanager() {
    return program("prometheus-alertmanager", "prometheus-alertmanager");
  }

  /**
   * Alertmanager's command-line tool (config checks).
   *
   * @return its absolute path
   */
  public String amtool() {
    return program("amtool", "prometheus-alertmanager");
  }

  /**
   * The Prometheus release's major and minor version, as {@code prometheus --version} prints it.
   *
   * @return for example {@code 3.5}
   */
  public String prometheusVersion() {
    return prometheusVersion;
  }

  /**
   * The Alertmanager release's major and minor version.
   *
   * @return for example {@code 0.33}
   */
  public String alertmanagerVersion() {
    return alertmanagerVersion;
  }

  /**
   * Whether this is Prometheus 3 or later, which parses and normalises some things differently.
   *
   * @return {@code true} from Prometheus 3 on
   */
  public boolean isPrometheus3() {
    return !prometheusVersion.startsWith("2.");
  }

  /**
   * The folder .ci/fetch-unstable-prometheus.sh extracts Debian unstable's packages into: the
   * system property {@value #TOOLS_PROPERTY}, else {@code $OBSKIT_TOOLS_DIR}, else {@code .tools}
   * in the repository holding the working directory (what the script and the root pom default to).
   *
   * @return the tools folder
   */
  public static Path toolsFolder() {
    String property = System.getProperty(TOOLS_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath();
    }
    String environment = System.getenv("OBSKIT_TOOLS_DIR");
    if (environment != null && !environment.isBlank()) {
      return Path.of(environment).toAbsolutePath();
    }
    for (Path directory = Path.of("").toAbsolutePath();
        directory != null;
        directory = directory.getParent()) {
      if (Files.isRegularFile(directory.resolve(FETCH_SCRIPT))) {
        return directory.resolve(".tools");
      }
    }
    return Path.of(".tools").toAbsolutePath();
  }

  private String program(String command, String debianPackage) {
    if (this == DEBIAN_STABLE) {
      return Tools.require(command, debianPackage);
    }
    Path program = toolsFolder().resolve("debian-unstable/usr/bin").resolve(command);
    if (Files.isRegularFile(program) && Files.isExecutable(program)) {
      return program.toString();
    }
    return fail(
        "%s is missing: fetch Debian unstable's package %s with OBSKIT_TOOLS_DIR=%s %s (as"
            + " .ci/install-tools.sh does)",
        program, debianPackage, toolsFolder(), FETCH_SCRIPT);
  }

  /**
   * The versions, for parameterized test names.
   *
   * @return for example {@code Prometheus 3.5 / Alertmanager 0.33}
   */
  @Override
  public String toString() {
    return "Prometheus " + prometheusVersion + " / Alertmanager " + alertmanagerVersion;
  }
}
