package io.github.obskit.autoconfigure.slo;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;

/**
 * Publishes the objectives as the gauge family {@code obskit.slo.objective} (Prometheus: {@code
 * obskit_slo_objective_ratio}), one series per objective:
 *
 * <ul>
 *   <li>{@code slo="availability"}: the share of requests to answer without a 5xx status;
 *   <li>{@code slo="latency", le="0.5"}: the share to answer within the bucket {@code le};
 *   <li>{@code slo="latency", le="5.0", uri="/reports/{id}"}: the same share, for a route judged by
 *       its own bucket.
 * </ul>
 *
 * Every series has the three tags ({@code le} and {@code uri} empty where they do not apply, which
 * Prometheus stores as absent), as Prometheus requires of one family.
 */
public final class SloMetrics implements MeterBinder {

  static final String NAME = "obskit.slo.objective";

  private static final String DESCRIPTION =
      "Objective of the service's HTTP requests: the share to answer without a 5xx status"
          + " (slo=availability) or within the bucket le (slo=latency, for the route uri if set)";

  private final SloObjectives objectives;

  private final Map<String, Duration> routeThresholds;

  /**
   * Creates the binder.
   *
   * @param objectives the objectives
   * @param routeThresholds the thresholds of the routes with one of their own, by route template
   */
  public SloMetrics(SloObjectives objectives, Map<String, Duration> routeThresholds) {
    this.objectives = objectives;
    this.routeThresholds = Map.copyOf(routeThresholds);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    register(
        registry,
        this.objectives.getAvailability(),
        Tags.of("slo", "availability", "le", "", "uri", ""));
    register(
        registry,
        this.objectives.getLatency(),
        Tags.of(
            "slo", "latency", "le", SloObjectives.le(this.objectives.getThreshold()), "uri", ""));
    this.routeThresholds.forEach(
        (uri, threshold) ->
            register(
                registry,
                this.objectives.getLatency(),
                Tags.of("slo", "latency", "le", SloObjectives.le(threshold), "uri", uri)));
  }

  private static void register(MeterRegistry registry, double ratio, Tags tags) {
    Gauge.builder(NAME, () -> ratio)
        .tags(tags)
        .baseUnit("ratio")
        .description(DESCRIPTION)
        .strongReference(true)
        .register(registry);
  }
}
