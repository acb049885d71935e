package io.github.obskit.autoconfigure.slo;

import io.github.obskit.autoconfigure.slo.ObservabilitySloProperties.Route;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * The validated objectives of one application: ratios (0.999 for 99.9 %) and latency thresholds.
 */
public final class SloObjectives {

  /** The smallest threshold: below it the exposition writes the bucket in scientific notation. */
  static final Duration MIN_THRESHOLD = Duration.ofMillis(1);

  /** The largest threshold: an hour-long request is no latency objective. */
  static final Duration MAX_THRESHOLD = Duration.ofHours(1);

  private static final String PREFIX = "observability.slo.";

  private final double availability;

  private final double latency;

  private final Duration threshold;

  private final List<Route> routes;

  private SloObjectives(
      double availability, double latency, Duration threshold, List<Route> routes) {
    this.availability = availability;
    this.latency = latency;
    this.threshold = threshold;
    this.routes = routes;
  }

  /**
   * Validates the declared objectives.
   *
   * @param properties the declared objectives
   * @return the objectives as ratios
   * @throws SloConfigurationException if an objective is outside (0, 100) % or a threshold is no
   *     sensible bucket
   */
  public static SloObjectives of(ObservabilitySloProperties properties) {
    double availability =
        ratio(PREFIX + "availability.objective", properties.getAvailability().getObjective());
    double latency = ratio(PREFIX + "latency.objective", properties.getLatency().getObjective());
    Duration threshold =
        checkThreshold(PREFIX + "latency.threshold", properties.getLatency().getThreshold());
    List<Route> routes = properties.getLatency().getRoutes();
    for (int i = 0; i < routes.size(); i++) {
      String property = PREFIX + "latency.routes[" + i + "]";
      pattern(property + ".uri", routes.get(i).getUri());
      checkThreshold(property + ".threshold", routes.get(i).getThreshold());
    }
    return new SloObjectives(availability, latency, threshold, List.copyOf(routes));
  }

  private static double ratio(String property, double percent) {
    if (!(percent > 0 && percent < 100)) {
      throw new SloConfigurationException(
          property,
          "objective " + percent + " % is outside (0, 100) %",
          "Set an objective above 0 and below 100 percent, such as 99.9.");
    }
    // 99.9 / 100 is 0.9990000000000001; the scrape should show the objective as declared.
    return BigDecimal.valueOf(percent).movePointLeft(2).doubleValue();
  }

  private static Duration checkThreshold(String property, Duration threshold) {
    if (threshold == null) {
      throw new SloConfigurationException(
          property, "no threshold", "Set a threshold from 1ms to 1h, such as 500ms.");
    }
    if (threshold.compareTo(MIN_THRESHOLD) < 0 || threshold.compareTo(MAX_THRESHOLD) > 0) {
      throw new SloConfigurationException(
          property,
          "threshold "
              + threshold
              + " is no sensible histogram bucket: below 1ms the exposition writes its 'le' in"
              + " scientific notation, which Prometheus 3 rewrites, and over 1h no request waits",
          "Set a threshold from 1ms to 1h, such as 500ms.");
    }
    return threshold;
  }

  private static PathPattern pattern(String property, String uri) {
    if (uri == null || uri.isBlank()) {
      throw new SloConfigurationException(
          property, "no route pattern", "Name the route, such as /reports/** or /reports/{id}.");
    }
    try {
      return PathPatternParser.defaultInstance.parse(uri);
    } catch (PatternParseException ex) {
      throw new SloConfigurationException(
          property,
          "'" + uri + "' is no path pattern (" + ex.getMessage() + ")",
          "Name the route with a Spring path pattern, such as /reports/** or /reports/{id}.");
    }
  }

  /**
   * The {@code le} label of the bucket the threshold is, written as the exposition writes it
   * ({@code 0.5}, {@code 1.0}, {@code 10.0}): the rules join the objective on this string.
   *
   * @param threshold the threshold
   * @return the label value
   */
  public static String le(Duration threshold) {
    // The Prometheus registry converts a timer's bucket from nanoseconds by this division and
    // prometheus-metrics writes it with Double.toString.
    return Double.toString(threshold.toNanos() / 1e9);
  }

  /**
   * The thresholds of the routes the application maps, keyed by route template: a template takes
   * the threshold of the first route pattern that matches it.
   *
   * @param mappedUris the route templates of the application (the values of the 'uri' tag)
   * @return the threshold of each template with one of its own
   * @throws SloConfigurationException if a route pattern matches no template
   */
  public Map<String, Duration> routeThresholds(Collection<String> mappedUris) {
    Map<String, Duration> thresholds = new LinkedHashMap<>();
    List<String> sortedUris = mappedUris.stream().distinct().sorted().toList();
    for (int i = 0; i < this.routes.size(); i++) {
      Route route = this.routes.get(i);
      String property = PREFIX + "latency.routes[" + i + "].uri";
      PathPattern pattern = pattern(property, route.getUri());
      List<String> matched = new ArrayList<>();
      for (String uri : sortedUris) {
        if (pattern.matches(PathContainer.parsePath(uri))) {
          matched.add(uri);
          thresholds.putIfAbsent(uri, route.getThreshold());
        }
      }
      if (matched.isEmpty()) {
        throw new SloConfigurationException(
            property,
            "'"
                + route.getUri()
                + "' matches none of the routes the application maps ("
                + (sortedUris.isEmpty() ? "none" : String.join(", ", sortedUris))
                + ")",
            "Name a route of the application's controllers as the 'uri' tag of"
                + " http_server_requests_seconds shows it, or remove the route.");
      }
    }
    return thresholds;
  }

  /** The thresholds of the service and of every route: each must be a histogram bucket. */
  List<Duration> thresholds() {
    List<Duration> thresholds = new ArrayList<>();
    thresholds.add(this.threshold);
    this.routes.forEach((route) -> thresholds.add(route.getThreshold()));
    return thresholds.stream().distinct().sorted().collect(Collectors.toList());
  }

  /** Share of requests to answer without a 5xx status. */
  public double getAvailability() {
    return this.availability;
  }

  /** Share of requests to answer within their threshold. */
  public double getLatency() {
    return this.latency;
  }

  /** Threshold of the requests to routes without one of their own. */
  public Duration getThreshold() {
    return this.threshold;
  }
}
