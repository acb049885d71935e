package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.CHART;
import static io.github.obskit.stack.kubernetes.RenderedChart.labels;
import static io.github.obskit.stack.kubernetes.RenderedChart.list;
import static io.github.obskit.stack.kubernetes.RenderedChart.map;
import static io.github.obskit.stack.kubernetes.RenderedChart.name;
import static io.github.obskit.stack.kubernetes.RenderedChart.objects;
import static io.github.obskit.stack.kubernetes.RenderedChart.objectsOfKind;
import static io.github.obskit.stack.kubernetes.RenderedChart.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lints the chart and checks what it renders with its defaults and every {@code ci/} file. */
class HelmChartTests {

  private static final List<String> MONITORING_KINDS =
      List.of("ServiceMonitor", "PodMonitor", "PrometheusRule");

  static List<String> valuesCases() {
    return RenderedChart.valuesCases();
  }

  @Test
  void passesStrictLint() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.getMessages()).as("lint messages").noneMatch((m) -> m.contains("[ERROR]"));
    assertThat(lint.isFailed()).as("lint failed: %s", lint.getMessages()).isFalse();
  }

  @Test
  void rejectsValuesTheSchemaDoesNotAllow(@TempDir Path dir) throws IOException {
    Path values = dir.resolve("values.yaml");
    Files.writeString(
        values, "passengerExporter:\n  mode: agent\nserviceMonitor:\n  intervall: 1m\n");
    assertThatException()
        .isThrownBy(() -> RenderedChart.render(values))
        .withMessageContaining("mode")
        .withMessageContaining("intervall");
  }

  @Test
  void refusesToDisableAnAlertOrFileTheLibraryDoesNotHave(@TempDir Path dir) throws IOException {
    Path alert = dir.resolve("alert.yaml");
    Files.writeString(alert, "prometheusRules:\n  disabled:\n    HttpHighLatencyP95: true\n");
    assertThatException()
        .isThrownBy(() -> RenderedChart.render(alert))
        .withMessageContaining(
            "prometheusRules.disabled.HttpHighLatencyP95: the rule library has no alert");
    Path file = dir.resolve("file.yaml");
    Files.writeString(file, "prometheusRules:\n  files:\n    platfrom: false\n");
    assertThatException()
        .isThrownBy(() -> RenderedChart.render(file))
        .withMessageContaining("prometheusRules.files.platfrom: the rule library has no file")
        .withMessageContaining("fleet, http, jvm, passenger, platform");
  }

  @Test
  void tellsAfterTheInstallHowToCheckThatPrometheusSelectsTheObjects() {
    String output =
        new Helm(CHART)
            .install()
            .withName(RenderedChart.RELEASE)
            .withNamespace(RenderedChart.NAMESPACE)
            .withKubeVersion(RenderedChart.KUBE_VERSION)
            .clientOnly()
            .dryRun()
            .call()
            .getOutput();
    assertThat(output)
        .contains("{\"release\":\"kube-prometheus-stack\"}")
        .contains("kubectl get prometheus -A")
        .contains(
            "kubectl -n monitoring get servicemonitors,podmonitors,prometheusrules"
                + " -l release=kube-prometheus-stack")
        .contains("serviceMonitorSelector", "podMonitorSelector", "ruleSelector")
        .contains("grafana_dashboard=\"1\"");
  }

  @ParameterizedTest
  @MethodSource("valuesCases")
  void labelsEveryMonitorAndRuleWithTheSelectorLabels(String valuesCase) {
    Map<String, Object> selectorLabels = selectorLabels(valuesCase);
    List<Map<String, Object>> monitoring =
        objects(render(valuesCase)).stream()
            .filter((object) -> MONITORING_KINDS.contains(object.get("kind")))
            .toList();
    assertThat(monitoring).as("monitors and rules of %s", valuesCase).isNotEmpty();
    assertThat(monitoring)
        .allSatisfy(
            (object) ->
                assertThat(labels(object))
                    .as("labels of %s %s", object.get("kind"), name(object))
                    .containsAllEntriesOf(selectorLabels));
  }

  @ParameterizedTest
  @MethodSource("valuesCases")
  void namesEveryObjectOnceInTheReleaseNamespace(String valuesCase) {
    List<Map<String, Object>> objects = objects(render(valuesCase));
    assertThat(objects)
        .extracting((object) -> object.get("kind") + "/" + name(object))
        .doesNotHaveDuplicates();
    assertThat(objects)
        .allSatisfy(
            (object) ->
                assertThat(map(object.get("metadata")).get("namespace"))
                    .isEqualTo(RenderedChart.NAMESPACE));
  }

  @ParameterizedTest
  @MethodSource("valuesCases")
  void monitorsOfTheApplicationDoNotFollowRedirects(String valuesCase) {
    // Like the compose jobs: a scrape redirected to a login page is down, not a 200 HTML page.
    List<Map<String, Object>> endpoints =
        objects(render(valuesCase)).stream()
            .filter(
                (object) -> List.of("ServiceMonitor", "PodMonitor").contains(object.get("kind")))
            .filter((object) -> !name(object).endsWith("-passenger-exporter"))
            .flatMap(
                (monitor) -> {
                  Map<String, Object> spec = map(monitor.get("spec"));
                  return list(
                          spec.containsKey("endpoints")
                              ? spec.get("endpoints")
                              : spec.get("podMetricsEndpoints"))
                      .stream()
                      .map((endpoint) -> map(endpoint));
                })
            .toList();
    assertThat(endpoints)
        .allSatisfy(
            (endpoint) ->
                assertThat(endpoint)
                    .as("endpoint %s of %s", endpoint.get("path"), valuesCase)
                    .containsEntry("followRedirects", false));
  }

  @Test
  void scrapesTheStartersPathThroughTheServicePortByDefault() {
    List<Map<String, Object>> objects = objects(render("defaults"));
    Map<String, Object> endpoint =
        map(
            list(map(objectsOfKind(objects, "ServiceMonitor").get(0).get("spec")).get("endpoints"))
                .get(0));
    assertThat(endpoint)
        .containsEntry("port", "http")
        .containsEntry("path", "/actuator/prometheus")
        .containsEntry("interval", "30s");
    assertThat(objectsOfKind(objects, "PodMonitor")).isEmpty();
    assertThat(objects)
        .extracting((object) -> (String) object.get("kind"))
        .containsOnly("ServiceMonitor", "PrometheusRule", "ConfigMap");
  }

  @Test
  void scrapesTheDemoThroughTheServiceMonitorAndProbesBootsHealthGroups() {
    List<Map<String, Object>> objects = objects(render("demo-values.yaml"));
    Map<String, Object> monitorSpec =
        map(objectsOfKind(objects, "ServiceMonitor").get(0).get("spec"));
    Map<String, Object> service = objectsOfKind(objects, "Service").get(0);
    assertThat(labels(service))
        .containsAllEntriesOf(map(map(monitorSpec.get("selector")).get("matchLabels")));
    assertThat(list(map(service.get("spec")).get("ports")))
        .extracting((port) -> map(port).get("name"))
        .contains(map(list(monitorSpec.get("endpoints")).get(0)).get("port"));
    Map<String, Object> deployment = objectsOfKind(objects, "Deployment").get(0);
    Map<String, Object> podSpec = map(map(map(deployment.get("spec")).get("template")).get("spec"));
    Map<String, Object> container = map(list(podSpec.get("containers")).get(0));
    assertThat(probePath(container, "livenessProbe")).isEqualTo("/actuator/health/liveness");
    assertThat(probePath(container, "startupProbe")).isEqualTo("/actuator/health/liveness");
    assertThat(probePath(container, "readinessProbe")).isEqualTo("/actuator/health/readiness");
    assertThat(map(map(deployment.get("spec")).get("selector")).get("matchLabels"))
        .isEqualTo(
            map(map(map(deployment.get("spec")).get("template")).get("metadata")).get("labels"));
    assertThat(map(service.get("spec")).get("selector"))
        .isEqualTo(map(map(deployment.get("spec")).get("selector")).get("matchLabels"));
    assertThat(list(container.get("env")))
        .contains(Map.of("name", "OBSERVABILITY_METRICS_ENV", "value", "staging"));
  }

  @Test
  void runsThePassengerExporterOnEveryNodeWithAServiceAndServiceMonitorOn9149() {
    List<Map<String, Object>> objects = objects(render("passenger-daemonset-values.yaml"));
    Map<String, Object> daemonSet = objectsOfKind(objects, "DaemonSet").get(0);
    Map<String, Object> podSpec = map(map(map(daemonSet.get("spec")).get("template")).get("spec"));
    Map<String, Object> container = map(list(podSpec.get("containers")).get(0));
    assertThat(container.get("image")).isEqualTo("obskit/passenger-metrics-exporter:1.0.0");
    assertThat(list(container.get("args")))
        .containsExactly("serve", "--port", "9149", "--socket", "--no-per-process");
    assertThat(list(container.get("env")))
        .contains(
            Map.of(
                "name", "PASSENGER_INSTANCE_REGISTRY_DIR", "value", "/var/run/passenger-instreg"));
    assertThat(list(podSpec.get("volumes")))
        .anySatisfy(
            (volume) ->
                assertThat(map(map(volume).get("hostPath")).get("path"))
                    .isEqualTo("/var/run/passenger-instreg"));
    Map<String, Object> service =
        objectsOfKind(objects, "Service").stream()
            .filter((s) -> name(s).endsWith("-passenger-exporter"))
            .findFirst()
            .orElseThrow();
    assertThat(list(map(service.get("spec")).get("ports")))
        .singleElement()
        .satisfies((port) -> assertThat(map(port)).containsEntry("port", 9149));
    Map<String, Object> monitor =
        objectsOfKind(objects, "ServiceMonitor").stream()
            .filter((m) -> name(m).endsWith("-passenger-exporter"))
            .findFirst()
            .orElseThrow();
    assertThat(labels(service))
        .containsAllEntriesOf(
            map(map(map(monitor.get("spec")).get("selector")).get("matchLabels")));
    assertThat(map(map(daemonSet.get("spec")).get("template")).get("metadata"))
        .satisfies(
            (metadata) ->
                assertThat(map(map(metadata).get("labels")))
                    .containsAllEntriesOf(map(map(service.get("spec")).get("selector"))));
  }

  @Test
  void refusesADaemonSetThatWouldRunOnNodesWithoutPassenger() {
    // On a node without Passenger the exporter serves passenger_up 0, and PassengerDown pages.
    assertThatException()
        .isThrownBy(() -> RenderedChart.template().set("passengerExporter.enabled", true).call())
        .withMessageContaining(
            "passengerExporter.nodeSelector or passengerExporter.affinity must select the nodes"
                + " that run Passenger")
        .withMessageContaining("PassengerDown");
  }

  @Test
  void runsTheDaemonSetOnTheNodesItsAffinitySelects(@TempDir Path dir) throws IOException {
    Path values = dir.resolve("values.yaml");
    Files.writeString(
        values,
        """
        passengerExporter:
          enabled: true
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - {key: node-role/passenger, operator: Exists}
        """);
    Map<String, Object> podSpec = exporterPodSpec(RenderedChart.render(values));
    assertThat(podSpec).doesNotContainKey("nodeSelector");
    assertThat(map(map(podSpec.get("affinity")).get("nodeAffinity")))
        .containsKey("requiredDuringSchedulingIgnoredDuringExecution");
  }

  @Test
  void runsTheExporterAsANonRootUserByDefault() {
    Map<String, Object> securityContext =
        exporterSecurityContext(
            RenderedChart.template()
                .set("passengerExporter.enabled", true)
                .set("passengerExporter.nodeSelector.passenger", "yes")
                .call());
    assertThat(securityContext)
        .containsEntry("runAsUser", 10001)
        .containsEntry("runAsNonRoot", true)
        .containsEntry("readOnlyRootFilesystem", true);
  }

  @Test
  void runsTheExporterAsRootTheWayTheReadmeSaysWithoutRunAsNonRoot() {
    assertThat(RenderedChart.read(RenderedChart.CHART_SOURCES.resolve("README.md")))
        .contains("--set passengerExporter.securityContext.runAsUser=0");
    Map<String, Object> securityContext =
        exporterSecurityContext(
            RenderedChart.template()
                .set("passengerExporter.enabled", true)
                .set("passengerExporter.nodeSelector.passenger", "yes")
                .set("passengerExporter.securityContext.runAsUser", 0)
                .call());
    assertThat(securityContext)
        .as("the kubelet refuses runAsNonRoot: true with runAsUser: 0")
        .containsEntry("runAsUser", 0)
        .containsEntry("runAsNonRoot", false)
        .containsEntry("readOnlyRootFilesystem", true);
  }

  @Test
  void refusesASecurityContextTheKubeletWouldRefuse() {
    assertThatException()
        .isThrownBy(
            () ->
                RenderedChart.template()
                    .set("passengerExporter.enabled", true)
                    .set("passengerExporter.nodeSelector.passenger", "yes")
                    .set("passengerExporter.securityContext.runAsUser", 0)
                    .set("passengerExporter.securityContext.runAsNonRoot", true)
                    .call())
        .withMessageContaining(
            "passengerExporter.securityContext: runAsNonRoot true and runAsUser 0");
  }

  @ParameterizedTest
  @MethodSource("valuesCases")
  void neverRendersRunAsNonRootForTheRootUser(String valuesCase) {
    for (Map<String, Object> object : objects(render(valuesCase))) {
      Map<String, Object> template = map(map(object.get("spec")).get("template"));
      for (Object container : list(map(template.get("spec")).get("containers"))) {
        Map<String, Object> securityContext = map(map(container).get("securityContext"));
        if (Integer.valueOf(0).equals(securityContext.get("runAsUser"))) {
          assertThat(securityContext).as("%s", name(object)).containsEntry("runAsNonRoot", false);
        }
      }
    }
  }

  @Test
  void scrapesPassengerSidecarsThroughAPodMonitorOnly() {
    List<Map<String, Object>> objects = objects(render("passenger-sidecar-values.yaml"));
    assertThat(objects).extracting((object) -> object.get("kind")).containsExactly("PodMonitor");
    Map<String, Object> spec = map(objects.get(0).get("spec"));
    assertThat(map(spec.get("selector")).get("matchLabels")).isEqualTo(Map.of("app", "storefront"));
    assertThat(spec.get("namespaceSelector"))
        .as("the namespaces replace the default, not merge with it")
        .isEqualTo(Map.of("matchNames", List.of("storefront")));
    assertThat(map(list(spec.get("podMetricsEndpoints")).get(0)))
        .containsEntry("port", "passenger-metrics")
        .containsEntry("path", "/metrics");
  }

  private static Map<String, Object> exporterPodSpec(String manifest) {
    Map<String, Object> daemonSet = objectsOfKind(objects(manifest), "DaemonSet").get(0);
    return map(map(map(daemonSet.get("spec")).get("template")).get("spec"));
  }

  private static Map<String, Object> exporterSecurityContext(String manifest) {
    return map(
        map(list(exporterPodSpec(manifest).get("containers")).get(0)).get("securityContext"));
  }

  private static String probePath(Map<String, Object> container, String probe) {
    return (String) map(map(container.get(probe)).get("httpGet")).get("path");
  }

  private static Map<String, Object> selectorLabels(String valuesCase) {
    Map<String, Object> defaults = RenderedChart.yaml(CHART.resolve("values.yaml"));
    Object labels = defaults.get("prometheusSelectorLabels");
    if (!valuesCase.equals("defaults")) {
      Map<String, Object> values = RenderedChart.yaml(CHART.resolve("ci").resolve(valuesCase));
      labels = values.getOrDefault("prometheusSelectorLabels", labels);
    }
    return map(labels);
  }
}
