package io.github.obskit.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

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
 *
 * <p>A controller method or router function route of the application's own on the very path is
 * never reached: the mapping warns about it once the context is refreshed.
 */
public final class ScrapePathHandlerMapping extends SimpleUrlHandlerMapping
    implements ApplicationListener<ContextRefreshedEvent> {

  /** Order of the scrape paths among Spring MVC's handler mappings. */
  public static final int ORDER = -2;

  private final String pathProperty;

  private final String path;

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
    this.pathProperty = pathProperty;
    this.path = ScrapePaths.exactPath(pathProperty, path);
  }

  // Once the application's controllers are all mapped; with lazy beans the event instantiates them.
  @Override
  public void onApplicationEvent(ContextRefreshedEvent event) {
    ApplicationContext context = event.getApplicationContext();
    if (context != getApplicationContext()) {
      return;
    }
    List<String> handlers =
        context
            .getBeanProvider(RequestMappingInfoHandlerMapping.class)
            .orderedStream()
            .flatMap((mapping) -> mapping.getHandlerMethods().entrySet().stream())
            .filter((entry) -> entry.getKey().getDirectPaths().contains(this.path))
            .map((entry) -> entry.getKey() + " " + entry.getValue())
            .collect(Collectors.toCollection(ArrayList::new));
    context
        .getBeanProvider(RouterFunctionMapping.class)
        .orderedStream()
        .map(RouterFunctionMapping::getRouterFunction)
        .filter(Objects::nonNull)
        .forEach(
            (routerFunction) ->
                handlers.addAll(ServletRoutedPathsVisitor.routesOf(routerFunction, this.path)));
    ScrapePaths.warnIfTheApplicationMapsIt(this.logger, this.pathProperty, this.path, handlers);
  }
}
