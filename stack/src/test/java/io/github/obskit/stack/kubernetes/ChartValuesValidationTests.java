package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.EVERY_TEMPLATE;
import static io.github.obskit.stack.kubernetes.RenderedChart.labels;
import static io.github.obskit.stack.kubernetes.RenderedChart.map;
import static io.github.obskit.stack.kubernetes.RenderedChart.name;
import static io.github.obskit.stack.kubernetes.RenderedChart.objects;
import static io.github.obskit.stack.kubernetes.RenderedChart.objectsOfKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values whose output Kubernetes, the Prometheus Operator or promtool would reject are refused at
 * render time with a message naming the value; names too long for Kubernetes are shortened the way
 * Helm charts do, keeping them distinct.
 */
class ChartValuesValidationTests {

  private static final String DNS_1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";

  @ParameterizedTest
  @CsvSource({
    "nameOverride, Obskit",
    "nameOverride, obs_kit",
    "fullnameOverride, Obskit",
    "fullnameOverride, my_obskit",
    "fullnameOverride, obskit-"
  })
  void refusesAnObjectNameThatIsNoDns1123Label(String value, String name) {
    assertRefused(RenderedChart.template().set(value, name), "/" + value, name);
  }

  @Test
  void keepsTheNamesOfALongFullnameOverrideDistinctAndWithin63Characters(@TempDir Path dir)
      throws IOException {
    String fullname = "obskit-" + "x".repeat(70);
    List<Map<String, Object>> objects =
        objects(
            RenderedChart.template()
                .withValuesFile(values(dir, EVERY_TEMPLATE))
                .set("fullnameOverride", fullname)
                .call());
    assertThat(objectsOfKind(objects, "ConfigMap")).hasSameSizeAs(RenderedChart.dashboards());
    assertThat(objects)
        .extracting((object) -> object.get("kind") + "/" + name(object))
        .doesNotHaveDuplicates();
    assertThat(objects)
        .extracting(RenderedChart::name)
        .allSatisfy((name) -> assertThat(name).hasSizeLessThanOrEqualTo(63).startsWith("obskit-x"));
    List<String> dashboards =
        RenderedChart.dashboards().stream()
            .map((file) -> "-" + file.getFileName().toString().replace(".json", ""))
            .toList();
    assertThat(objectsOfKind(objects, "ConfigMap"))
        .extracting(RenderedChart::name)
        .allSatisfy((name) -> assertThat(dashboards).anyMatch(name::endsWith));
  }

