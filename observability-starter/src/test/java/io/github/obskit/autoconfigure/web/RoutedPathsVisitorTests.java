package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import reactor.core.publisher.Mono;

/** Which router-function routes name the scrape path, in both web stacks. */
class RoutedPathsVisitorTests {

  private static final String PATH = "/metrics";

  @Test
  void findsARouteOnThePathAmongOthers() {
    assertThat(servlet(servletRoutes().PUT(PATH, (request) -> ok()).GET("/orders", (r) -> ok())))
        .singleElement()
        .asString()
        .contains("PUT");
    assertThat(
            reactive(
                reactiveRoutes()
                    .PUT(PATH, (request) -> reactiveOk())
                    .GET("/orders", (r) -> reactiveOk())))
        .singleElement()
        .asString()
        .contains("PUT");
  }

  @Test
  void findsARouteWithoutAPathOfItsOwnNestedUnderThePath() {
    assertThat(servlet(servletRoutes().path(PATH, (nested) -> nested.GET((request) -> ok()))))
        .hasSize(1);
    assertThat(
            reactive(
                reactiveRoutes().path(PATH, (nested) -> nested.GET((request) -> reactiveOk()))))
        .hasSize(1);
  }

  @Test
  void ignoresTheSameNameUnderAnotherPrefix() {
    assertThat(servlet(servletRoutes().path("/api", (api) -> api.GET(PATH, (request) -> ok()))))
        .isEmpty();
    assertThat(
            reactive(
                reactiveRoutes().path("/api", (api) -> api.GET(PATH, (request) -> reactiveOk()))))
        .isEmpty();
  }

  @Test
  void ignoresARouteForEveryPathButThisOne() {
    RouterFunction<org.springframework.web.servlet.function.ServerResponse> servlet =
        RouterFunctions.route(RequestPredicates.path(PATH).negate(), (request) -> ok());
    org.springframework.web.reactive.function.server.RouterFunction<ServerResponse> reactive =
        org.springframework.web.reactive.function.server.RouterFunctions.route(
            org.springframework.web.reactive.function.server.RequestPredicates.path(PATH).negate(),
            (request) -> reactiveOk());

    assertThat(ServletRoutedPathsVisitor.routesOf(servlet, PATH)).isEmpty();
    assertThat(ReactiveRoutedPathsVisitor.routesOf(reactive, PATH)).isEmpty();
  }

  private static RouterFunctions.Builder servletRoutes() {
    return RouterFunctions.route();
  }

  private static org.springframework.web.reactive.function.server.RouterFunctions.Builder
      reactiveRoutes() {
    return org.springframework.web.reactive.function.server.RouterFunctions.route();
  }

  private static java.util.List<String> servlet(RouterFunctions.Builder routes) {
    return ServletRoutedPathsVisitor.routesOf(routes.build(), PATH);
  }

  private static java.util.List<String> reactive(
      org.springframework.web.reactive.function.server.RouterFunctions.Builder routes) {
    return ReactiveRoutedPathsVisitor.routesOf(routes.build(), PATH);
  }

  private static org.springframework.web.servlet.function.ServerResponse ok() {
    return org.springframework.web.servlet.function.ServerResponse.ok().build();
  }

  private static Mono<ServerResponse> reactiveOk() {
    return ServerResponse.ok().build();
  }
}
