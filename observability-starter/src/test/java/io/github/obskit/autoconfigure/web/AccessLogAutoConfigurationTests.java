package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AccessLogAutoConfigurationTests {

  @RegisterExtension final AccessLogEvents accessLog = new AccessLogEvents();

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ObservationAutoConfiguration.class, AccessLogAutoConfiguration.class));

  private final ReactiveWebApplicationContextRunner reactiveContextRunner =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ObservationAutoConfiguration.class, AccessLogAutoConfiguration.class));

  @Test
  void logsTheServletRequestsObservedByTheApplicationsRegistry() {
    this.contextRunner.run(
        (context) -> {
          assertThat(
                  context.getBean(AccessLogObservationHandler.class).supportsContext(servlet("/a")))
              .isTrue();
          assertThat(
                  context
                      .getBean(AccessLogObservationHandler.class)
                      .supportsContext(reactive("/a")))
              .isFalse();
          observe(context, servlet("/orders/1"));
          assertThat(this.accessLog.events()).hasSize(1);
        });
  }

  @Test
  void logsTheReactiveRequestsObservedByTheApplicationsRegistry() {
    this.reactiveContextRunner.run(
        (context) -> {
          assertThat(
                  context
                      .getBean(AccessLogObservationHandler.class)
                      .supportsContext(reactive("/a")))
              .isTrue();
          assertThat(
                  context.getBean(AccessLogObservationHandler.class).supportsContext(servlet("/a")))
              .isFalse();
          observe(context, reactive("/orders/1"));
          assertThat(this.accessLog.events()).hasSize(1);
        });
  }

  @Test
  void leavesOutTheConfiguredPaths() {
    this.contextRunner
        .withPropertyValues("observability.web.access-log.exclude-paths=/internal/**")
        .run(
            (context) -> {
              observe(context, servlet("/internal/a/b"));
              observe(context, servlet("/orders/1"));
              assertThat(this.accessLog.events())
                  .singleElement()
                  .satisfies(
                      (event) ->
                          assertThat(AccessLogEvents.fields(event))
                              .containsEntry("path", "/orders/1"));
            });
  }

  @Test
  void backsOffWhenDisabled() {
    this.contextRunner
        .withPropertyValues("observability.web.access-log.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean(AccessLogObservationHandler.class));
    this.reactiveContextRunner
        .withPropertyValues("observability.web.access-log.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean(AccessLogObservationHandler.class));
  }

  @Test
  void failsWithTheNameOfThePropertyOnAnInvalidExcludedPath() {
    this.contextRunner
        .withPropertyValues("observability.web.access-log.exclude-paths=/{unclosed")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(
                        "Invalid path pattern '/{unclosed' in"
                            + " observability.web.access-log.exclude-paths"));
  }

  @Test
  void backsOffWhenTheUserDefinesTheHandler() {
    AccessLogObservationHandler own =
        new AccessLogObservationHandler(
            new ServletServerRequestReader(), RequestPathMatcher.none());
    this.contextRunner
        .withBean("userHandler", AccessLogObservationHandler.class, () -> own)
        .run(
            (context) ->
                assertThat(context).getBean(AccessLogObservationHandler.class).isSameAs(own));
  }

  @Test
  void backsOffInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AccessLogAutoConfiguration.class))
        .run((context) -> assertThat(context).doesNotHaveBean(AccessLogObservationHandler.class));
  }

  @Test
  void backsOffWithoutMicrometerObservation() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(ObservationHandler.class))
        .run((context) -> assertThat(context).doesNotHaveBean(AccessLogObservationHandler.class));
  }

  @Test
  void backsOffWithoutTheStacksObservationContext() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(ServerRequestObservationContext.class))
        .run((context) -> assertThat(context).doesNotHaveBean(AccessLogObservationHandler.class));
    this.reactiveContextRunner
        .withClassLoader(
            new FilteredClassLoader(
                org.springframework.http.server.reactive.observation.ServerRequestObservationContext
                    .class))
        .run((context) -> assertThat(context).doesNotHaveBean(AccessLogObservationHandler.class));
  }

  @Test
  void logsWithoutTheLogstashEncoderForBootsStructuredLogging() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(Markers.class))
        .run((context) -> assertThat(context).hasSingleBean(AccessLogObservationHandler.class));
  }

  private static void observe(ApplicationContext context, Observation.Context request) {
    Observation.createNotStarted(
            "http.server.requests", () -> request, context.getBean(ObservationRegistry.class))
        .start()
        .stop();
  }

  private static ServerRequestObservationContext servlet(String path) {
    return new ServerRequestObservationContext(
        new MockHttpServletRequest("GET", path), new MockHttpServletResponse());
  }

  private static org.springframework.http.server.reactive.observation
          .ServerRequestObservationContext
      reactive(String path) {
    return new org.springframework.http.server.reactive.observation.ServerRequestObservationContext(
        MockServerHttpRequest.get(path).build(), new MockServerHttpResponse(), Map.of());
  }
}
