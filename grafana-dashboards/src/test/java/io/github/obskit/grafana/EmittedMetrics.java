package io.github.obskit.grafana;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/** The allow-list of metric names in {@code emitted-metrics.txt}. */
final class EmittedMetrics {

  private EmittedMetrics() {}

  static Set<String> names() {
    try (InputStream in = EmittedMetrics.class.getResourceAsStream("/emitted-metrics.txt")) {
      if (in == null) {
        throw new IllegalStateException("emitted-metrics.txt is not on the test class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter((line) -> !line.isEmpty() && !line.startsWith("#"))
          .collect(Collectors.toUnmodifiableSet());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
