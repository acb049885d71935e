package io.github.obskit.autoconfigure.web;

import java.util.Map;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * Maps one exact path (a leading slash added when missing) to a scrape handler, ahead of the
 * application's own mappings: Spring MVC's router functions ({@code -1}) and annotated controllers
 * ({@code 0}).
 *
 * <p>A mapping of its own rather than a router function, which would build a {@code ServerRequest}
 * for every request the application serves, or a controller method, which would put scrapes in
 * reach of the application's controller advice and API versioning. Other requests pay one map
 * lookup. Like Actuator's endpoints, the path gets none of the application's {@code
 * WebMvcConfigurer} interceptors.
 */
public final class ScrapePathHandlerMapping extends SimpleUrlHandlerMapping {

  /** Order of the scrape paths among Spring MVC's handler mappings. */
  public static final int ORDER = -2;

  /**
   * Creates the mapping of the given path to the given handler.
   *
   * @param path the path
   * @param handler the handler answering the path's requests
   */
  public ScrapePathHandlerMapping(String path, HttpRequestHandler handler) {
    super(Map.of(path, handler), ORDER);
  }
}
