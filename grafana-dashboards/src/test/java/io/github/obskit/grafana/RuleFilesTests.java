package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks the alert rule library against the style rules and the runbook; promtool checks the
 * semantics.
 */
class RuleFilesTests {

  private static final Path RULES = Path.of("rules");

  private static final List<String> AREAS =
      List.of("passenger", "http", "jvm", "platform", "fleet");

  private static final String RUNBOOK =
      "https://github.com/obskit/obskit/blob/main/grafana-dashboards/rules/README.md#";

  private static final Pattern ALERT_NAME =
      Pattern.compile("(Passenger|Http|Jvm|Tracing|Prometheus|Alertmanager)([A-Z][a-z0-9]+)+");

  private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+)$", Pattern.MULTILINE);

  // Where a service runs on Kubernetes: the same job and application in two namespaces (prod and
  // staging) or two clusters are two services, and kube-prometheus-stack's inhibit rules match on
  // namespace. In the compose stack both labels are absent, and grouping by them changes nothing.
  private static final Set<String> PLACEMENT = Set.of("cluster", "namespace");

  // The one alert about the alerting pipeline itself: it reads no metric, names no target and never
  // stops firing, so the rules for the alerts about the services do not apply to it.
  private static final String WATCHDOG = "Watchdog";

  private final YAMLMapper yaml = new YAMLMapper();

  @Test
  void shipsOneRuleFileAndOneTestFilePerArea() throws IOException {
    try (Stream<Path> files = Files.list(RULES)) {
      assertThat(
              files
                  .map((file) -> file.getFileName().toString())
                  .filter((name) -> name.endsWith(".yml")))
          .containsExactlyInAnyOrderElementsOf(
              AREAS.stream().map((area) -> area + ".rules.yml").toList());
    }
    for (String area : AREAS) {
      JsonNode test =
          this.yaml.readTree(RULES.resolve("tests").resolve(area + ".test.yml").toFile());
      assertThat(test.path("rule_files").values())
          .as("rule_files of tests/%s.test.yml", area)
          .extracting(JsonNode::stringValue)
          .containsExactly("../" + area + ".rules.yml");
    }
  }

  @Test
  void namesEveryAlertInUpperCamelCaseWithAProductPrefix() {
    assertThat(serviceAlerts()).allSatisfy((alert) -> assertThat(alert.name()).matches(ALERT_NAME));
  }

  @Test
  void givesEveryAlertASeveritySummaryDescriptionAndRunbook() {
    assertThat(alerts())
        .isNotEmpty()
        .allSatisfy(
            (alert) -> {
              JsonNode rule = alert.rule();
              assertThat(rule.path("labels").path("severity").asString(""))
                  .as("severity of %s", alert.name())
                  .isIn("critical", "warning", "info");
              String summary = rule.path("annotations").path("summary").asString("");
              assertThat(summary)
                  .as("summary of %s", alert.name())
                  .isNotBlank()
                  .doesNotContain("{{");
              if (!alert.name().equals(WATCHDOG)) {
                assertThat(rule.path("annotations").path("description").asString(""))
                    .as("description of %s names what fires", alert.name())
                    .contains("{{ $labels.");
              }
              assertThat(rule.path("annotations").path("runbook_url").asString(""))
                  .as("runbook_url of %s", alert.name())
                  .isEqualTo(RUNBOOK + alert.name().toLowerCase(Locale.ROOT));
            });
  }

  @Test
  void hasARunbookSectionForEveryAlert() throws IOException {
    Set<String> anchors = new HashSet<>();
    Matcher heading = HEADING.matcher(Files.readString(RULES.resolve("README.md")));
    while (heading.find()) {
      anchors.add(githubAnchor(heading.group(1)));
    }
    assertThat(alerts())
        .allSatisfy(
            (alert) -> {
              String url = alert.rule().path("annotations").path("runbook_url").asString("");
              assertThat(anchors)
                  .as("runbook anchors")
                  .contains(url.substring(url.indexOf('#') + 1));
            });
  }

  @Test
  void readsOnlyMetricsThatAreEmittedOrRecordedHere() {
    Set<String> known = new HashSet<>(EmittedMetrics.names());
    List<JsonNode> rules =
        rules().stream()
            .filter((rule) -> !rule.path("alert").asString("").equals(WATCHDOG))
            .toList();
    rules.forEach((rule) -> known.add(rule.path("record").asString("")));
    assertThat(rules)
        .allSatisfy(
            (rule) ->
                assertThat(PromQl.metricNames(rule.path("expr").asString("")))
                    .as(
                        "metrics read by %s",
                        rule.path("alert").asString(rule.path("record").asString("")))
                    .isNotEmpty()
                    .isSubsetOf(known));
  }

  @Test
  void keepsClusterAndNamespaceInEveryAggregationAndMatch() {
    List<JsonNode> rules = rules();
    assertThat(rules).isNotEmpty();
    assertThat(rules)
        .allSatisfy(
            (rule) ->
                assertThat(PlacementLabels.violations(rule.path("expr").asString(""), PLACEMENT))
                    .as(
                        "clauses of %s that lose cluster or namespace",
                        rule.path("alert").asString(rule.path("record").asString("")))
                    .isEmpty());
  }

  @Test
  void findsEveryWayARuleCanLoseClusterOrNamespace() {
    String rate = "rate(http_server_requests_seconds_count{status=~\"5..\"}[5m])";
    assertThat(PlacementLabels.violations("sum(" + rate + ")", PLACEMENT)).hasSize(1);
    assertThat(PlacementLabels.violations("max by (job) (" + rate + ")", PLACEMENT)).hasSize(1);
    assertThat(PlacementLabels.violations("topk(3, " + rate + ")", PLACEMENT)).hasSize(1);
    assertThat(PlacementLabels.violations("count without (namespace) (up)", PLACEMENT)).hasSize(1);
    assertThat(PlacementLabels.violations("a / ignoring (cluster, le) b", PLACEMENT)).hasSize(1);
    assertThat(PlacementLabels.violations("a / on (namespace, job) b", PLACEMENT)).hasSize(1);
    assertThat(
            PlacementLabels.violations(
                "sum("
                    + rate
                    + ") by (cluster, namespace, job) / ignoring (le) a"
                    + " and on (cluster, namespace, job) max_over_time(up[5m])"
                    + " unless count without (instance) (up)",
                PLACEMENT))
        .isEmpty();
  }

  @Test
  void hasAFiringAndANotFiringTestCaseForEveryAlert() throws IOException {
    Set<String> firing = new TreeSet<>();
    Set<String> notFiring = new TreeSet<>();
    for (String area : AREAS) {
      JsonNode tests =
          this.yaml.readTree(RULES.resolve("tests").resolve(area + ".test.yml").toFile());
      for (JsonNode test : tests.path("tests").values()) {
        for (JsonNode check : test.path("alert_rule_test").values()) {
          String name = check.path("alertname").asString("");
          (check.path("exp_alerts").isEmpty() ? notFiring : firing).add(name);
        }
      }
    }
    Set<String> names = new TreeSet<>(alerts().stream().map(Alert::name).toList());
    assertThat(firing).as("alerts with a firing test case").containsAll(names);
    names.remove(WATCHDOG);
    assertThat(notFiring).as("alerts with a not-firing test case").containsAll(names);
  }

  @Test
  void theWatchdogAlwaysFiresAtOnce() {
    assertThat(alerts())
        .filteredOn((alert) -> alert.name().equals(WATCHDOG))
        .singleElement()
        .satisfies(
            (watchdog) -> {
              assertThat(watchdog.rule().path("expr").asString()).isEqualTo("vector(1)");
              assertThat(watchdog.rule().has("for")).isFalse();
            });
  }

  private List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    for (String area : AREAS) {
      JsonNode file = this.yaml.readTree(RULES.resolve(area + ".rules.yml").toFile());
      assertThat(file.path("groups").values()).as("groups of %s.rules.yml", area).isNotEmpty();
      file.path("groups").values().forEach((group) -> rules.addAll(group.path("rules").values()));
    }
    return rules;
  }

  private List<Alert> serviceAlerts() {
    return alerts().stream().filter((alert) -> !alert.name().equals(WATCHDOG)).toList();
  }

  private List<Alert> alerts() {
    return rules().stream()
        .filter((rule) -> rule.has("alert"))
        .map((rule) -> new Alert(rule.path("alert").asString(), rule))
        .toList();
  }

  /**
   * The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens.
   */
  private static String githubAnchor(String heading) {
    return heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }

  private record Alert(String name, JsonNode rule) {}
}
