package io.github.obskit.autoconfigure.slo;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.ServiceLevelObjectiveBoundary;

/**
 * Publishes the objectives once every singleton exists: only then are the application's routes
 * mapped, which the route thresholds are resolved against. Checks that every threshold is a bucket
 * of the request timer, which the starter's defaults make it unless the application sets the
 * buckets itself.
 */
public final class SloObjectivesPublisher implements SmartInitializingSingleton {

  private final SloObjectives objectives;

  private final Supplier<Collection<String>> mappedUris;

  private final ObjectProvider<MeterRegistry> registries;

  private final ObjectProvider<MetricsProperties> metricsProperties;

  private final String serverRequestsName;

  SloObjectivesPublisher(
      SloObjectives objectives,
      Supplier<Collection<String>> mappedUris,
      ObjectProvider<MeterRegistry> registries,
      ObjectProvider<MetricsProperties> metricsProperties,
      String serverRequestsName) {
    this.objectives = objectives;
    this.mappedUris = mappedUris;
    this.registries = registries;
    this.metricsProperties = metricsProperties;
    this.serverRequestsName = serverRequestsName;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Map<String, Duration> routeThresholds = this.objectives.routeThresholds(this.mappedUris.get());
    MetricsProperties properties = this.metricsProperties.getIfAvailable();
    if (properties != null) {
      checkBuckets(properties);
    }
    SloMetrics metrics = new SloMetrics(this.objectives, routeThresholds);
    this.registries.orderedStream().forEach(metrics::bindTo);
  }

  // Boot looks the buckets up by the meter's name and its dotted prefixes, then "all".
  private void checkBuckets(MetricsProperties properties) {
    Map<String, ServiceLevelObjectiveBoundary[]> slo = properties.getDistribution().getSlo();
    String key = this.serverRequestsName;
    ServiceLevelObjectiveBoundary[] boundaries = null;
    while (boundaries == null && !key.isEmpty()) {
      boundaries = slo.get(key);
      int dot = key.lastIndexOf('.');
      key = (dot < 0) ? "" : key.substring(0, dot);
    }
    if (boundaries == null) {
      boundaries = slo.getOrDefault("all", new ServiceLevelObjectiveBoundary[0]);
    }
    Set<Double> buckets =
        Arrays.stream(boundaries)
            .map((boundary) -> boundary.getValue(Meter.Type.TIMER))
            .collect(Collectors.toSet());
    List<String> missing =
        this.objectives.thresholds().stream()
            .filter((threshold) -> !buckets.contains((double) threshold.toNanos()))
            .map(Duration::toString)
            .toList();
    if (!missing.isEmpty()) {
      throw new SloConfigurationException(
          "management.metrics.distribution.slo." + this.serverRequestsName,
          "the buckets leave out the latency thresholds " + missing,
          "Add the thresholds to the buckets, or leave the buckets to the starter"
              + " (observability.metrics.slo-buckets), which adds them.");
    }
  }
}
