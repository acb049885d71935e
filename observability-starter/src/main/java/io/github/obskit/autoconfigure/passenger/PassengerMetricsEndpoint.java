package io.github.obskit.autoconfigure.passenger;

import io.github.obskit.autoconfigure.metrics.PrometheusScrapeHandler;
import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.web.HttpRequestHandler;

/**
 * Serves the Passenger meters from a Prometheus registry of their own, so that they are scraped as
 * a job of their own and never also appear in the application's {@code /metrics}.
 *
 * <p>The application's meter filters and Prometheus settings apply here too, so the common tags
 * ({@code application}, {@code env}), {@code management.metrics.enable.*} and {@code
 * management.prometheus.metrics.export.*} work as on every other meter. Each scrape refreshes the
 * status first, so one scrape shows one consistent status.
 */
public final class PassengerMetricsEndpoint implements HttpRequestHandler, AutoCloseable {

  private final PassengerMetrics metrics;

  private final PrometheusMeterRegistry registry;

  private final PrometheusScrapeHandler scrapeHandler;

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
    this.scrapeHandler =
        new PrometheusScrapeHandler(
            new PrometheusScrapeEndpoint(
                this.registry.getPrometheusRegistry(), config.prometheusProperties()),
            metrics::refresh);
  }

  @Override
  public void handleRequest(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    this.scrapeHandler.handleRequest(request, response);
  }

  @Override
  public void close() {
    this.metrics.close();
    this.registry.close();
  }
}
