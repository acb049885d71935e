package io.github.obskit.autoconfigure.metrics;

import io.github.obskit.autoconfigure.web.RequestPathMatcher;
import io.github.obskit.autoconfigure.web.ServerRequestReader;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

/**
 * Drops the server request observation of requests whose path is excluded, so that scrapes and
 * health checks do not dominate the request metrics. With the observation go its timer, its
 * in-flight gauge, its span and its access-log line: one exclusion for all of them.
 */
public final class ExcludedPathsObservationPredicate implements ObservationPredicate {

  private final RequestPathMatcher excludedPaths;

  private final ServerRequestReader requests;

  /**
   * Creates a predicate that rejects the server requests of one web stack matching the given paths.
   *
   * @param excludedPaths the paths to exclude
   * @param requests reads the requests of the web stack
   */
  public ExcludedPathsObservationPredicate(
      RequestPathMatcher excludedPaths, ServerRequestReader requests) {
    this.excludedPaths = excludedPaths;
    this.requests = requests;
  }

  @Override
  public boolean test(String name, Observation.Context context) {
    if (this.requests.isServerRequest(context)) {
      return !this.excludedPaths.matches(this.requests.pathWithinApplication(context));
    }
    return true;
  }
}
