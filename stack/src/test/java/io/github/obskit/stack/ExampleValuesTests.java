package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static io.github.obskit.stack.RepositoryFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.stack.AlloySyntax.Block;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The example values for obskit's neighbours on Kubernetes fit the chart and the log contract. */
class ExampleValuesTests {

  private static final Path EXAMPLES = STACK.resolve("helm/examples");

  private final Map<String, Object> chartValues = yaml(STACK.resolve("helm/obskit/values.yaml"));

  private final Map<String, Object> kubePrometheusStack =
      yaml(EXAMPLES.resolve("kube-prometheus-stack-values.yaml"));

  private final Map<String, Object> alloy = yaml(EXAMPLES.resolve("alloy-values.yaml"));

  @Test
  void kubePrometheusStackSelectsTheChartsObjectsByTheReleaseLabelTheChartSets() {
    Map<String, Object> spec =
        map(map(this.kubePrometheusStack.get("prometheus")).get("prometheusSpec"));
    assertThat(spec)
        .containsEntry("serviceMonitorSelectorNilUsesHelmValues", true)
        .containsEntry("podMonitorSelectorNilUsesHelmValues", true)
        .containsEntry("ruleSelectorNilUsesHelmValues", true);
    String install = RepositoryFiles.read(EXAMPLES.resolve("kube-prometheus-stack-values.yaml"));
    String release =
        map(this.chartValues.get("prometheusSelectorLabels")).get("release").toString();
    assertThat(install).contains("helm upgrade --install " + release + " ");
  }

  @Test
  void kubePrometheusStacksSidecarLoadsTheChartsDashboardConfigMapsWithTheirFolder() {
    Map<String, Object> dashboards = map(this.chartValues.get("dashboards"));
    Map<String, Object> sidecar =
        map(map(map(this.kubePrometheusStack.get("grafana")).get("sidecar")).get("dashboards"));
    assertThat(sidecar)
        .containsEntry("label", dashboards.get("label"))
        .containsEntry("labelValue", dashboards.get("labelValue"))
        .containsEntry("folderAnnotation", dashboards.get("folderAnnotation"))
        .containsEntry("searchNamespace", "ALL");
    assertThat(map(sidecar.get("provider"))).containsEntry("foldersFromFilesStructure", true);
  }

  @Test
  void grafanaKeepsTheDatasourceUidsOfTheContract() {
    Map<String, Object> grafana = map(this.kubePrometheusStack.get("grafana"));
    assertThat(map(map(grafana.get("sidecar")).get("datasources")))
        .containsEntry("uid", "prometheus");
    assertThat(list(grafana.get("additionalDataSources")))
        .singleElement()
        .satisfies((loki) -> assertThat(map(loki)).containsEntry("uid", "loki"));
  }

  @Test
  void kubePrometheusStacksAlertmanagerInhibitsAsTheComposeStackDoes() {
    Map<String, Object> config =
        map(map(this.kubePrometheusStack.get("alertmanager")).get("config"));
    Map<String, Object> compose = yaml(STACK.resolve("alertmanager/alertmanager.yml"));
    assertThat(config.get("inhibit_rules"))
        .as("replaces the chart's default inhibit rules with the compose stack's")
        .isEqualTo(compose.get("inhibit_rules"));
  }

  @Test
  void kubePrometheusStacksAlertmanagerHasNoInhibitRuleComparingOnlyNamespaceAndAlertname() {
    Map<String, Object> config =
        map(map(this.kubePrometheusStack.get("alertmanager")).get("config"));
    assertThat(list(config.get("inhibit_rules")))
        .isNotEmpty()
        .allSatisfy(
            (rule) ->
                assertThat(new TreeSet<>(list(map(rule).get("equal"))))
                    .isNotEqualTo(new TreeSet<>(List.of("alertname", "namespace"))));
  }

  @Test
  void kubePrometheusStacksAlertmanagerGroupsAsTheComposeStackDoesPerClusterAndNamespace() {
    Map<String, Object> route =
        map(map(map(this.kubePrometheusStack.get("alertmanager")).get("config")).get("route"));
    Map<String, Object> compose =
        map(yaml(STACK.resolve("alertmanager/alertmanager.yml")).get("route"));
    assertThat(list(route.get("group_by")))
        .containsAll(list(compose.get("group_by")))
        .contains("cluster", "namespace");
  }

