package io.github.obskit.autoconfigure.web;

import io.micrometer.observation.Observation;

/**
 * Reads what the access log and the path exclusions need from the server request observation of one
 * web stack (Spring MVC or WebFlux), so that both stacks share one access log and one exclusion
 * mechanism. Internal to the starter, not an API.
 */
public interface ServerRequestReader {

  /**
   * Whether the context is the server request observation of this stack.
   *
   * @param context any observation's context
   * @return {@code true} for this stack's {@code http.server.requests} context
   */
  boolean isServerRequest(Observation.Context context);

  /**
   * Returns the request's path within the application, without the context path, as the exclusion
   * patterns are written.
   *
   * @param context a context this reader {@link #isServerRequest supports}
   * @return the path
   */
  String pathWithinApplication(Observation.Context context);

  /**
   * Returns the request's whole path as the client sent it, without the query string and without
   * path parameters ({@code ;jsessionid=...}), which can carry a session id.
   *
   * @param context a context this reader {@link #isServerRequest supports}
   * @return the path
   */
  String path(Observation.Context context);

  /**
   * Returns the request's method as the client sent it.
   *
   * @param context a context this reader {@link #isServerRequest supports}
   * @return the method
   */
  String method(Observation.Context context);

  /**
   * Returns the address of the client (or of the last proxy).
   *
   * @param context a context this reader {@link #isServerRequest supports}
   * @return the address, {@code null} when unknown
   */
  String clientAddress(Observation.Context context);

  /**
   * Returns the request's {@code User-Agent} header.
   *
   * @param context a context this reader {@link #isServerRequest supports}
   * @return the header, {@code null} when absent
   */
  String userAgent(Observation.Context context);

  /**
   * Returns the request id the request id filter chose, from the request's attributes.
   *
   * @param context a context this reader {@link #isServerRequest supports}
   * @return the id, {@code null} when the request id is off
   */
  String requestId(Observation.Context context);

  /**
   * Removes path parameters ({@code ;name=value}) from every segment of a path.
   *
   * @param path the raw path
   * @return the path without them
   */
  static String withoutPathParameters(String path) {
    int semicolon = path.indexOf(';');
    if (semicolon < 0) {
      return path;
    }
    StringBuilder result = new StringBuilder(path.length());
    int start = 0;
    while (semicolon >= 0) {
      result.append(path, start, semicolon);
      int slash = path.indexOf('/', semicolon);
      if (slash < 0) {
        return result.toString();
      }
      start = slash;
      semicolon = path.indexOf(';', start);
    }
    return result.append(path, start, path.length()).toString();
  }
}
