package io.github.obskit.autoconfigure.web;

import java.util.List;
import java.util.stream.Stream;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Matches a request's path within the application against Spring path patterns such as {@code
 * /actuator/**}, for either web stack.
 */
public final class RequestPathMatcher {

  private final List<PathPattern> patterns;

  private RequestPathMatcher(List<PathPattern> patterns) {
    this.patterns = patterns;
  }

  /**
   * Creates a matcher for the given patterns.
   *
   * @param property the property the patterns come from, named in the error for a bad pattern
   * @param patterns Spring path patterns, relative to the context path
   * @return the matcher
   * @throws IllegalArgumentException when a pattern is not a valid path pattern
   */
  public static RequestPathMatcher of(String property, List<String> patterns) {
    return new RequestPathMatcher(
        patterns.stream().map((pattern) -> parse(property, pattern)).toList());
  }

  /**
   * Creates a matcher that matches no request.
   *
   * @return the matcher
   */
  public static RequestPathMatcher none() {
    return new RequestPathMatcher(List.of());
  }

  /**
   * Creates a matcher for the patterns of this matcher and of the given one.
   *
   * @param other the other matcher
   * @return a matcher matching what either matcher matches, with one parse of the path
   */
  public RequestPathMatcher or(RequestPathMatcher other) {
    return new RequestPathMatcher(
        Stream.concat(this.patterns.stream(), other.patterns.stream()).toList());
  }

  private static PathPattern parse(String property, String pattern) {
    try {
      return PathPatternParser.defaultInstance.parse(pattern);
    } catch (PatternParseException ex) {
      throw new IllegalArgumentException(
          "Invalid path pattern '" + pattern + "' in " + property + ": " + ex.getMessage(), ex);
    }
  }

  /**
   * Whether a request path within the application (without the context path) matches one of the
   * patterns.
   *
   * @param pathWithinApplication the path, for example {@code /actuator/health}
   * @return {@code true} when a pattern matches
   */
  public boolean matches(String pathWithinApplication) {
    if (this.patterns.isEmpty()) {
      return false;
    }
    PathContainer container = PathContainer.parsePath(pathWithinApplication);
    // A loop, not a stream: this runs twice per request (observation predicate and access log).
    for (PathPattern pattern : this.patterns) {
      if (pattern.matches(container)) {
        return true;
      }
    }
    return false;
  }
}
