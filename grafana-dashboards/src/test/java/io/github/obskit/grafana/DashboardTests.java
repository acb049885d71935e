package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks every dashboard against the rules of docs/CONTRACT.md: stable uids, datasources, units,
 * metrics.
 */
class DashboardTests {

  private static final Pattern APPLICATION_SCOPE =
      Pattern.compile("\\{[^{}]*\\}|\\|\\s*app\\s*=~[^|\\[]*(?:\\|\\s*env\\s*=~[^|\\[]*)?");

  private static final Pattern ENV_MATCHER = Pattern.compile("env\\s*=~\\s*\"\\$env\"");

  private static final Pattern BY_APPLICATION =
      Pattern.compile("\\bby\\s*\\([^)]*\\b(?:application|supergroup)\\b[^)]*\\)");

  // The dashboards that draw a line per application or Passenger application group (supergroup).
  private static final Set<String> LINES_PER_APPLICATION =
      Set.of("example-dashboard.json", "passenger-monitoring.json");

  private static final Map<String, String> UIDS =
      Map.of(
          "example-dashboard.json", "obskit-example",
          "passenger-monitoring.json", "obskit-passenger",
          "monitoring-dashboard.json", "obskit-monitoring");

  private static final Set<String> DATASOURCE_VARIABLES = Set.of("${datasource}", "${loki}");

  private static final Set<String> LOKI_STREAM_LABELS = Set.of("service", "container", "level");

  // docs/CONTRACT.md "Logs": the JSON fields of every line and of the access log.
  private static final Set<String> LOG_FIELDS =
      Set.of(
          "@timestamp",
          "level",
          "logger_name",
          "thread_name",
          "message",
          "stack_trace",
          "app",
          "env",
          "request_id",
          "traceId",
          "spanId",
          "method",
          "path",
          "route",
          "status",
          "duration_ms",
          "client_address",
          "user_agent");

