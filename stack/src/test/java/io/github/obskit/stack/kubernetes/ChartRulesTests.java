package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.RULES;
import static io.github.obskit.stack.kubernetes.RenderedChart.list;
import static io.github.obskit.stack.kubernetes.RenderedChart.map;
import static io.github.obskit.stack.kubernetes.RenderedChart.name;
import static io.github.obskit.stack.kubernetes.RenderedChart.objects;
import static io.github.obskit.stack.kubernetes.RenderedChart.objectsOfKind;
import static io.github.obskit.stack.kubernetes.RenderedChart.render;
import static io.github.obskit.stack.kubernetes.RenderedChart.ruleFiles;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The PrometheusRules are the rule library's files, trimmed and labelled only as asked. */
class ChartRulesTests {

  private static final Pattern ALERT_TEMPLATE =
      Pattern.compile("\\{\\{[^}]*\\$(labels|value)[^}]*}}");

  @Test
  void rendersOnePrometheusRuleEqualToEachFileOfTheLibrary() {
    Map<String, Map<String, Object>> rendered = renderedRules("defaults");
    assertThat(rendered.keySet()).containsExactlyInAnyOrderElementsOf(ruleFiles());
    assertThat(ruleFiles())
        .allSatisfy(
            (file) ->
                assertThat(rendered.get(file))
                    .as("spec of PrometheusRule obskit-%s", file)
                    .isEqualTo(RenderedChart.yaml(RULES.resolve(file + ".rules.yml"))));
  }

  @Test
  void passesTheAlertTemplatesOfTheAnnotationsThroughUnchanged() {
    Map<String, Map<String, Object>> rendered = renderedRules("defaults");
    List<String> sourceTemplates = new ArrayList<>();
    List<String> renderedTemplates = new ArrayList<>();
    for (String file : ruleFiles()) {
      sourceTemplates.addAll(
          alertTemplates(RenderedChart.yaml(RULES.resolve(file + ".rules.yml"))));
      renderedTemplates.addAll(alertTemplates(rendered.get(file)));
    }
    assertThat(sourceTemplates)
        .contains("{{ $labels.application }}", "{{ $value | humanizePercentage }}");
    assertThat(renderedTemplates).isEqualTo(sourceTemplates);
  }

  @Test
  void leavesOutDisabledAlertsAndFilesAndLabelsEveryOtherAlert() {
    Map<String, Map<String, Object>> rendered = renderedRules("custom-rules-values.yaml");
    assertThat(rendered.keySet())
        .containsExactlyInAnyOrderElementsOf(
            ruleFiles().stream().filter((file) -> !file.equals("platform")).toList());
    for (var entry : rendered.entrySet()) {
      List<Map<String, Object>> sourceRules =
          rules(RenderedChart.yaml(RULES.resolve(entry.getKey() + ".rules.yml")));
      List<Map<String, Object>> expected = new ArrayList<>();
      for (Map<String, Object> rule : sourceRules) {
        Object alert = rule.get("alert");
        if ("HttpHighLatencyP99".equals(alert) || "HttpLatencyErrorBudgetBurn".equals(alert)) {
          continue;
        }
        Map<String, Object> copy = new LinkedHashMap<>(rule);
        if (alert != null) {
          Map<String, Object> labels = new LinkedHashMap<>();
          labels.put("team", "checkout");
          labels.put("severity", "overridden-by-the-rule");
          labels.putAll(map(rule.get("labels")));
          copy.put("labels", labels);
        }
        expected.add(copy);
      }
      assertThat(rules(entry.getValue())).as(entry.getKey()).isEqualTo(expected);
    }
    assertThat(rules(rendered.get("http")))
        .extracting((rule) -> rule.get("alert"))
        .contains("HttpAvailabilityErrorBudgetBurn")
        .doesNotContain("HttpHighLatencyP99", "HttpLatencyErrorBudgetBurn");
  }

  @Test
  void keepsTheGroupSettingsOfTheLibrary() {
    Map<String, Object> http = renderedRules("custom-rules-values.yaml").get("http");
    assertThat(list(http.get("groups")))
        .extracting((group) -> map(group).get("name") + " " + map(group).get("interval"))
        .containsExactly("http-long-windows 1m", "http null");
  }

  private static Map<String, Map<String, Object>> renderedRules(String valuesCase) {
    return objectsOfKind(objects(render(valuesCase)), "PrometheusRule").stream()
        .collect(
            Collectors.toMap(
                (rule) -> name(rule).substring("obskit-".length()),
                (rule) -> map(rule.get("spec"))));
  }

  /** The {@code $labels} and {@code $value} templates of every annotation, in order. */
  private static List<String> alertTemplates(Map<String, Object> spec) {
    List<String> templates = new ArrayList<>();
    for (Map<String, Object> rule : rules(spec)) {
      for (Object annotation : map(rule.get("annotations")).values()) {
        Matcher matcher = ALERT_TEMPLATE.matcher((String) annotation);
        while (matcher.find()) {
          templates.add(matcher.group());
        }
      }
    }
    return templates;
  }

  private static List<Map<String, Object>> rules(Map<String, Object> spec) {
    return list(spec.get("groups")).stream()
        .flatMap((group) -> list(map(group).get("rules")).stream())
        .map(RenderedChart::map)
        .toList();
  }
}