  @Test
  void keepsTheServiceNamesOfTheLongestReleaseNameWithin63Characters(@TempDir Path dir)
      throws IOException {
    String release = "a".repeat(53);
    List<Map<String, Object>> objects =
        objects(
            RenderedChart.template()
                .withName(release)
                .withValuesFile(values(dir, EVERY_TEMPLATE))
                .call());
    assertThat(objectsOfKind(objects, "Service"))
        .extracting(RenderedChart::name)
        .hasSize(2)
        .doesNotHaveDuplicates()
        .allSatisfy(
            (name) -> assertThat(name).hasSizeLessThanOrEqualTo(63).matches(DNS_1035_LABEL));
    assertThat(objects)
        .allSatisfy(
            (object) ->
                assertThat(labels(object).values())
                    .allSatisfy(
                        (value) -> assertThat((String) value).hasSizeLessThanOrEqualTo(63)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1shop", "shop.eu"})
  void refusesAReleaseNameThatGivesAServiceNameKubernetesRejects(String release) {
    TemplateCommand demo = RenderedChart.template().withName(release).set("demo.enabled", true);
    assertRefused(demo, "the Service name", "is no DNS-1035 label", "release name");
    assertThat(objects(RenderedChart.template().withName(release).call()))
        .as("without a Service the release name may have a digit first or a dot")
        .isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"team-name", "team.name", "1team", "__team", "Team Name"})
  void refusesARuleLabelThatIsNoPrometheusLabelName(String label, @TempDir Path dir)
      throws IOException {
    Path values =
        values(dir, "prometheusRules:\n  additionalRuleLabels:\n    \"" + label + "\": checkout\n");
    assertRefused(
        RenderedChart.template().withValuesFile(values),
        "/prometheusRules/additionalRuleLabels",
        label);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "true", "[a]", "{a: b}"})
  void refusesARuleLabelValueThatIsNoString(String value, @TempDir Path dir) throws IOException {
    Path values =
        values(dir, "prometheusRules:\n  additionalRuleLabels:\n    priority: " + value + "\n");
    assertRefused(
        RenderedChart.template().withValuesFile(values),
        "/prometheusRules/additionalRuleLabels/priority");
  }

  @ParameterizedTest
  @ValueSource(strings = {"team", "_team", "team_2", "TEAM", "_"})
  void acceptsAValidRuleLabelName(String label, @TempDir Path dir) throws IOException {
    Path values =
        values(dir, "prometheusRules:\n  additionalRuleLabels:\n    " + label + ": checkout\n");
    List<Map<String, Object>> rules =
        objectsOfKind(
            objects(RenderedChart.template().withValuesFile(values).call()), "PrometheusRule");
    assertThat(rules).hasSameSizeAs(RenderedChart.ruleFiles());
  }

  @ParameterizedTest
  @CsvSource({
    "serviceMonitor, 30s, 1m",
    "serviceMonitor, 1m, 61s",
    "serviceMonitor, 1h, 1h1ms",
    "podMonitor, 30s, 31s",
    "passengerExporter, 15s, 20s"
  })
  void refusesAScrapeTimeoutOverTheInterval(String monitor, String interval, String timeout) {
    TemplateCommand template =
        enabled(RenderedChart.template(), monitor)
            .set(monitor + ".interval", interval)
            .set(monitor + ".scrapeTimeout", timeout);
    assertRefused(
        template,
        monitor + ".scrapeTimeout (" + timeout + ") is longer than",
        monitor + ".interval (" + interval + ")");
  }

  @ParameterizedTest
  @CsvSource({
    "serviceMonitor, 1m, 60s",
    "serviceMonitor, 1h, 90s",
    "serviceMonitor, 2m, 1m30s",
    "podMonitor, 1d, 1h",
    "passengerExporter, 15s, 15000ms"
  })
  void acceptsAScrapeTimeoutUpToTheInterval(String monitor, String interval, String timeout) {
    List<Map<String, Object>> objects =
        objects(
            enabled(RenderedChart.template(), monitor)
                .set(monitor + ".interval", interval)
                .set(monitor + ".scrapeTimeout", timeout)
                .call());
    assertThat(objects)
        .filteredOn((object) -> String.valueOf(object.get("kind")).endsWith("Monitor"))
        .flatExtracting(ChartValuesValidationTests::endpoints)
        .anySatisfy(
            (endpoint) ->
                assertThat(endpoint)
                    .containsEntry("interval", interval)
                    .containsEntry("scrapeTimeout", timeout));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "commonLabels: {Team Name: checkout}|/commonLabels",
        "commonLabels: {team: check out}|/commonLabels/team",
        "prometheusSelectorLabels: {release: kube_prometheus_stack_}|/prometheusSelectorLabels",
        "dashboards: {label: grafana dashboard}|/dashboards/label",
        "dashboards: {labelValue: 'yes please'}|/dashboards/labelValue",
        "dashboards: {folderAnnotation: 'grafana folder'}|/dashboards/folderAnnotation",
        "dashboards: {annotations: {'owner team': platform}}|/dashboards/annotations",
        "serviceMonitor: {namespaces: [Shop]}|/serviceMonitor/namespaces/0",
        "serviceMonitor: {port: HTTP}|/serviceMonitor/port",
        "podMonitor: {port: passenger-metrics-port}|/podMonitor/port",
        "serviceMonitor: {selector: {matchLabels: {app: 'store front'}}}|/serviceMonitor/selector",
        "demo: {image: {tag: 'v1 latest'}}|/demo/image/tag",
        "passengerExporter: {image: {repository: Obskit/Exporter}}|/passengerExporter/image",
        "passengerExporter: {instanceRegistryDir: var/run}|/passengerExporter/instanceRegistryDir"
      })
  void refusesLabelsNamesAndPathsKubernetesWouldReject(
      String yaml, String pointer, @TempDir Path dir) throws IOException {
    assertRefused(RenderedChart.template().withValuesFile(values(dir, yaml + "\n")), pointer);
  }

  private static TemplateCommand enabled(TemplateCommand template, String monitor) {
    return switch (monitor) {
      case "podMonitor" -> template.set("podMonitor.enabled", true);
      case "passengerExporter" ->
          template
              .set("passengerExporter.enabled", true)
              .set("passengerExporter.nodeSelector.passenger", "yes");
      default -> template;
    };
  }

  private static List<Map<String, Object>> endpoints(Map<String, Object> monitor) {
    Map<String, Object> spec = map(monitor.get("spec"));
    Object endpoints = spec.getOrDefault("endpoints", spec.get("podMetricsEndpoints"));
    return RenderedChart.list(endpoints).stream().map(RenderedChart::map).toList();
  }

  private static void assertRefused(TemplateCommand template, String... messageParts) {
    assertThatException().isThrownBy(template::call).withMessageContainingAll(messageParts);
  }

  private static Path values(Path dir, String yaml) throws IOException {
    return Files.writeString(dir.resolve("values.yaml"), yaml);
  }
}
