package io.github.obskit.autoconfigure.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SloObjectivesTests {

  private static final Pattern BUCKET_LE =
      Pattern.compile("request_seconds_bucket\\{.*le=\"([^\"]+)\"");

  @ParameterizedTest
  @ValueSource(strings = {"5ms", "300ms", "1s", "2500ms", "10s", "1ms", "1500us", "90s"})
  void writesTheLeLabelAsTheExpositionWritesTheBucket(String threshold) {
    Duration bucket = duration(threshold);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Timer.builder("request").serviceLevelObjectives(bucket).register(registry);

    String le = SloObjectives.le(bucket);

    assertThat(bucketLes(registry.scrape())).contains(le);
    assertThat(bucketLes(registry.scrape("application/openmetrics-text"))).contains(le);
  }

  @Test
  void theExpositionWritesSubMillisecondBucketsInScientificNotation() {
    // Prometheus 3 rewrites such a bucket's le (to 5.0E-4 → 0.0005), never the objective's label:
    // the reason thresholds start at 1ms.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Timer.builder("request").serviceLevelObjectives(Duration.ofNanos(500_000)).register(registry);

    assertThat(bucketLes(registry.scrape())).contains("5.0E-4");
  }

  @Test
  void writesTheObjectivesAsRatios() {
    ObservabilitySloProperties properties = new ObservabilitySloProperties();
    properties.getAvailability().setObjective(99.95);
    properties.getLatency().setObjective(95);

    SloObjectives objectives = SloObjectives.of(properties);

    assertThat(objectives.getAvailability()).isEqualTo(0.9995);
    assertThat(objectives.getLatency()).isEqualTo(0.95);
    assertThat(objectives.getThreshold()).isEqualTo(Duration.ofMillis(500));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 100, -1, 100.5, Double.NaN})
  void refusesAnObjectiveOutsideZeroToAHundredPercent(double objective) {
    ObservabilitySloProperties properties = new ObservabilitySloProperties();
    properties.getAvailability().setObjective(objective);

    assertThatExceptionOfType(SloConfigurationException.class)
        .isThrownBy(() -> SloObjectives.of(properties))
        .withMessageContaining("observability.slo.availability.objective")
        .withMessageContaining("outside (0, 100) %");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0ms", "500us", "-1s", "61m"})
  void refusesAThresholdThatIsNoSensibleBucket(String threshold) {
    ObservabilitySloProperties properties = new ObservabilitySloProperties();
    properties.getLatency().setThreshold(duration(threshold));

    assertThatExceptionOfType(SloConfigurationException.class)
        .isThrownBy(() -> SloObjectives.of(properties))
        .withMessageContaining("observability.slo.latency.threshold")
        .withMessageContaining("no sensible histogram bucket");
  }

  @Test
  void refusesARouteWithoutThreshold() {
    ObservabilitySloProperties properties = new ObservabilitySloProperties();
    properties.getLatency().setRoutes(List.of(route("/reports/**", null)));

    assertThatExceptionOfType(SloConfigurationException.class)
        .isThrownBy(() -> SloObjectives.of(properties))
        .withMessageContaining("observability.slo.latency.routes[0].threshold");
  }

  @Test
  void refusesARoutePatternThatIsNoPathPattern() {
    ObservabilitySloProperties properties = new ObservabilitySloProperties();
    properties.getLatency().setRoutes(List.of(route("/reports/**/all", Duration.ofSeconds(5))));

    assertThatExceptionOfType(SloConfigurationException.class)
        .isThrownBy(() -> SloObjectives.of(properties))
        .withMessageContaining("observability.slo.latency.routes[0].uri")
        .withMessageContaining("no path pattern");
  }

  @Test
  void resolvesRoutePatternsToTheMappedTemplatesFirstPatternWinning() {
    ObservabilitySloProperties properties = new ObservabilitySloProperties();
    properties
        .getLatency()
        .setRoutes(
            List.of(
                route("/reports/{id}", Duration.ofSeconds(10)),
                route("/reports/**", Duration.ofSeconds(5))));

    Map<String, Duration> thresholds =
        SloObjectives.of(properties)
            .routeThresholds(List.of("/orders/{id}", "/reports", "/reports/{id}"));

    assertThat(thresholds)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("/reports/{id}", Duration.ofSeconds(10), "/reports", Duration.ofSeconds(5)));
  }

  @Test
  void refusesARoutePatternThatMatchesNoMappedRouteNamingThem() {
    ObservabilitySloProperties properties = new ObservabilitySloProperties();
    properties.getLatency().setRoutes(List.of(route("/report/**", Duration.ofSeconds(5))));

    assertThatExceptionOfType(SloConfigurationException.class)
        .isThrownBy(() -> SloObjectives.of(properties).routeThresholds(List.of("/reports/{id}")))
        .withMessageContaining("observability.slo.latency.routes[0].uri")
        .withMessageContaining("'/report/**' matches none of the routes the application maps")
        .withMessageContaining("/reports/{id}");
  }

  static ObservabilitySloProperties.Route route(String uri, Duration threshold) {
    ObservabilitySloProperties.Route route = new ObservabilitySloProperties.Route();
    route.setUri(uri);
    route.setThreshold(threshold);
    return route;
  }

  private static Duration duration(String text) {
    return org.springframework.boot.convert.DurationStyle.detectAndParse(text);
  }

  private static List<String> bucketLes(String scrape) {
    return scrape
        .lines()
        .map(BUCKET_LE::matcher)
        .filter(Matcher::find)
        .map((matcher) -> matcher.group(1))
        .toList();
  }
}
