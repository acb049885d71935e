package io.github.obskit.autoconfigure.passenger;

import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

/**
 * The Passenger meters in a Prometheus registry of their own, so that they are scraped as a job of
 * their own and never also appear in the application's {@code /metrics}. The web stack's scrape
 * handler serves {@link #scrapeEndpoint()} and calls {@link #refresh()} before each scrape, so one
 * scrape shows one consistent status.
 *
 * <p>The application's meter filters and Prometheus settings apply here too, so the common tags
 * ({@code application}, {@code env}), {@code management.metrics.enable.*} and {@code
 * management.prometheus.metrics.export.*} work as on every other meter.
 */
public final class PassengerMetricsEndpoint implements AutoCloseable {

  private final PassengerMetrics metrics;

  private final PrometheusMeterRegistry registry;

  private final PrometheusScrapeEndpoint scrapeEndpoint;

  /**
   * Binds the given Passenger meters to a new, private registry.
   *
   * @param metrics the Passenger meters, closed with this endpoint
   * @param meterFilters the filters to apply first, in order, e.g. the application's
   * @param config the registry's and the exposition's settings, e.g. the application's
   * @param clock the registry's clock
   */
  public PassengerMetricsEndpoint(
      PassengerMetrics metrics,
      List<MeterFilter> meterFilters,
      PrometheusConfig config,
      Clock clock) {
    this.metrics = metrics;
    this.registry = new PrometheusMeterRegistry(config, new PrometheusRegistry(), clock);
    meterFilters.forEach(this.registry.config()::meterFilter);
    metrics.bindTo(this.registry);
    this.scrapeEndpoint =
        new PrometheusScrapeEndpoint(
            this.registry.getPrometheusRegistry(), config.prometheusProperties());
  }

  /**
   * Returns the endpoint that writes the Passenger meters' exposition.
   *
   * @return the scrape endpoint of the private registry
   */
  public PrometheusScrapeEndpoint scrapeEndpoint() {
    return this.scrapeEndpoint;
  }

  /**
   * Reads the Passenger status (through the cache, waiting at most the timeout) and updates the
   * series; a failed read shows as {@code passenger_up 0}, never as an exception.
   */
  public void refresh() {
    this.metrics.refresh();
  }

  @Override
  public void close() {
    this.metrics.close();
    this.registry.close();
  }
}
