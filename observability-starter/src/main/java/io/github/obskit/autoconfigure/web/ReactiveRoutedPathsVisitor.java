package io.github.obskit.autoconfigure.web;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/** Finds the routes of a WebFlux router function that name one path literally. */
final class ReactiveRoutedPathsVisitor
    implements RouterFunctions.Visitor, RequestPredicates.Visitor {

  private final RoutedPaths paths;

  private ReactiveRoutedPathsVisitor(String path) {
    this.paths = new RoutedPaths(path);
  }

  static List<String> routesOf(RouterFunction<?> routerFunction, String path) {
    ReactiveRoutedPathsVisitor visitor = new ReactiveRoutedPathsVisitor(path);
    routerFunction.accept(visitor);
    return visitor.paths.routes();
  }

  @Override
  public void startNested(RequestPredicate predicate) {
    this.paths.startPredicate();
    predicate.accept(this);
    this.paths.startNested();
  }

  @Override
  public void endNested(RequestPredicate predicate) {
    this.paths.endNested();
  }

  @Override
  public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
    this.paths.startPredicate();
    predicate.accept(this);
    this.paths.route(predicate.toString());
  }

  @Override
  public void path(String pattern) {
    this.paths.path(pattern);
  }

  @Override
  public void resources(Function<ServerRequest, Mono<Resource>> lookupFunction) {}

  @Override
  public void attributes(Map<String, Object> attributes) {}

  @Override
  public void unknown(RouterFunction<?> routerFunction) {}

  @Override
  public void method(Set<HttpMethod> methods) {}

  @Override
  public void pathExtension(String extension) {}

  @Override
  public void header(String name, String value) {}

  @Override
  public void queryParam(String name, String value) {}

  @Override
  public void version(String version) {}

  @Override
  public void startAnd() {}

  @Override
  public void and() {}

  @Override
  public void endAnd() {}

  @Override
  public void startOr() {}

  @Override
  public void or() {}

  @Override
  public void endOr() {}

  @Override
  public void startNegate() {
    this.paths.startNegate();
  }

  @Override
  public void endNegate() {
    this.paths.endNegate();
  }

  @Override
  public void unknown(RequestPredicate predicate) {}
}
