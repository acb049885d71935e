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
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.server.WebHandler;

/**
 * Maps one exact path (a leading slash added when missing) to a scrape handler in a WebFlux
 * application, ahead of the application's router functions ({@code -1}) and annotated controllers
 * ({@code 0}), as {@link ScrapePathHandlerMapping} does for Spring MVC, warning likewise about a
 * controller or route of the application's own on the very path.
 */
public final class ReactiveScrapePathHandlerMapping extends SimpleUrlHandlerMapping
    implements ApplicationListener<ContextRefreshedEvent> {

  private final String pathProperty;

  private final String path;

  /**
   * Creates the mapping of the given path to the given handler.
   *
   * @param pathProperty the property the path is set with, named when the path is refused
   * @param path the path: one exact path other than {@code /}
   * @param handler the handler answering the path's requests
   * @throws InvalidConfigurationPropertyValueException if the path is empty, {@code /} or a pattern
   */
  public ReactiveScrapePathHandlerMapping(String pathProperty, String path, WebHandler handler) {
    super(
        Map.of(ScrapePaths.exactPath(pathProperty, path), handler), ScrapePathHandlerMapping.ORDER);
    this.pathProperty = pathProperty;
    this.path = ScrapePaths.exactPath(pathProperty, path);
  }

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
                handlers.addAll(ReactiveRoutedPathsVisitor.routesOf(routerFunction, this.path)));
    ScrapePaths.warnIfTheApplicationMapsIt(this.logger, this.pathProperty, this.path, handlers);
  }
}
