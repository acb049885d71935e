package io.github.obskit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.reactiveapp.ReactiveTestApplication;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Applications that map a scrape path themselves: the starter's mapping answers first, so each
 * start-up warns once per path, naming the property that moves it, and still starts.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShadowedScrapePathsApplicationTests {

  @Test
  void servletApplicationIsWarnedOnceForEachPathItMapsItself(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        start(
            WebApplicationType.SERVLET,
            TestApplication.class,
            OwnMetricsController.class,
            ServletRoutes.class)) {
      assertThat(context.isRunning()).isTrue();
    }

    assertWarnedOnce(output, "/metrics", "observability.prometheus.path", "ownMetrics", "PUT");
    assertWarnedOnce(
        output, "/passenger_metrics", "observability.passenger.endpoint.path", "ownPassenger");
  }

  @Test
  void servletApplicationWithLazyBeansIsWarnedToo(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        start(
            WebApplicationType.SERVLET,
            new String[] {"spring.main.lazy-initialization=true"},
            TestApplication.class,
            OwnMetricsController.class)) {
      assertThat(context.isRunning()).isTrue();
    }

    assertWarnedOnce(output, "/metrics", "observability.prometheus.path", "ownMetrics");
  }

  @Test
  void reactiveApplicationIsWarnedOnceForEachPathItMapsItself(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        start(
            WebApplicationType.REACTIVE,
            ReactiveTestApplication.class,
            OwnMetricsController.class,
            ReactiveRoutes.class)) {
      assertThat(context.isRunning()).isTrue();
    }

    assertWarnedOnce(output, "/metrics", "observability.prometheus.path", "ownMetrics", "PUT");
    assertWarnedOnce(
        output, "/passenger_metrics", "observability.passenger.endpoint.path", "ownPassenger");
  }

  @Test
  void applicationWithoutAMappingOfItsOwnIsNotWarned(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        start(WebApplicationType.SERVLET, TestApplication.class)) {
      assertThat(context.isRunning()).isTrue();
    }

    assertThat(output.getOut()).doesNotContain("maps /metrics itself");
  }

  private static void assertWarnedOnce(
      CapturedOutput output, String path, String property, String... handlers) {
    assertThat(
            Arrays.stream(output.getOut().split("\n"))
                .filter((line) -> line.contains("The application maps " + path + " itself")))
        .singleElement()
        .asString()
        .contains("WARN")
        .contains(property)
        .contains(handlers)
        .doesNotContain("/api/metrics");
  }

  private static ConfigurableApplicationContext start(
      WebApplicationType type, Class<?>... sources) {
    return start(type, new String[0], sources);
  }

  private static ConfigurableApplicationContext start(
      WebApplicationType type, String[] properties, Class<?>... sources) {
    return new SpringApplicationBuilder(sources)
        .web(type)
        .properties(
            "server.port=0",
            "spring.application.name=obskit-shadowed-test",
            "observability.logging.format=plain",
            "observability.passenger.enabled=true",
            "observability.passenger.source=simulator")
        .properties(properties)
        .run();
  }

  @Configuration(proxyBeanMethods = false)
  static class ServletRoutes {

    @Bean
    org.springframework.web.servlet.function.RouterFunction<
            org.springframework.web.servlet.function.ServerResponse>
        routes() {
      return org.springframework.web.servlet.function.RouterFunctions.route()
          .PUT("/metrics", (request) -> ServerResponse.ok().body("own"))
          .path("/api", (api) -> api.GET("/metrics", (request) -> ServerResponse.ok().body("own")))
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ReactiveRoutes {

    @Bean
    org.springframework.web.reactive.function.server.RouterFunction<
            org.springframework.web.reactive.function.server.ServerResponse>
        routes() {
      return org.springframework.web.reactive.function.server.RouterFunctions.route()
          .PUT(
              "/metrics",
              (request) ->
                  org.springframework.web.reactive.function.server.ServerResponse.ok()
                      .bodyValue("own"))
          .path(
              "/api",
              (api) ->
                  api.GET(
                      "/metrics",
                      (request) ->
                          org.springframework.web.reactive.function.server.ServerResponse.ok()
                              .bodyValue("own")))
          .build();
    }
  }

  @RestController
  static class OwnMetricsController {

    @PostMapping("/metrics")
    String ownMetrics() {
      return "the application's own";
    }

    @GetMapping("/passenger_metrics")
    String ownPassenger() {
      return "the application's own";
    }
  }
}
