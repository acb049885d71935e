package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;

import io.github.obskit.stack.AlloySyntax.Block;
import io.github.obskit.stack.AlloySyntax.Call;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parts of the Alloy and Promtail configs that decide which Loki labels and JSON fields are
 * used.
 */
final class LogPipelines {

  private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final Pattern QUOTED_IDENTIFIER = Pattern.compile("\"([^\"\\\\]+)\"");

  /**
   * The structured metadata holding the trace id, which Grafana's Loki datasource links to Tempo.
   */
  static final String TRACE_ID = "trace_id";

  private LogPipelines() {}

  /**
   * One shipper's pipeline.
   *
   * @param name the compose service running it
   * @param dockerHost the Docker API address it reads containers from
   * @param lokiUrls where it pushes
   * @param jsonExpressions extracted value name to the JMESPath expression reading it from the JSON
   *     line
   * @param labelsFromExtracted Loki label name to the extracted value it is set from
   * @param structuredMetadataFromExtracted Loki structured metadata name to the extracted value it
   *     is set from
   * @param relabelTargetLabels labels set from Docker metadata by relabelling
   * @param keepRules the relabelling rules that keep a container, as {@code label=~regex}; an
   *     environment variable in the regex is written {@code ${NAME}}
   * @param timestampSource the extracted value used as the entry's timestamp
   */
  record Pipeline(
      String name,
      String dockerHost,
      List<String> lokiUrls,
      Map<String, String> jsonExpressions,
      Map<String, String> labelsFromExtracted,
      Map<String, String> structuredMetadataFromExtracted,
      List<String> relabelTargetLabels,
      List<String> keepRules,
      String timestampSource) {

    /** The top-level JSON field each extracted value is read from. */
    Map<String, String> jsonFields() {
      Map<String, String> fields = new LinkedHashMap<>();
      this.jsonExpressions.forEach(
          (extracted, expression) -> fields.put(extracted, jsonField(extracted, expression)));
      return fields;
    }
  }

  static Pipeline alloy() {
    Block root = AlloySyntax.parse(RepositoryFiles.read(STACK.resolve("alloy/config.alloy")));
    Block source = root.children("loki.source.docker").findFirst().orElseThrow();
    List<String> targetLabels = new ArrayList<>();
    root.children("discovery.relabel")
        .flatMap((relabel) -> relabel.children("rule"))
        .map((rule) -> (String) rule.attributes().get("target_label"))
        .filter((label) -> label != null)
        .forEach(targetLabels::add);
    List<String> keepRules =
        root.children("discovery.relabel")
            .flatMap((relabel) -> relabel.children("rule"))
            .filter((rule) -> "keep".equals(rule.attributes().get("action")))
            .map(
                (rule) ->
                    keepRule(
                        list(rule.attributes().get("source_labels")),
                        alloyValue(rule.attributes().get("regex"))))
            .toList();
    Map<String, String> expressions = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> structuredMetadata = new LinkedHashMap<>();
    String timestampSource = null;
    for (Block process : root.children("loki.process").toList()) {
      for (Block stage : process.blocks()) {
        switch (stage.name()) {
          case "stage.json" ->
              map(stage.attributes().get("expressions"))
                  .forEach(
                      (extracted, expression) -> expressions.put(extracted, (String) expression));
          case "stage.labels" ->
              map(stage.attributes().get("values"))
                  .forEach(
                      (label, extracted) -> labels.put(label, orSame(label, (String) extracted)));
          case "stage.structured_metadata" ->
              map(stage.attributes().get("values"))
                  .forEach(
                      (name, extracted) ->
                          structuredMetadata.put(name, orSame(name, (String) extracted)));
          case "stage.timestamp" -> timestampSource = (String) stage.attributes().get("source");
          default ->
              throw new IllegalStateException(
                  "Unexpected stage " + stage.name() + ": extend the test");
        }
      }
    }
    List<String> urls =
        root.children("loki.write")
            .flatMap((write) -> write.children("endpoint"))
            .map((endpoint) -> (String) endpoint.attributes().get("url"))
            .toList();
    return new Pipeline(
        "alloy",
        (String) source.attributes().get("host"),
        urls,
        expressions,
        labels,
        structuredMetadata,
        targetLabels,
        keepRules,
        timestampSource);
  }

