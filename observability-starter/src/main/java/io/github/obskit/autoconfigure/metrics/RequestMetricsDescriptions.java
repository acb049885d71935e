package io.github.obskit.autoconfigure.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Describes the request meters that Micrometer's observation handler registers without a
 * description (an empty {@code # HELP} line, which {@code promtool check metrics} reports): the
 * timer of answered requests and the long task timer of requests in flight. A description set
 * elsewhere is kept.
 */
public final class RequestMetricsDescriptions implements MeterFilter {

  static final String ANSWERED =
      "Duration of the HTTP requests the application answered, by method, route template (uri),"
          + " status, outcome and exception";

  static final String IN_FLIGHT =
      "HTTP requests in flight and how long they have been running, by method and route template"
          + " (uri)";

  private final String timerName;

  private final String activeName;

  /**
   * Creates the filter for the request meters of the given name.
   *
   * @param name the name of the requests' observation, {@code http.server.requests} by default
   */
  public RequestMetricsDescriptions(String name) {
    this.timerName = name;
    this.activeName = name + ".active";
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    if (id.getDescription() != null && !id.getDescription().isEmpty()) {
      return id;
    }
    if (id.getName().equals(this.timerName)) {
      return described(id, ANSWERED);
    }
    if (id.getName().equals(this.activeName)) {
      return described(id, IN_FLIGHT);
    }
    return id;
  }

  private static Meter.Id described(Meter.Id id, String description) {
    return new Meter.Id(
        id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
  }
}
