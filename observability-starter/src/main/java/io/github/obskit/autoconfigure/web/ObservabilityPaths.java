package io.github.obskit.autoconfigure.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request paths that Actuator and the starter serve for observability on the application's
 * port, where they are configured: Actuator's base path, the health groups' additional paths
 * (/livez, /readyz), the Prometheus scrape path and the Passenger metrics path. The request metrics
 * and the access log leave them out, so that moving a path never lets its scrapes or health checks
 * into either.
 */
public final class ObservabilityPaths {

  private final Map<String, String> patternByProperty;

  private final RequestPathMatcher matcher;

  /**
   * Creates the paths from Spring path patterns relative to the context path.
   *
   * @param patternByProperty each pattern by the property it derives from, which names it in the
   *     error for a bad pattern
   * @throws IllegalArgumentException when a pattern is not a valid path pattern
   */
  public ObservabilityPaths(Map<String, String> patternByProperty) {
    this.patternByProperty = Collections.unmodifiableMap(new LinkedHashMap<>(patternByProperty));
    this.matcher =
        patternByProperty.entrySet().stream()
            .map((entry) -> RequestPathMatcher.of(entry.getKey(), List.of(entry.getValue())))
            .reduce(RequestPathMatcher.none(), RequestPathMatcher::or);
  }

  /**
   * Returns a matcher for these paths.
   *
   * @return the matcher
   */
  public RequestPathMatcher getMatcher() {
    return this.matcher;
  }

  @Override
  public String toString() {
    return this.patternByProperty.toString();
  }
}