  private static final Pattern LABEL_MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"");

  private static final JsonMapper json = JsonMapper.builder().build();

  static Stream<String> dashboards() {
    return UIDS.keySet().stream().sorted();
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void hasItsStableUidAndNoDatabaseId(String file) {
    JsonNode dashboard = Dashboards.read(file);
    assertThat(dashboard.path("uid").asString("")).isEqualTo(UIDS.get(file));
    assertThat(dashboard.path("id").isNull())
        .as("id is null so import and provisioning assign one")
        .isTrue();
    assertThat(dashboard.path("title").asString("")).isNotBlank();
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void declaresNoImportInputsBecauseProvisioningWouldNotResolveThem(String file) {
    assertThat(Dashboards.read(file).has("__inputs")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void choosesDatasourcesOnlyThroughVariables(String file) {
    JsonNode dashboard = Dashboards.read(file);
    List<JsonNode> references = new ArrayList<>();
    collect(dashboard.path("panels"), "datasource", references);
    collect(dashboard.path("templating"), "datasource", references);
    assertThat(references)
        .isNotEmpty()
        .allSatisfy(
            (reference) ->
                assertThat(
                        reference.isObject()
                            ? reference.path("uid").asString("")
                            : reference.asString(""))
                    .isIn(DATASOURCE_VARIABLES));
    assertThat(json.writeValueAsString(dashboard))
        .doesNotContainIgnoringCase("localhost")
        .doesNotContain("http://", ":9090", ":3100");
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void declaresTheVariablesItUses(String file) {
    JsonNode dashboard = Dashboards.read(file);
    Map<String, JsonNode> variables = new HashMap<>();
    dashboard
        .path("templating")
        .path("list")
        .values()
        .forEach((v) -> variables.put(v.path("name").asString(), v));
    assertThat(variables).containsKeys("datasource", "env", "application", "instance");
    assertThat(variables.get("datasource").path("query").asString("")).isEqualTo("prometheus");
    if (file.startsWith("passenger")) {
      assertThat(variables).containsKey("supergroup");
    }
    boolean usesLoki =
        Dashboards.panels(dashboard).stream()
            .anyMatch((p) -> p.path("datasource").path("uid").asString("").equals("${loki}"));
    if (usesLoki) {
      assertThat(variables).containsKey("loki");
      assertThat(variables.get("loki").path("query").asString("")).isEqualTo("loki");
    }
    String text = json.writeValueAsString(dashboard.path("panels"));
    Matcher used = Pattern.compile("\\$\\{?([a-z]\\w*)").matcher(text);
    while (used.find()) {
      assertThat(variables)
          .as("variable $%s used in a panel", used.group(1))
          .containsKey(used.group(1));
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void scopesEverySelectorOfAnApplicationToTheChosenEnvironment(String file) {
    JsonNode dashboard = Dashboards.read(file);
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : Dashboards.panels(dashboard)) {
      panel
          .path("targets")
          .values()
          .forEach((target) -> queries.add(target.path("expr").asString("")));
    }
    dashboard
        .path("templating")
        .path("list")
        .values()
        .forEach((variable) -> queries.add(variable.path("definition").asString("")));
    // Each {...} matcher list (a PromQL selector, a LogQL stream selector) and each LogQL label
    // filter stage that picks an application must pick the environment as well.
    List<String> scopes = new ArrayList<>();
    for (String query : queries) {
      Matcher scope = APPLICATION_SCOPE.matcher(query);
      while (scope.find()) {
        scopes.add(scope.group());
      }
    }
    assertThat(scopes)
        .filteredOn((scope) -> scope.contains("$application"))
        .isNotEmpty()
        .allSatisfy((scope) -> assertThat(scope).containsPattern(ENV_MATCHER));
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void drawsOneLinePerApplicationAndNamespaceNotTheSumOverNamespaces(String file) {
    // On Kubernetes the same application runs in several namespaces (prod, staging): a line per
    // application alone would add them up. Without the label (compose) the line stays the same.
    List<String> groupings = new ArrayList<>();
    for (String expression : prometheusExpressions(Dashboards.read(file))) {
      Matcher grouping = BY_APPLICATION.matcher(expression);
      while (grouping.find()) {
        groupings.add(grouping.group());
      }
    }
    if (LINES_PER_APPLICATION.contains(file)) {
      assertThat(groupings).as("groupings by application or supergroup").isNotEmpty();
    }
    assertThat(groupings)
        .allSatisfy((grouping) -> assertThat(grouping).containsPattern("\\bnamespace\\b"));
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void setsAUnitOnEveryPanelThatShowsNumbers(String file) {
    assertThat(Dashboards.panels(Dashboards.read(file)))
        .filteredOn((panel) -> !panel.path("type").asString("").equals("logs"))
        .isNotEmpty()
        .allSatisfy(
            (panel) ->
                assertThat(panel.path("fieldConfig").path("defaults").path("unit").asString(""))
                    .as("unit of panel '%s'", panel.path("title").asString(""))
                    .isNotBlank());
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void givesEveryPanelAUniqueIdAndAPlace(String file) {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : Dashboards.read(file).path("panels").values()) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique id %s", panel.path("id")).isTrue();
      assertThat(panel.path("gridPos").path("w").asInt()).isPositive();
      assertThat(panel.path("gridPos").path("h").asInt()).isPositive();
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void queriesOnlyMetricsWeEmitOrTheRuleLibraryRecords(String file) {
    // The error budget panels read the SLO recordings, so that they show what the alerts judge.
    Set<String> emitted = new HashSet<>(EmittedMetrics.names());
    emitted.addAll(recordedNames());
    JsonNode dashboard = Dashboards.read(file);
    List<String> expressions = new ArrayList<>(prometheusExpressions(dashboard));
    for (JsonNode variable : dashboard.path("templating").path("list").values()) {
      if (variable.path("type").asString("").equals("query")) {
        Matcher labelValues =
            Dashboards.LABEL_VALUES.matcher(variable.path("definition").asString(""));
        assertThat(labelValues.matches())
            .as("variable %s uses label_values(...)", variable.path("name"))
            .isTrue();
        expressions.add(labelValues.group(1));
      }
    }
    assertThat(expressions)
        .isNotEmpty()
        .allSatisfy(
            (expr) ->
                assertThat(PromQl.metricNames(expr)).as(expr).isNotEmpty().isSubsetOf(emitted));
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void matchesMultiValueVariablesWithRegexes(String file) {
    assertThat(prometheusExpressions(Dashboards.read(file)))
        .allSatisfy((expr) -> assertThat(expr).doesNotContainPattern("[^~]=\\s*\"\\$"));
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void selectsLogStreamsByCollectorLabelsAndFiltersOnlyContractFields(String file) {
    for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
      if (!panel.path("datasource").path("uid").asString("").equals("${loki}")) {
        continue;
      }
      for (JsonNode target : panel.path("targets").values()) {
        Matcher selector =
            Dashboards.LOKI_STREAM_SELECTOR.matcher(target.path("expr").asString(""));
        assertThat(selector.find()).as("stream selector in %s", target.path("expr")).isTrue();
        Matcher label = LABEL_MATCHER.matcher(selector.group(1));
        while (label.find()) {
          assertThat(label.group(1)).isIn(LOKI_STREAM_LABELS);
        }
        String pipeline = target.path("expr").asString("").substring(selector.end());
        assertThat(pipeline)
            .as("pipeline of %s parses the JSON line", target.path("expr"))
            .contains("| json");
        // Other containers' lines are not JSON: without this filter a metric query fails on them.
        assertThat(pipeline)
            .as("pipeline of %s drops lines that are not JSON", target.path("expr"))
            .contains("| __error__=\"\"");
        Matcher field = Dashboards.LOKI_FIELD_FILTER.matcher(pipeline);
        while (field.find()) {
          assertThat(field.group(1))
              .as("JSON field filtered in %s", target.path("expr"))
              .isIn(LOG_FIELDS);
        }
      }
    }
  }

  @Test
  void showsTheTraceExemplarsOnEveryRequestLatencyQuantileAndOnlyThere() {
    // The starter puts exemplars on the http_server_requests buckets only (never on _count), so
    // a quantile over those buckets is where a slow point links to its trace.
    List<String> withExemplars = new ArrayList<>();
    List<String> quantiles = new ArrayList<>();
    for (String file : UIDS.keySet()) {
      for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
        for (JsonNode target : panel.path("targets").values()) {
          String expr = target.path("expr").asString("");
          String where = file + " '" + panel.path("title").asString() + "': " + expr;
          if (expr.contains("histogram_quantile(")
              && expr.contains("http_server_requests_seconds_bucket")) {
            quantiles.add(where);
          }
          if (target.path("exemplar").asBoolean(false)) {
            withExemplars.add(where);
          }
        }
      }
    }
    assertThat(quantiles).isNotEmpty();
    assertThat(withExemplars).containsExactlyInAnyOrderElementsOf(quantiles);
  }

  private static List<String> prometheusExpressions(JsonNode dashboard) {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : Dashboards.panels(dashboard)) {
      if (!panel.path("datasource").path("uid").asString("").equals("${datasource}")) {
        continue;
      }
      assertThat(panel.path("targets").values())
          .as("targets of '%s'", panel.path("title"))
          .isNotEmpty();
      panel
          .path("targets")
          .values()
          .forEach((target) -> expressions.add(target.path("expr").asString("")));
    }
    return expressions;
  }

  private static void collect(JsonNode node, String field, List<JsonNode> found) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              (entry) -> {
                if (entry.getKey().equals(field)) {
                  found.add(entry.getValue());
                } else {
                  collect(entry.getValue(), field, found);
                }
              });
    } else if (node.isArray()) {
      node.values().forEach((child) -> collect(child, field, found));
    }
  }

  private static Set<String> recordedNames() {
    Set<String> names = new HashSet<>();
    try (Stream<Path> files = Files.list(Path.of("rules"))) {
      for (Path file : files.filter((path) -> path.toString().endsWith(".rules.yml")).toList()) {
        JsonNode groups = new YAMLMapper().readTree(file.toFile()).path("groups");
        groups.values().stream()
            .flatMap((group) -> group.path("rules").values().stream())
            .filter((rule) -> rule.has("record"))
            .forEach((rule) -> names.add(rule.path("record").asString()));
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return names;
  }
}
