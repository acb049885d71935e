package io.github.obskit.grafana;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The allow-list of metric names in {@code emitted-metrics.txt}, with the marker that says who
 * emits each name (the file's header explains the markers).
 */
final class EmittedMetrics {

  /** The Java version the project is built for: an unmarked name is emitted from here on. */
  private static final int BASELINE_JAVA = 17;

  private static final Pattern LINE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\s+\\[([^\\]]+)\\])?");

  private static final Pattern JAVA_MARKER = Pattern.compile("java (\\d+)\\+");

  private EmittedMetrics() {}

  /** Who writes the series of a listed name. */
  enum Origin {
    DEMO,
    PROMETHEUS,
    ALERTMANAGER
  }

  /**
   * A listed name; {@code sinceJava} is the first Java version on which the demo emits it and
   * matters only for {@link Origin#DEMO}.
   */
  record Metric(String name, Origin origin, int sinceJava) {

    boolean emittedByTheDemoOnJava(int javaVersion) {
      return this.origin == Origin.DEMO && javaVersion >= this.sinceJava;
    }
  }

  /** Every listed name, whoever emits it: what dashboards and rules may read. */
  static Set<String> names() {
    return metrics().stream().map(Metric::name).collect(Collectors.toUnmodifiableSet());
  }

  /** The names the demo application must expose when it runs on the given Java version. */
  static Set<String> emittedByTheDemoOnJava(int javaVersion) {
    return metrics().stream()
        .filter((metric) -> metric.emittedByTheDemoOnJava(javaVersion))
        .map(Metric::name)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The listed names the demo application cannot expose on the given Java version. */
  static Set<String> notEmittedByTheDemoOnJava(int javaVersion) {
    return metrics().stream()
        .filter((metric) -> !metric.emittedByTheDemoOnJava(javaVersion))
        .map(Metric::name)
        .collect(Collectors.toUnmodifiableSet());
  }

  private static List<Metric> metrics() {
    try (InputStream in = EmittedMetrics.class.getResourceAsStream("/emitted-metrics.txt")) {
      if (in == null) {
        throw new IllegalStateException("emitted-metrics.txt is not on the test class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * Reads the file's lines; a line that is neither a comment nor a name with at most one known
   * marker is an error, so a mistyped marker cannot quietly exempt a name from the check.
   */
  static List<Metric> parse(String text) {
    return text.lines()
        .map(String::strip)
        .filter((line) -> !line.isEmpty() && !line.startsWith("#"))
        .map(EmittedMetrics::metric)
        .toList();
  }

  private static Metric metric(String line) {
    Matcher matcher = LINE.matcher(line);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("emitted-metrics.txt: not a metric name: '" + line + "'");
    }
    String name = matcher.group(1);
    String marker = matcher.group(2);
    if (marker == null) {
      return new Metric(name, Origin.DEMO, BASELINE_JAVA);
    }
    Matcher java = JAVA_MARKER.matcher(marker);
    if (java.matches()) {
      return new Metric(name, Origin.DEMO, Integer.parseInt(java.group(1)));
    }
    return switch (marker) {
      case "prometheus" -> new Metric(name, Origin.PROMETHEUS, BASELINE_JAVA);
      case "alertmanager" -> new Metric(name, Origin.ALERTMANAGER, BASELINE_JAVA);
      default ->
          throw new IllegalArgumentException(
              "emitted-metrics.txt: unknown marker [" + marker + "] in '" + line + "'");
    };
  }
}
