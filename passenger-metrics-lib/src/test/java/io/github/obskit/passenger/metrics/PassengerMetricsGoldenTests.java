package io.github.obskit.passenger.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.passenger.MutableClock;
import io.github.obskit.passenger.status.PassengerStatusParser;
import io.github.obskit.passenger.status.source.FileStatusSource;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole exposition for real captures, the simulator and a failed read, against golden files.
 * Regenerate with {@code -Dpassenger.golden.update=true} and review the diff.
 */
class PassengerMetricsGoldenTests {

  static final Path FIXTURES = Path.of("src/test/resources/fixtures");

  static final Path GOLDEN = Path.of("src/test/resources/golden");

  private static final boolean UPDATE = Boolean.getBoolean("passenger.golden.update");

  private static final Instant SIMULATION_START = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(FIXTURES)) {
      files
          .filter(file -> file.getFileName().toString().endsWith(".xml"))
          .sorted()
          .forEach(
              file -> {
                String name = file.getFileName().toString().replaceFirst("\\.xml$", "");
                cases.add(Arguments.of(name, (PassengerStatusSource) new FileStatusSource(file)));
              });
    }
    for (Scenario scenario : Scenario.values()) {
      MutableClock clock = new MutableClock(SIMULATION_START);
      cases.add(
          Arguments.of(
              "simulated-" + scenario.id(), new SimulatedStatusSource(scenario, 42, clock)));
    }
    PassengerStatusParser parser = new PassengerStatusParser();
    cases.add(
        Arguments.of(
            "read-failure",
            (PassengerStatusSource)
                () -> parser.parse("<info version=\"3\"><passenger_version>6.1.2")));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void expositionMatchesTheGoldenFile(String name, PassengerStatusSource source)
      throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    String exposition;
    try (PassengerMetrics metrics =
        new PassengerMetrics(
            source, true, Duration.ofSeconds(1), Duration.ofSeconds(10), new MockClock(), false)) {
      metrics.bindTo(registry);
      metrics.refresh();
      exposition = normalise(registry.scrape(PassengerMetricsTestSupport.TEXT_FORMAT));
    }
    Path golden = GOLDEN.resolve(name + ".prom");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, exposition, StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file; run with -Dpassenger.golden.update=true").exists();
    assertThat(exposition).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  /**
   * Drops the read duration (it changes on every run) and sorts the samples of each family, so the
   * golden file is stable and still a valid exposition for {@code promtool check metrics}.
   */
  static String normalise(String exposition) {
    List<String> result = new ArrayList<>();
    List<String> samples = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.contains("passenger_scrape_duration_seconds") || line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        samples.sort(null);
        result.addAll(samples);
        samples.clear();
        result.add(line);
      } else {
        samples.add(line);
      }
    }
    samples.sort(null);
    result.addAll(samples);
    return String.join("\n", result) + "\n";
  }
}
