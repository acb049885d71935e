package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.ROOT;
import static io.github.obskit.stack.RepositoryFiles.SHIPPED_COMPOSE_FILES;
import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.map;
import static io.github.obskit.stack.RepositoryFiles.services;
import static io.github.obskit.stack.RepositoryFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.PrometheusRelease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What users run is what the end-to-end tests run: the compose files and the kube-prometheus-stack
 * example pin the Prometheus and Alertmanager of {@link PrometheusRelease#DEBIAN_UNSTABLE} (same
 * major and minor, any patch), and the docs name every tested release.
 */
class TestedReleasesTests {

  private static final PrometheusRelease NEWEST = PrometheusRelease.DEBIAN_UNSTABLE;

  private static final Path KUBE_PROMETHEUS_STACK_VALUES =
      STACK.resolve("helm/examples/kube-prometheus-stack-values.yaml");

  @Test
  void theComposeFilesRunTheTestedPrometheusAndAlertmanager() {
    List<String> images = new ArrayList<>();
    for (String file : SHIPPED_COMPOSE_FILES) {
      services(file).values().stream()
          .map((service) -> String.valueOf(map(service).get("image")))
          .filter((image) -> image.startsWith("prom/"))
          .forEach(images::add);
    }
    assertThat(images)
        .filteredOn((image) -> image.startsWith("prom/prometheus:"))
        .isNotEmpty()
        .allSatisfy((image) -> assertThat(tag(image)).matches(tested(NEWEST.prometheusVersion())));
    assertThat(images)
        .filteredOn((image) -> image.startsWith("prom/alertmanager:"))
        .isNotEmpty()
        .allSatisfy(
            (image) -> assertThat(tag(image)).matches(tested(NEWEST.alertmanagerVersion())));
  }

  @Test
  void theKubePrometheusStackExampleRunsTheTestedPrometheusAndAlertmanager() {
    var values = yaml(KUBE_PROMETHEUS_STACK_VALUES);
    Object prometheusTag =
        map(map(map(values.get("prometheus")).get("prometheusSpec")).get("image")).get("tag");
    Object alertmanagerTag =
        map(map(map(values.get("alertmanager")).get("alertmanagerSpec")).get("image")).get("tag");
    assertThat(String.valueOf(prometheusTag)).matches(tested(NEWEST.prometheusVersion()));
    assertThat(String.valueOf(alertmanagerTag)).matches(tested(NEWEST.alertmanagerVersion()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"docs/CONTRACT.md", "stack/README.md", "README.md"})
  void theDocsNameEveryTestedRelease(String file) {
    // Markdown may break a line anywhere.
    String text = RepositoryFiles.read(ROOT.resolve(file)).replaceAll("\\s+", " ");
    for (PrometheusRelease release : PrometheusRelease.values()) {
      assertThat(text).as(file).contains(release.toString());
    }
  }

  private static String tag(String image) {
    return image.substring(image.lastIndexOf(':') + 1);
  }

  /** A tag of that major and minor version and any patch, such as {@code v3.5.3}. */
  private static String tested(String majorAndMinor) {
    return "v" + Pattern.quote(majorAndMinor) + "\\.\\d+";
  }
}
