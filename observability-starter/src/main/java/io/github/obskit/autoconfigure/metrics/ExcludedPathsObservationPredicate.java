package io.github.obskit.autoconfigure.metrics;

import io.github.obskit.autoconfigure.web.RequestPathMatcher;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Drops the server request observation (and so its timer and in-flight gauge) of requests whose
 * path is excluded, so that scrapes and health checks do not dominate the request metrics.
 */
public final class ExcludedPathsObservationPredicate implements ObservationPredicate {

  private final RequestPathMatcher excludedPaths;

  /**
   * Creates a predicate that rejects server requests matching the given paths.
   *
   * @param excludedPaths the paths to exclude
   */
  public ExcludedPathsObservationPredicate(RequestPathMatcher excludedPaths) {
    this.excludedPaths = excludedPaths;
  }

  @Override
  public boolean test(String name, Observation.Context context) {
    if (context instanceof ServerRequestObservationContext serverContext) {
      return !this.excludedPaths.matches(serverContext.getCarrier());
    }
    return true;
  }
}
