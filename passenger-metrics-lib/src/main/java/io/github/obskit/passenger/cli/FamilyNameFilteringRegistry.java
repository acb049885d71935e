package io.github.obskit.passenger.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A view of a registry whose {@code name[]} filter selects whole families by their exact names.
 *
 * <p>The Prometheus client's filter keeps a family when a requested name merely starts with the
 * family's name, so that {@code request_total} finds {@code request}; it also makes every name that
 * starts with {@code passenger} find the info family {@code passenger} ({@code passenger_info}).
 * Here a requested name selects a family when it is one of the names the family's samples are
 * exposed under: the name itself, plus {@code _total} and {@code _created} for a counter, {@code
 * _info} (only) for an info, {@code _bucket}, {@code _count}, {@code _sum}, {@code _created},
 * {@code _gcount} and {@code _gsum} for a histogram, {@code _count}, {@code _sum} and {@code
 * _created} for a summary.
 */
final class FamilyNameFilteringRegistry extends PrometheusRegistry {

  private static final String NAME_PARAMETER = "name[]";

  private final PrometheusRegistry delegate;

  FamilyNameFilteringRegistry(PrometheusRegistry delegate) {
    this.delegate = delegate;
  }

  @Override
  public MetricSnapshots scrape() {
    return this.delegate.scrape();
  }

  @Override
  public MetricSnapshots scrape(PrometheusScrapeRequest request) {
    return this.delegate.scrape(request);
  }

  @Override
  public MetricSnapshots scrape(Predicate<String> includedNames) {
    return this.delegate.scrape(includedNames);
  }

  @Override
  public MetricSnapshots scrape(
      Predicate<String> includedNames, PrometheusScrapeRequest scrapeRequest) {
    // The client's filter keeps more than asked for, never less: narrow its result.
    MetricSnapshots snapshots = this.delegate.scrape(includedNames, scrapeRequest);
    String[] requested =
        (scrapeRequest != null) ? scrapeRequest.getParameterValues(NAME_PARAMETER) : null;
    if (requested == null || requested.length == 0) {
      return snapshots;
    }
    Set<String> names = Set.copyOf(Arrays.asList(requested));
    return new MetricSnapshots(
        snapshots.stream()
            .filter(snapshot -> exposedNames(snapshot).stream().anyMatch(names::contains))
            .toList());
  }

  /** The names a family's samples are exposed under in the text formats. */
  static List<String> exposedNames(MetricSnapshot snapshot) {
    String name = snapshot.getMetadata().getPrometheusName();
    if (snapshot instanceof CounterSnapshot) {
      return List.of(name, name + "_total", name + "_created");
    }
    if (snapshot instanceof InfoSnapshot) {
      return List.of(name + "_info");
    }
    if (snapshot instanceof HistogramSnapshot) {
      return List.of(
          name,
          name + "_bucket",
          name + "_count",
          name + "_sum",
          name + "_created",
          name + "_gcount",
          name + "_gsum");
    }
    if (snapshot instanceof SummarySnapshot) {
      return List.of(name, name + "_count", name + "_sum", name + "_created");
    }
    return List.of(name);
  }
}
