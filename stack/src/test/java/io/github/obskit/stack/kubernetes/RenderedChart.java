package io.github.obskit.stack.kubernetes;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart as the build assembles it (stack/target/helm/obskit), rendered by the embedded Helm,
 * and the library files it is built from.
 */
final class RenderedChart {

  /** The stack module's folder; Maven runs the tests there. */
  static final Path STACK = Path.of("").toAbsolutePath();

  static final Path DASHBOARDS_MODULE = STACK.getParent().resolve("grafana-dashboards");

  static final Path RULES = DASHBOARDS_MODULE.resolve("rules");

  static final Path DASHBOARDS = DASHBOARDS_MODULE.resolve("dashboards");

  static final Path CHART_SOURCES = STACK.resolve("helm/obskit");

  static final Path CHART =
      Path.of(
          Objects.requireNonNullElse(System.getProperty("obskit.chart.dir"), "target/helm/obskit"));

  static final String RELEASE = "obskit";

  static final String NAMESPACE = "monitoring";

  /**
   * The Kubernetes version to render for; without one, Helm assumes 1.20, below the chart's
   * minimum.
   */
  static final String KUBE_VERSION = "1.32.0";

  /**
   * Values under which every template renders something (the exporter in daemonset mode), to be
   * merged over the defaults or given as a values file.
   */
  static final String EVERY_TEMPLATE =
      """
      podMonitor:
        enabled: true
      dashboards:
        grafanaOperator:
          enabled: true
      passengerExporter:
        enabled: true
        nodeSelector:
          node-role/passenger: "true"
      demo:
        enabled: true
      """;

  private RenderedChart() {}

  /** The values cases: the defaults ({@code null}) and every file of the chart's {@code ci/}. */
  static List<String> valuesCases() {
    List<String> cases = new ArrayList<>();
    cases.add("defaults");
    try (Stream<Path> files = Files.list(CHART_SOURCES.resolve("ci"))) {
      files.map((file) -> file.getFileName().toString()).sorted().forEach(cases::add);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return cases;
  }

  /** {@code helm template obskit CHART --namespace monitoring [-f ci/CASE]}. */
  static String render(String valuesCase) {
    TemplateCommand template =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    if (!valuesCase.equals("defaults")) {
      template = template.withValuesFile(CHART.resolve("ci").resolve(valuesCase));
    }
    return template.call();
  }

  static String render(Path valuesFile) {
    return template().withValuesFile(valuesFile).call();
  }

  /** {@code helm template obskit CHART --namespace monitoring}, for further options. */
  static TemplateCommand template() {
    return new Helm(CHART)
        .template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
  }

  /** The objects of a rendered manifest, in order. */
  static List<Map<String, Object>> objects(String manifest) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object document : new Yaml(new LoaderOptions()).loadAll(manifest)) {
      if (document != null) {
        objects.add(map(document));
      }
    }
    return objects;
  }

  static List<Map<String, Object>> objectsOfKind(List<Map<String, Object>> objects, String kind) {
    return objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
  }

  static Map<String, Object> yaml(Path file) {
    return map(new Yaml(new LoaderOptions()).load(read(file)));
  }

  static Map<String, Object> yamlText(String text) {
    return map(new Yaml(new LoaderOptions()).load(text));
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The rule files of the library by name without {@code .rules.yml}. */
  static List<String> ruleFiles() {
    try (Stream<Path> files = Files.list(RULES)) {
      return files
          .map((file) -> file.getFileName().toString())
          .filter((name) -> name.endsWith(".rules.yml"))
          .map((name) -> name.substring(0, name.length() - ".rules.yml".length()))
          .sorted()
          .toList();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static List<Path> dashboards() {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static String name(Map<String, Object> object) {
    return (String) map(object.get("metadata")).get("name");
  }

  static Map<String, Object> labels(Map<String, Object> object) {
    return map(map(object.get("metadata")).get("labels"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (value != null) ? (Map<String, Object>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (value != null) ? (List<Object>) value : List.of();
  }
}
