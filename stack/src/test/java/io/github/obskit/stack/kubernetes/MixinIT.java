package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.RULES;
import static io.github.obskit.stack.kubernetes.RenderedChart.list;
import static io.github.obskit.stack.kubernetes.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jsonnet mixin, rendered by Debian's jsonnet, gives the library's rules and dashboards. */
class MixinIT {

  private static final Path MIXIN =
      Path.of(
          Objects.requireNonNullElse(
              System.getProperty("obskit.mixin.dir"), "target/mixin/obskit-mixin"));

  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  /**
   * What kube-prometheus' {@code lib/mixin.libsonnet} (addMixin) reads of a mixin: it tests the
   * fields with {@code std.objectHasAll}, puts {@code prometheusAlerts.groups +
   * prometheusRules.groups} into one PrometheusRule and hands {@code grafanaDashboards} (objects by
   * file name) to its Grafana; {@code values.grafana.rawDashboards} takes the JSON text by file
   * name.
   */
  private static final String ADD_MIXIN_CONTRACT =
      """
      local mixin = import 'mixin.libsonnet';
      {
        fields: std.objectFieldsAll(mixin),
        groups: mixin.prometheusAlerts.groups + mixin.prometheusRules.groups,
        grafanaDashboards: std.mapWithKey(function(file, value) std.type(value), mixin.grafanaDashboards),
        rawDashboards: std.mapWithKey(function(file, value) std.type(value), mixin.rawDashboards),
      }
      """;

  @Test
  void rendersTheGroupsOfEveryRuleFileAsAlertsOrRecordingRules() {
    List<Object> rendered = new ArrayList<>();
    for (String entry : List.of("prometheus_alerts.jsonnet", "prometheus_rules.jsonnet")) {
      rendered.addAll(list(RenderedChart.yamlText(jsonnet("-S", entry)).get("groups")));
    }
    List<Object> library = new ArrayList<>();
    for (String file : RenderedChart.ruleFiles()) {
      library.addAll(list(RenderedChart.yaml(RULES.resolve(file + ".rules.yml")).get("groups")));
    }
    Comparator<Object> byName = Comparator.comparing((group) -> (String) map(group).get("name"));
    rendered.sort(byName);
    library.sort(byName);
    assertThat(rendered).isNotEmpty().isEqualTo(library);
  }

  @Test
  void offersTheFieldsThatKubePrometheusAddMixinReads() {
    Map<String, Object> contract =
        RenderedChart.yamlText(jsonnet("-J", ".", "-e", ADD_MIXIN_CONTRACT));
    assertThat(list(contract.get("fields")))
        .contains("prometheusAlerts", "prometheusRules", "grafanaDashboards", "rawDashboards");
    List<Object> library = new ArrayList<>();
    for (String file : RenderedChart.ruleFiles()) {
      library.addAll(list(RenderedChart.yaml(RULES.resolve(file + ".rules.yml")).get("groups")));
    }
    assertThat(list(contract.get("groups"))).containsExactlyInAnyOrderElementsOf(library);
    Map<String, String> byFileName = new TreeMap<>();
    for (Path dashboard : RenderedChart.dashboards()) {
      byFileName.put(dashboard.getFileName().toString(), "object");
    }
    assertThat(map(contract.get("grafanaDashboards"))).isEqualTo(byFileName);
    byFileName.replaceAll((file, type) -> "string");
    assertThat(map(contract.get("rawDashboards"))).isEqualTo(byFileName);
  }

  @Test
  void putsOnlyGroupsWithoutAlertsIntoPrometheusRules() {
    Map<String, Object> rules = RenderedChart.yamlText(jsonnet("-S", "prometheus_rules.jsonnet"));
    assertThat(list(rules.get("groups")))
        .extracting((group) -> map(group).get("name"))
        .contains("fleet", "http-long-windows");
    assertThat(list(rules.get("groups")))
        .flatExtracting((group) -> list(map(group).get("rules")))
        .allSatisfy((rule) -> assertThat(map(rule)).containsKey("record"));
  }

  @Test
  void writesEveryDashboardByteForByte(@TempDir Path out) throws IOException {
    jsonnet("-S", "-m", out.toString(), "dashboards.jsonnet");
    for (Path dashboard : RenderedChart.dashboards()) {
      assertThat(out.resolve(dashboard.getFileName().toString()))
          .as(dashboard.getFileName().toString())
          .hasSameBinaryContentAs(dashboard);
    }
    try (var files = Files.list(out)) {
      assertThat(files).hasSameSizeAs(RenderedChart.dashboards());
    }
  }

  private static String jsonnet(String... arguments) {
    ExternalTool.Result result = ExternalTool.JSONNET.run(MIXIN, null, TIMEOUT, arguments);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }
}
