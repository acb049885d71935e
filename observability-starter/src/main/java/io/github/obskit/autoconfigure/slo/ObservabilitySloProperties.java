package io.github.obskit.autoconfigure.slo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Service level objectives of the application's HTTP requests, published on the scrape as the gauge
 * family {@code obskit_slo_objective_ratio}.
 *
 * <p>Objectives are percentages of the requests counted by {@code http.server.requests} (the paths
 * served for observability left out). The latency thresholds become histogram buckets of that
 * timer.
 */
@ConfigurationProperties("observability.slo")
public class ObservabilitySloProperties {

  /** Default availability objective, in percent. */
  static final double DEFAULT_AVAILABILITY_OBJECTIVE = 99.9;

  /** Default latency objective, in percent. */
  static final double DEFAULT_LATENCY_OBJECTIVE = 99.0;

  /** Default latency threshold. */
  public static final Duration DEFAULT_LATENCY_THRESHOLD = Duration.ofMillis(500);

  /** Whether to publish the objectives and add the latency thresholds to the buckets. */
  private boolean enabled = true;

  private final Availability availability = new Availability();

  private final Latency latency = new Latency();

  public boolean isEnabled() {
    return this.enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Availability getAvailability() {
    return this.availability;
  }

  public Latency getLatency() {
    return this.latency;
  }

  /** Availability: the share of requests answered without a 5xx status. */
  public static class Availability {

    /** Percentage of requests to answer without a 5xx status, above 0 and below 100. */
    private double objective = DEFAULT_AVAILABILITY_OBJECTIVE;

    public double getObjective() {
      return this.objective;
    }

    public void setObjective(double objective) {
      this.objective = objective;
    }
  }

  /** Latency: the share of requests answered within their threshold. */
  public static class Latency {

    /** Percentage of requests to answer within their threshold, above 0 and below 100. */
    private double objective = DEFAULT_LATENCY_OBJECTIVE;

    /**
     * Time within which a request counts as fast enough, unless one of the routes sets its own:
     * from 1ms to 1h, added to the buckets of 'http.server.requests'.
     */
    private Duration threshold = DEFAULT_LATENCY_THRESHOLD;

    /**
     * Routes with a threshold of their own. A request to such a route still counts in the latency
     * objective, judged by the route's threshold instead of the service's.
     */
    private List<Route> routes = new ArrayList<>();

    public double getObjective() {
      return this.objective;
    }

    public void setObjective(double objective) {
      this.objective = objective;
    }

    public Duration getThreshold() {
      return this.threshold;
    }

    public void setThreshold(Duration threshold) {
      this.threshold = threshold;
    }

    public List<Route> getRoutes() {
      return this.routes;
    }

    public void setRoutes(List<Route> routes) {
      this.routes = routes;
    }
  }

  /** A route with a latency threshold of its own. */
  public static class Route {

    /**
     * Spring path pattern matched against the route templates the application maps (the 'uri' tag
     * of the request metrics), such as '/reports/**' or '/reports/{id}'.
     */
    private String uri;

    /** Time within which a request to the route counts as fast enough: from 1ms to 1h. */
    private Duration threshold;

    public String getUri() {
      return this.uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }

    public Duration getThreshold() {
      return this.threshold;
    }

    public void setThreshold(Duration threshold) {
      this.threshold = threshold;
    }
  }
}
