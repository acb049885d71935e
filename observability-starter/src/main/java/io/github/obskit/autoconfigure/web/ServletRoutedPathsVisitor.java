package io.github.obskit.autoconfigure.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;

/** Finds the routes of a Spring MVC router function that name one path literally. */
final class ServletRoutedPathsVisitor
    implements RouterFunctions.Visitor, RequestPredicates.Visitor {

  private final RoutedPaths paths;

  private ServletRoutedPathsVisitor(String path) {
    this.paths = new RoutedPaths(path);
  }

  static List<String> routesOf(RouterFunction<?> routerFunction, String path) {
    ServletRoutedPathsVisitor visitor = new ServletRoutedPathsVisitor(path);
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
  public void resources(Function<ServerRequest, Optional<Resource>> lookupFunction) {}

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
  public void param(String name, String value) {}

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
