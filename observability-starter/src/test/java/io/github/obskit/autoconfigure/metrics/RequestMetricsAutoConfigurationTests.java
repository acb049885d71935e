package io.github.obskit.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.ObservabilityPathsAutoConfiguration;
import io.github.obskit.autoconfigure.passenger.PassengerMetricsAutoConfiguration;
import io.github.obskit.autoconfigure.web.RequestPathMatcher;
import io.github.obskit.autoconfigure.web.ServletServerRequestReader;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.reactive.resource.ResourceWebHandler;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

class RequestMetricsAutoConfigurationTests {

  private static final String[] CANDIDATES = {
    "/actuator/health", "/actuator/prometheus", "/metrics", "/passenger_metrics", "/orders/1"
  };

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  EndpointAutoConfiguration.class,
                  WebEndpointAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  PrometheusMetricsExportAutoConfiguration.class,
                  PrometheusScrapePathAutoConfiguration.class,
                  PassengerMetricsAutoConfiguration.class,
                  ObservabilityPathsAutoConfiguration.class,
                  RequestMetricsAutoConfiguration.class));

  private final ReactiveWebApplicationContextRunner reactiveContextRunner =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  EndpointAutoConfiguration.class,
                  WebEndpointAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  PrometheusMetricsExportAutoConfiguration.class,
                  PrometheusScrapePathAutoConfiguration.class,
                  ObservabilityPathsAutoConfiguration.class,
                  RequestMetricsAutoConfiguration.class));

  @Test
  void describesTheRequestMetersOfTheConfiguredNameInTheRegistry() {
    this.contextRunner
        .withPropertyValues("management.observations.http.server.requests.name=orders.requests")
        .run(
            (context) -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              registry.timer("orders.requests", "uri", "/orders/{id}");
              LongTaskTimer.builder("orders.requests.active").register(registry);
              registry.timer("http.server.requests");
              assertThat(registry.get("orders.requests").timer().getId().getDescription())
                  .isEqualTo(RequestMetricsDescriptions.ANSWERED);
              assertThat(
                      registry
                          .get("orders.requests.active")
                          .longTaskTimer()
                          .getId()
                          .getDescription())
                  .isEqualTo(RequestMetricsDescriptions.IN_FLIGHT);
              assertThat(registry.get("http.server.requests").timer().getId().getDescription())
                  .isNull();
            });
  }

  @Test
  void keepsADescriptionGivenElsewhereAndBacksOffForTheUsersFilter() {
    this.contextRunner.run(
        (context) -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          Timer.builder("http.server.requests")
              .description("the application's own")
              .register(registry);
          assertThat(registry.get("http.server.requests").timer().getId().getDescription())
              .isEqualTo("the application's own");
        });
    this.contextRunner
        .withBean(
            "userDescriptions",
            RequestMetricsDescriptions.class,
            () -> new RequestMetricsDescriptions("other.name"))
        .run(
            (context) ->
                assertThat(context.getBean(RequestMetricsDescriptions.class))
                    .isSameAs(context.getBean("userDescriptions")));
  }

  @Test
  void leavesOutActuatorAndTheScrapePathByDefault() {
    this.contextRunner.run(
        (context) -> {
          assertThat(notRecorded(context, CANDIDATES))
              .containsExactly("/actuator/health", "/actuator/prometheus", "/metrics");
          ExcludedPathsObservationPredicate predicate =
              context.getBean(ExcludedPathsObservationPredicate.class);
          assertThat(predicate.test("other", new Observation.Context())).isTrue();
        });
  }

  @Test
  void leavesOutTheConfiguredPathsAsWell() {
    this.contextRunner
        .withPropertyValues("observability.metrics.exclude-paths=/internal/**")
        .run(
            (context) ->
                assertThat(notRecorded(context, "/internal/a/b", "/actuator/health", "/metrics"))
                    .containsExactly("/internal/a/b", "/actuator/health", "/metrics"));
  }

  @Test
  void leavesOutOnlyTheConfiguredPathsWhenTheObservabilityPathsAreToBeRecorded() {
    this.contextRunner
        .withPropertyValues(
            "observability.metrics.exclude-observability-paths=false",
            "observability.metrics.exclude-paths=/internal/**")
        .run(
            (context) ->
                assertThat(notRecorded(context, "/internal/a/b", "/actuator/health", "/metrics"))
                    .containsExactly("/internal/a/b"));
  }

  @Test
  void matchesPathsWithinTheContextPath() {
    this.contextRunner.run(
        (context) -> {
          MockHttpServletRequest request = new MockHttpServletRequest("GET", "/app/metrics");
          request.setContextPath("/app");
          assertThat(
                  context
                      .getBean(ExcludedPathsObservationPredicate.class)
                      .test(
                          "http.server.requests",
                          new ServerRequestObservationContext(
                              request, new MockHttpServletResponse())))
              .isFalse();
        });
  }

  @Test
  void failsWithTheNameOfThePropertyOnAnInvalidPattern() {
    this.contextRunner
        .withPropertyValues("observability.metrics.exclude-paths=/a/**/b")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(
                        "Invalid path pattern '/a/**/b' in observability.metrics.exclude-paths"));
  }

  @Test
  void rejectsInvalidSloBucketsAtStartup() {
    this.contextRunner
        .withPropertyValues("observability.metrics.slo-buckets=5ms,fast")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("observability.metrics.slo-buckets"));
  }

  @Test
  void backsOffWhenDisabled() {
    this.contextRunner
        .withPropertyValues("observability.metrics.enabled=false")
        .run(
            (context) ->
                assertThat(context).doesNotHaveBean(ExcludedPathsObservationPredicate.class));
  }

  @Test
  void backsOffWhenTheUserDefinesThePredicate() {
    this.contextRunner
        .withUserConfiguration(UserPredicateConfiguration.class)
        .run(
            (context) ->
                assertThat(context)
                    .getBean(ExcludedPathsObservationPredicate.class)
                    .isSameAs(context.getBean("userPredicate")));
  }

  @Test
  void tagsUnknownPathsNotFoundUnderTheConfiguredObservationName() {
    this.contextRunner
        .withPropertyValues("management.observations.http.server.requests.name=http.in")
        .run(
            (context) -> {
              NotFoundUriServerRequestObservationConvention convention =
                  context.getBean(NotFoundUriServerRequestObservationConvention.class);
              assertThat(convention.getName()).isEqualTo("http.in");
              MockHttpServletRequest request = new MockHttpServletRequest("GET", "/nowhere");
              request.setAttribute(
                  HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, new ResourceHttpRequestHandler());
              request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/**");
              MockHttpServletResponse response = new MockHttpServletResponse();
              response.setStatus(404);
              assertThat(
                      convention.getLowCardinalityKeyValues(
                          new ServerRequestObservationContext(request, response)))
                  .contains(KeyValue.of("uri", "NOT_FOUND"));
            });
  }

  @Test
  void backsOffWhenTheUserDefinesAConvention() {
    this.contextRunner
        .withBean(
            ServerRequestObservationConvention.class,
            DefaultServerRequestObservationConvention::new)
        .run(
            (context) ->
                assertThat(context)
                    .hasSingleBean(ServerRequestObservationConvention.class)
                    .doesNotHaveBean(NotFoundUriServerRequestObservationConvention.class));
  }

  @Test
  void backsOffInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RequestMetricsAutoConfiguration.class))
        .run(
            (context) ->
                assertThat(context).doesNotHaveBean(ExcludedPathsObservationPredicate.class));
  }

  @Test
  void backsOffWithoutSpringWebObservations() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(ServerRequestObservationContext.class))
        .run(
            (context) ->
                assertThat(context).doesNotHaveBean(ExcludedPathsObservationPredicate.class));
  }

  @Test
  void leavesOutActuatorAndTheScrapePathOfAReactiveApplication() {
    this.reactiveContextRunner.run(
        (context) -> {
          ExcludedPathsObservationPredicate predicate =
              context.getBean(ExcludedPathsObservationPredicate.class);
          assertThat(
                  Arrays.stream(CANDIDATES)
                      .filter(
                          (path) ->
                              !predicate.test(
                                  "http.server.requests",
                                  new org.springframework.http.server.reactive.observation
                                      .ServerRequestObservationContext(
                                      MockServerHttpRequest.get("/base" + path)
                                          .contextPath("/base")
                                          .build(),
                                      new MockServerHttpResponse(),
                                      Map.of())))
                      .toList())
              .containsExactly("/actuator/health", "/actuator/prometheus", "/metrics");
          // A servlet observation is nothing this stack's predicate knows.
          assertThat(predicate.test("http.server.requests", serverContext("/metrics"))).isTrue();
        });
  }

  @Test
  void tagsUnknownReactivePathsNotFoundWhereTheResourceHandlerAnswered() {
    this.reactiveContextRunner.run(
        (context) -> {
          assertThat(context)
              .hasSingleBean(
                  org.springframework.http.server.reactive.observation
                      .ServerRequestObservationConvention.class)
              .doesNotHaveBean(NotFoundUriServerRequestObservationConvention.class);
          ReactiveNotFoundUriServerRequestObservationConvention convention =
              context.getBean(ReactiveNotFoundUriServerRequestObservationConvention.class);
          MockServerHttpResponse response = new MockServerHttpResponse();
          response.setStatusCode(HttpStatus.NOT_FOUND);
          Map<String, Object> attributes = new HashMap<>();
          attributes.put(
              org.springframework.web.reactive.HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
              new ResourceWebHandler());
          var reactiveContext =
              new org.springframework.http.server.reactive.observation
                  .ServerRequestObservationContext(
                  MockServerHttpRequest.get("/nowhere").build(), response, attributes);
          reactiveContext.setPathPattern("/**");
          assertThat(convention.getLowCardinalityKeyValues(reactiveContext))
              .contains(KeyValue.of("uri", "NOT_FOUND"));
        });
  }

  @Test
  void reactiveConventionBacksOffForTheUsers() {
    this.reactiveContextRunner
        .withBean(
            org.springframework.http.server.reactive.observation.ServerRequestObservationConvention
                .class,
            org.springframework.http.server.reactive.observation
                    .DefaultServerRequestObservationConvention
                ::new)
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(ReactiveNotFoundUriServerRequestObservationConvention.class));
  }

  /** The given paths whose requests the predicate keeps out of the request metrics. */
  private static List<String> notRecorded(
      AssertableWebApplicationContext context, String... paths) {
    ExcludedPathsObservationPredicate predicate =
        context.getBean(ExcludedPathsObservationPredicate.class);
    return Arrays.stream(paths)
        .filter((path) -> !predicate.test("http.server.requests", serverContext(path)))
        .toList();
  }

  private static ServerRequestObservationContext serverContext(String path) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
    return new ServerRequestObservationContext(request, new MockHttpServletResponse());
  }

  @Configuration(proxyBeanMethods = false)
  static class UserPredicateConfiguration {

    @Bean
    ExcludedPathsObservationPredicate userPredicate() {
      return new ExcludedPathsObservationPredicate(
          RequestPathMatcher.of("test", List.of()), new ServletServerRequestReader());
    }
  }
}