  static Pipeline promtail() {
    Map<String, Object> config = RepositoryFiles.yaml(STACK.resolve("promtail/promtail.yml"));
    List<Object> scrapeConfigs = list(config.get("scrape_configs"));
    if (scrapeConfigs.size() != 1) {
      throw new IllegalStateException("Expected one scrape config: extend the test");
    }
    Map<String, Object> scrape = map(scrapeConfigs.get(0));
    List<String> targetLabels = new ArrayList<>();
    list(scrape.get("relabel_configs")).stream()
        .map((rule) -> (String) map(rule).get("target_label"))
        .filter((label) -> label != null)
        .forEach(targetLabels::add);
    List<String> keepRules =
        list(scrape.get("relabel_configs")).stream()
            .map(RepositoryFiles::map)
            .filter((rule) -> "keep".equals(rule.get("action")))
            .map((rule) -> keepRule(list(rule.get("source_labels")), (String) rule.get("regex")))
            .toList();
    Map<String, String> expressions = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> structuredMetadata = new LinkedHashMap<>();
    String timestampSource = null;
    for (Object stageObject : list(scrape.get("pipeline_stages"))) {
      Map<String, Object> stage = map(stageObject);
      if (stage.size() != 1) {
        throw new IllegalStateException("A pipeline stage has one key: " + stage);
      }
      String type = stage.keySet().iterator().next();
      Map<String, Object> stageConfig = map(stage.get(type));
      switch (type) {
        case "json" ->
            map(stageConfig.get("expressions"))
                .forEach(
                    (extracted, expression) -> expressions.put(extracted, (String) expression));
        case "labels" ->
            stageConfig.forEach(
                (label, extracted) -> labels.put(label, orSame(label, (String) extracted)));
        case "structured_metadata" ->
            stageConfig.forEach(
                (name, extracted) ->
                    structuredMetadata.put(name, orSame(name, (String) extracted)));
        case "timestamp" -> timestampSource = (String) stageConfig.get("source");
        default ->
            throw new IllegalStateException("Unexpected stage " + type + ": extend the test");
      }
    }
    String dockerHost = (String) map(list(scrape.get("docker_sd_configs")).get(0)).get("host");
    List<String> urls =
        list(config.get("clients")).stream()
            .map((client) -> (String) map(client).get("url"))
            .toList();
    return new Pipeline(
        "promtail",
        dockerHost,
        urls,
        expressions,
        labels,
        structuredMetadata,
        targetLabels,
        keepRules,
        timestampSource);
  }

  /**
   * The top-level JSON key a JMESPath expression reads; an empty expression reads the extracted
   * name.
   */
  static String jsonField(String extracted, String expression) {
    if (expression == null || expression.isEmpty()) {
      return extracted;
    }
    if (PLAIN_IDENTIFIER.matcher(expression).matches()) {
      return expression;
    }
    var quoted = QUOTED_IDENTIFIER.matcher(expression);
    if (quoted.matches()) {
      return quoted.group(1);
    }
    throw new IllegalArgumentException(
        "Only top-level fields are read by our pipelines, not " + expression);
  }

  private static String keepRule(List<Object> sourceLabels, String regex) {
    if (sourceLabels.size() != 1) {
      throw new IllegalStateException("A keep rule reads one label: extend the test");
    }
    return sourceLabels.get(0) + "=~" + regex;
  }

  /**
   * A string, or the environment variable an Alloy {@code sys.env} call reads, as {@code ${NAME}}.
   */
  private static String alloyValue(Object value) {
    if (value instanceof Call call
        && call.function().equals("sys.env")
        && call.arguments().size() == 1) {
      return "${" + call.arguments().get(0) + "}";
    }
    if (value instanceof String text) {
      return text;
    }
    throw new IllegalStateException("Unexpected value " + value + ": extend the test");
  }

  private static String orSame(String label, String extracted) {
    return (extracted == null || extracted.isEmpty()) ? label : extracted;
  }
}
