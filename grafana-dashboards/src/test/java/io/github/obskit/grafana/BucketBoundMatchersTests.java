package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Prometheus 3 rewrites the {@code le} and {@code quantile} values of classic histograms and
 * summaries to floats when it scrapes them ({@code le="1"} becomes {@code le="1.0"}), Prometheus 2
 * keeps them as written. A matcher on an integer value then selects nothing on one of them, so the
 * rules, their tests and the dashboards write every bound as a float ({@code "1.0"}, {@code
 * "0.5"}), which Micrometer writes too and both versions match.
 */
class BucketBoundMatchersTests {

  private static final Pattern BOUND_MATCHER =
      Pattern.compile("\\b(le|quantile)\\s*(=~|!~|!=|=)\\s*\\\\?\"(.*?)\\\\?\"");

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

  @Test
  void everyLeAndQuantileMatcherNamesFloatBounds() throws IOException {
    List<String> integerBounds = new ArrayList<>();
    int matchers = 0;
    for (Path file : sources()) {
      Matcher matcher = BOUND_MATCHER.matcher(Files.readString(file));
      while (matcher.find()) {
        matchers++;
        if (integerBounds(matcher.group(3))) {
          integerBounds.add(file + ": " + matcher.group());
        }
      }
    }
    assertThat(matchers).as("le and quantile matchers in the rules and dashboards").isPositive();
    assertThat(integerBounds).isEmpty();
  }

  @Test
  void anIntegerBoundIsReportedAlsoInsideARegex() {
    assertThat(integerBounds("1")).isTrue();
    assertThat(integerBounds("0.5|10")).isTrue();
    assertThat(integerBounds("1.0")).isFalse();
    assertThat(integerBounds("0.5|+Inf")).isFalse();
  }

  private static boolean integerBounds(String value) {
    return Stream.of(value.split("\\|")).anyMatch((bound) -> INTEGER.matcher(bound).matches());
  }

  private static List<Path> sources() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path directory :
        List.of(Path.of("rules"), Path.of("rules", "tests"), Dashboards.DIRECTORY)) {
      try (Stream<Path> listed = Files.list(directory)) {
        listed
            .filter((file) -> file.toString().endsWith(".yml") || file.toString().endsWith(".json"))
            .sorted()
            .forEach(files::add);
      }
    }
    return files;
  }
}
