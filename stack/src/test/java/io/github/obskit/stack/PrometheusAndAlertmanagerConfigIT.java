package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.PrometheusRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The stack's Prometheus and Alertmanager configs through the checkers of every {@link
 * PrometheusRelease}: what the stack runs (Prometheus 3, Alertmanager 0.3x) and Debian stable's.
 */
class PrometheusAndAlertmanagerConfigIT {

  // The commented email and Slack examples of alertmanager.yml, as a user uncomments them.
  private static final Pattern COMMENTED_EXAMPLE =
      Pattern.compile(
          "(?m)^(\\s*)# (\\s*)(smtp_\\w+:|slack_api_url_file:|email_configs:|slack_configs:|- to:"
              + "|- channel:|send_resolved:|title:|text:)(.*)$");

  @AutoClose private final Processes processes = new Processes("prometheus-alertmanager-config");

  static Stream<Arguments> configsOnEachRelease() {
    return Stream.of(PrometheusRelease.values())
        .flatMap(
            (release) ->
                Stream.of("prometheus.yml", "prometheus-ha.yml")
                    .map((config) -> Arguments.of(config, release)));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("configsOnEachRelease")
  void promtoolAcceptsTheConfigAndTheRulesItLoads(String config, PrometheusRelease release)
      throws IOException {
    // The rule glob points into the container: point it at the repository's rules, so that their
    // syntax is checked with the config.
    Path rewritten =
        Files.writeString(
            processes.directory().resolve(release.name() + "-" + config),
            RepositoryFiles.read(STACK.resolve("prometheus").resolve(config))
                .replace(
                    "/etc/prometheus/rules/",
                    RepositoryFiles.DASHBOARDS_MODULE.resolve("rules") + "/"));
    Processes.Finished check =
        processes.run(
            Duration.ofMinutes(1),
            List.of(release.promtool(), "check", "config", rewritten.toString()));
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).containsPattern("SUCCESS: [1-9]\\d* rules found");
  }

  @ParameterizedTest
  @ValueSource(strings = {"prometheus.yml", "prometheus-ha.yml"})
  void scrapesTheFourJobsOfTheStack(String config) {
    assertThat(
            list(
                    RepositoryFiles.yaml(STACK.resolve("prometheus").resolve(config))
                        .get("scrape_configs"))
                .stream()
                .map((job) -> map(job).get("job_name")))
        .containsExactly("prometheus", "alertmanager", "backend", "passenger");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void amtoolAcceptsTheAlertmanagerConfig(PrometheusRelease release) {
    Processes.Finished check = amtool(release, STACK.resolve("alertmanager/alertmanager.yml"));
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void amtoolAcceptsTheEmailAndSlackExamplesOnceUncommented(PrometheusRelease release)
      throws IOException {
    Matcher example =
        COMMENTED_EXAMPLE.matcher(
            RepositoryFiles.read(STACK.resolve("alertmanager/alertmanager.yml")));
    String uncommented = example.replaceAll("$1$2$3$4");
    assertThat(uncommented).containsPattern("(?m)^ *slack_configs:");
    Path file = Files.writeString(processes.directory().resolve("examples.yml"), uncommented);
    Processes.Finished check = amtool(release, file);
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void amtoolAcceptsTheAlertmanagerConfigOfTheKubePrometheusStackExample(PrometheusRelease release)
      throws IOException {
    Object config =
        map(RepositoryFiles.yaml(STACK.resolve("helm/examples/kube-prometheus-stack-values.yaml"))
                .get("alertmanager"))
            .get("config");
    assertThat(map(config)).containsKeys("route", "receivers", "inhibit_rules");
    Path file =
        Files.writeString(
            processes.directory().resolve("kube-prometheus-stack.yml"), new Yaml().dump(config));
    Processes.Finished check = amtool(release, file);
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  private Processes.Finished amtool(PrometheusRelease release, Path config) {
    return processes.run(
        Duration.ofMinutes(1), List.of(release.amtool(), "check-config", config.toString()));
  }
}
