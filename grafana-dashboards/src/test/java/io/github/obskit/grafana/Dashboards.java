package io.github.obskit.grafana;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The dashboards' JSON as the tests read it: panels out of their rows, queries, variables. */
final class Dashboards {

  static final Path DIRECTORY = Path.of("dashboards");

  /** A Loki label filter on a JSON field; Loki's own labels (__error__) start with "__". */
  static final Pattern LOKI_FIELD_FILTER =
      Pattern.compile("\\|\\s*(?!__)(\\w+)\\s*(?:=~|!~|!=|==|=|>=|<=|>|<)");

  static final Pattern LOKI_STREAM_SELECTOR = Pattern.compile("\\{([^}]*)}");

  static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");

  // Grafana's interval macros as fixed windows; every other variable on "All" (allValue .*).
  private static final Map<String, String> MACROS =
      Map.of("$__rate_interval", "1m", "$__interval", "1m", "$__range", "5m");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

  private static final JsonMapper json = JsonMapper.builder().build();

  private Dashboards() {}

  static List<String> files() {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files
          .map((file) -> file.getFileName().toString())
          .filter((name) -> name.endsWith(".json"))
          .sorted()
          .toList();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static JsonNode read(String file) {
    try {
      return json.readTree(Files.readString(DIRECTORY.resolve(file)));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The panels, those inside collapsed rows too, without the rows. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels").values()) {
      if (panel.path("type").asString("").equals("row")) {
        panels.addAll(panel.path("panels").values());
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  static boolean isLoki(JsonNode panelOrTarget) {
    return panelOrTarget.path("datasource").path("uid").asString("").equals("${loki}");
  }

  /** A query as a dashboard opened with its defaults runs it: every variable on All. */
  static String withDefaultSelections(String query) {
    String expanded = query;
    for (Map.Entry<String, String> macro : MACROS.entrySet()) {
      expanded = expanded.replace(macro.getKey(), macro.getValue());
    }
    return VARIABLE.matcher(expanded).replaceAll(".*");
  }
}
