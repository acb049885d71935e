package io.github.obskit.autoconfigure.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Matches a request's path within the application against Spring path patterns such as {@code
 * /actuator/**}.
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
   * Whether the request's path, without the context path, matches one of the patterns.
   *
   * @param request the request
   * @return {@code true} when a pattern matches
   */
  public boolean matches(HttpServletRequest request) {
    if (this.patterns.isEmpty()) {
      return false;
    }
    String uri = request.getRequestURI();
    String contextPath = request.getContextPath();
    String path =
        (contextPath != null && uri.startsWith(contextPath))
            ? uri.substring(contextPath.length())
            : uri;
    // Parsed here, not shared through ServletRequestPathUtils.parseAndCache: nothing here could
    // restore the request's previously cached path afterwards (as DispatcherServlet and
    // ServletRequestPathFilter do), so the cache would outlive this call into the request's
    // FORWARD and ERROR dispatches; and its pathWithinApplication() leaves out the servlet path of
    // a path-mapped DispatcherServlet, which these patterns include.
    PathContainer container = PathContainer.parsePath(path);
    // A loop, not a stream: this runs twice per request (request metrics and access log).
    for (PathPattern pattern : this.patterns) {
      if (pattern.matches(container)) {
        return true;
      }
    }
    return false;
  }
}
