package io.github.obskit.grafana;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the places where a PromQL expression drops or ignores the labels that tell one service from
 * the same service elsewhere (on Kubernetes: {@code cluster} and {@code namespace}).
 *
 * <p>Not a parser: strings, label matchers and ranges are blanked out first, then every aggregation
 * and every vector-matching clause is looked at.
 */
final class PlacementLabels {

  private static final Pattern STRINGS =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");

  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");

  private static final Pattern CLAUSE =
      Pattern.compile("(?<![\\w:])(by|without|on|ignoring)\\s*\\(([^)]*)\\)");

  private static final Pattern AGGREGATION =
      Pattern.compile(
          "(?<![\\w:])(sum|avg|min|max|count|topk|bottomk|quantile|stddev|stdvar|group"
              + "|count_values)\\s*(?=\\(|by\\b|without\\b)");

  private static final Pattern GROUPING_AFTER = Pattern.compile("\\s*(by|without)\\s*\\(");

  private PlacementLabels() {}

  /**
   * The clauses of {@code expression} that lose one of {@code placement}: an aggregation without
   * {@code by} or {@code without}, {@code by} or {@code on} not naming them all, {@code without} or
   * {@code ignoring} naming one.
   */
  static List<String> violations(String expression, Set<String> placement) {
    String stripped = STRINGS.matcher(expression).replaceAll("\"\"");
    stripped = LABEL_MATCHERS.matcher(stripped).replaceAll(" ");
    stripped = RANGES.matcher(stripped).replaceAll(" ");
    List<String> violations = new ArrayList<>();
    Matcher clause = CLAUSE.matcher(stripped);
    while (clause.find()) {
      Set<String> labels = new HashSet<>();
      for (String label : clause.group(2).split(",")) {
        if (!label.isBlank()) {
          labels.add(label.strip());
        }
      }
      boolean drops =
          switch (clause.group(1)) {
            case "by", "on" -> !labels.containsAll(placement);
            default -> labels.stream().anyMatch(placement::contains);
          };
      if (drops) {
        violations.add(clause.group());
      }
    }
    Matcher aggregation = AGGREGATION.matcher(stripped);
    while (aggregation.find()) {
      int open = aggregation.end();
      if (stripped.charAt(open) != '(') {
        continue;
      }
      int close = matchingParenthesis(stripped, open);
      if (close < 0
          || !GROUPING_AFTER.matcher(stripped).region(close + 1, stripped.length()).lookingAt()) {
        violations.add(aggregation.group(1) + "(...) without by or without");
      }
    }
    return violations;
  }

  private static int matchingParenthesis(String expression, int open) {
    int depth = 0;
    for (int i = open; i < expression.length(); i++) {
      char c = expression.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }
}
