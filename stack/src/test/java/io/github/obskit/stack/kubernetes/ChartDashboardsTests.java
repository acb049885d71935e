package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.labels;
import static io.github.obskit.stack.kubernetes.RenderedChart.map;
import static io.github.obskit.stack.kubernetes.RenderedChart.name;
import static io.github.obskit.stack.kubernetes.RenderedChart.objects;
import static io.github.obskit.stack.kubernetes.RenderedChart.objectsOfKind;
import static io.github.obskit.stack.kubernetes.RenderedChart.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Every dashboard reaches Grafana as its file, one ConfigMap each, where the sidecar finds it. */
class ChartDashboardsTests {

  /** kubectl's client-side apply keeps the whole object in an annotation of at most 256 KiB. */
  private static final int LAST_APPLIED_LIMIT = 262_144;

  @Test
  void shipsEveryDashboardByteForByteInAConfigMapOfItsOwn() {
    List<Map<String, Object>> configMaps = objectsOfKind(objects(render("defaults")), "ConfigMap");
    assertThat(configMaps).hasSameSizeAs(RenderedChart.dashboards());
    for (Path dashboard : RenderedChart.dashboards()) {
      String file = dashboard.getFileName().toString();
      Map<String, Object> configMap =
          configMaps.stream()
              .filter((cm) -> map(cm.get("data")).containsKey(file))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ConfigMap holds " + file));
      assertThat(map(configMap.get("data"))).hasSize(1);
      byte[] rendered =
          ((String) map(configMap.get("data")).get(file)).getBytes(StandardCharsets.UTF_8);
      assertThat(rendered)
          .as(file)
          .isEqualTo(RenderedChart.read(dashboard).getBytes(StandardCharsets.UTF_8));
      assertThat(name(configMap)).isEqualTo("obskit-" + file.replace(".json", ""));
    }
  }

  @Test
  void keepsEveryDashboardConfigMapUnderTheClientSideApplyLimit() {
    Yaml yaml = new Yaml(new DumperOptions());
    assertThat(objectsOfKind(objects(render("defaults")), "ConfigMap"))
        .allSatisfy(
            (configMap) ->
                assertThat(yaml.dump(configMap).getBytes(StandardCharsets.UTF_8).length)
                    .as("size of %s", name(configMap))
                    .isLessThan(LAST_APPLIED_LIMIT));
  }

  @Test
  void labelsThemForKubePrometheusStacksSidecarAndNamesTheFolderByDefault() {
    assertThat(objectsOfKind(objects(render("defaults")), "ConfigMap"))
        .allSatisfy(
            (configMap) -> {
              assertThat(labels(configMap)).containsEntry("grafana_dashboard", "1");
              assertThat(map(map(configMap.get("metadata")).get("annotations")))
                  .containsExactly(Map.entry("k8s-sidecar-target-directory", "obskit"));
            });
  }

  @Test
  void takesTheLabelFolderAnnotationAndGrafanaOperatorFromTheValues() {
    List<Map<String, Object>> objects = objects(render("dashboards-values.yaml"));
    List<Map<String, Object>> configMaps = objectsOfKind(objects, "ConfigMap");
    assertThat(configMaps)
        .allSatisfy(
            (configMap) -> {
              assertThat(labels(configMap)).containsEntry("grafana_dashboard", "obskit");
              assertThat(map(map(configMap.get("metadata")).get("annotations")))
                  .containsEntry("grafana_folder", "Services/obskit")
                  .containsEntry("owner", "platform-team")
                  .doesNotContainKey("k8s-sidecar-target-directory");
            });
    List<Map<String, Object>> operatorDashboards = objectsOfKind(objects, "GrafanaDashboard");
    assertThat(operatorDashboards).hasSameSizeAs(configMaps);
    assertThat(operatorDashboards)
        .allSatisfy(
            (dashboard) -> {
              Map<String, Object> spec = map(dashboard.get("spec"));
              Map<String, Object> ref = map(spec.get("configMapRef"));
              Map<String, Object> configMap =
                  configMaps.stream()
                      .filter((cm) -> name(cm).equals(ref.get("name")))
                      .findFirst()
                      .orElseThrow();
              assertThat(map(configMap.get("data"))).containsKey((String) ref.get("key"));
              assertThat(map(map(spec.get("instanceSelector")).get("matchLabels")))
                  .isEqualTo(Map.of("dashboards", "external-grafana"));
              assertThat(spec).containsEntry("allowCrossNamespaceImport", true);
            });
  }
}
