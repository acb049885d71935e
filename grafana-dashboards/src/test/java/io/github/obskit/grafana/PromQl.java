package io.github.obskit.grafana;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression reads, so tests can compare them with the metrics
 * obskit emits.
 *
 * <p>Not a parser: it removes what cannot hold a metric name (strings, label matchers, ranges,
 * grouping label lists, Grafana variables), then keeps the identifiers that are neither keywords
 * nor function calls.
 */
final class PromQl {

  private static final Pattern STRINGS =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");

  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");

  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

  private static final Pattern VARIABLES = Pattern.compile("\\$\\{?\\w+(?::\\w+)?}?");

  // An identifier not glued to a number or another name: "e3" in "1e3" and "m" in "offset 5m" are
  // skipped.
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][\\w:]*");

  private static final Set<String> KEYWORDS =
      Set.of(
          "and", "or", "unless", "bool", "offset", "inf", "nan", "by", "without", "on", "ignoring");

  private PromQl() {}

  static Set<String> metricNames(String expression) {
    String stripped = STRINGS.matcher(expression).replaceAll("\"\"");
    stripped = LABEL_MATCHERS.matcher(stripped).replaceAll(" ");
    stripped = RANGES.matcher(stripped).replaceAll(" ");
    stripped = GROUPING.matcher(stripped).replaceAll(" ");
    stripped = VARIABLES.matcher(stripped).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(stripped);
    while (identifier.find()) {
      String name = identifier.group();
      if (KEYWORDS.contains(name.toLowerCase()) || isFunctionCall(stripped, identifier.end())) {
        continue;
      }
      names.add(name);
    }
    return names;
  }

  private static boolean isFunctionCall(String expression, int end) {
    int next = end;
    while (next < expression.length() && Character.isWhitespace(expression.charAt(next))) {
      next++;
    }
    return next < expression.length() && expression.charAt(next) == '(';
  }
}
