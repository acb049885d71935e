package io.github.obskit.autoconfigure.web;

import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * Maps one exact path (a leading slash added when missing) to a scrape handler in a servlet
 * application, ahead of the application's own mappings: Spring MVC's router functions ({@code -1})
 * and annotated controllers ({@code 0}).
 *
 * <p>A mapping of its own rather than a router function, which would build a {@code ServerRequest}
 * for every request the application serves, or a controller method, which would put scrapes in
 * reach of the application's controller advice and API versioning. Other requests pay a map lookup.
 * Like Actuator's endpoints, the path gets none of the application's {@code WebMvcConfigurer}
 * interceptors or CORS mappings ({@code MappedInterceptor} beans do apply).
 */
public final class ScrapePathHandlerMapping extends SimpleUrlHandlerMapping {

  /** Order of the scrape paths among Spring MVC's handler mappings. */
  public static final int ORDER = -2;

  /**
   * Creates the mapping of the given path to the given handler.
   *
   * @param pathProperty the property the path is set with, named when the path is refused
   * @param path the path: one exact path other than {@code /}
   * @param handler the handler answering the path's requests
   * @throws InvalidConfigurationPropertyValueException if the path is empty, {@code /} or a pattern
   *     (a wildcard would make this mapping answer the application's requests)
   */
  public ScrapePathHandlerMapping(String pathProperty, String path, HttpRequestHandler handler) {
    super(Map.of(ScrapePaths.exactPath(pathProperty, path), handler), ORDER);
  }
}