  @Test
  void lokiRunsMonolithicWithTheTsdbIndexAndSchemaV13() {
    Map<String, Object> loki = yaml(EXAMPLES.resolve("loki-values.yaml"));
    assertThat(loki).containsEntry("deploymentMode", "Monolithic");
    assertThat(list(map(map(loki.get("loki")).get("schemaConfig")).get("configs")))
        .isNotEmpty()
        .allSatisfy(
            (config) ->
                assertThat(map(config))
                    .containsEntry("store", "tsdb")
                    .containsEntry("schema", "v13"));
  }

  @Test
  void alloyTailsEveryPodOnceThroughTheKubernetesApi() {
    Map<String, Object> controller = map(this.alloy.get("controller"));
    boolean clustered =
        Boolean.TRUE.equals(map(map(this.alloy.get("alloy")).get("clustering")).get("enabled"));
    assertThat(
            clustered
                || ("deployment".equals(controller.get("type"))
                    && Integer.valueOf(1).equals(controller.get("replicas"))))
        .as("one Deployment replica, or clustering, so no pod is tailed twice")
        .isTrue();
    Block root = alloyConfig();
    assertThat(root.children("loki.source.kubernetes")).hasSize(1);
    assertThat(root.blocks())
        .extracting(Block::name)
        .doesNotContain("loki.source.file", "loki.source.podlogs", "local.file_match");
  }

  @Test
  void alloyParsesTheJsonFieldsTheComposePipelineParses() {
    assertThat(stage(alloyConfig(), "stage.json", "expressions"))
        .isEqualTo(
            stage(
                AlloySyntax.parse(RepositoryFiles.read(STACK.resolve("alloy/config.alloy"))),
                "stage.json",
                "expressions"));
  }

  @Test
  void alloyLabelsLogsOnlyWithBoundedLabelsAndTheComposeStacksNames() {
    Block root = alloyConfig();
    Set<String> labels = new TreeSet<>();
    root.children("discovery.relabel")
        .flatMap((relabel) -> relabel.children("rule"))
        .map((rule) -> (String) rule.attributes().get("target_label"))
        .filter((label) -> label != null)
        .forEach(labels::add);
    labels.addAll(stage(root, "stage.labels", "values").keySet());
    labels.addAll(stage(root, "stage.static_labels", "values").keySet());
    Block process = root.children("loki.process").findFirst().orElseThrow();
    process
        .children("stage.label_drop")
        .flatMap((drop) -> list(drop.attributes().get("values")).stream())
        .forEach(labels::remove);
    assertThat(labels)
        .containsExactlyInAnyOrder("cluster", "namespace", "service", "container", "level");
    assertThat(stage(root, "stage.structured_metadata", "values")).containsKey("pod");
  }

  @Test
  void remoteWriteLabelsTheClusterAndPushesToMimirOrThanosReceive() {
    Map<String, Object> spec =
        map(
            map(yaml(EXAMPLES.resolve("remote-write-values.yaml")).get("prometheus"))
                .get("prometheusSpec"));
    assertThat(map(spec.get("externalLabels"))).containsKey("cluster");
    assertThat(list(spec.get("remoteWrite")))
        .isNotEmpty()
        .allSatisfy(
            (target) ->
                assertThat((String) map(target).get("url")).matches(".*/api/v1/(push|receive)"));
    assertThat(map(spec.get("externalLabels")).get("cluster"))
        .isEqualTo(stage(alloyConfig(), "stage.static_labels", "values").get("cluster"));
  }

  private Block alloyConfig() {
    return AlloySyntax.parse(
        (String) map(map(this.alloy.get("alloy")).get("configMap")).get("content"));
  }

  private static Map<String, Object> stage(Block root, String stage, String attribute) {
    Map<String, Object> values = new LinkedHashMap<>();
    root.children("loki.process")
        .flatMap((process) -> process.children(stage))
        .forEach((block) -> values.putAll(map(block.attributes().get(attribute))));
    return values;
  }
}
