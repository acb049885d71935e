package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.ObservabilityPathsAutoConfiguration;
import io.github.obskit.autoconfigure.metrics.PrometheusScrapePathAutoConfiguration;
import io.github.obskit.autoconfigure.passenger.PassengerMetricsAutoConfiguration;
import jakarta.servlet.DispatcherType;
import java.util.Arrays;
import java.util.List;
import net.logstash.logback.marker.Markers;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.util.ReflectionTestUtils;

class AccessLogAutoConfigurationTests {

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
                  AccessLogAutoConfiguration.class));

  @Test
  void registersTheFilterInsideTheObservationFilterForRequestsOnly() {
    this.contextRunner.run(
        (context) -> {
          FilterRegistrationBean<?> registration =
              context.getBean("accessLogFilter", FilterRegistrationBean.class);
          assertThat(registration.getFilter()).isInstanceOf(AccessLogFilter.class);
          assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 2);
          assertThat(ReflectionTestUtils.getField(registration, "dispatcherTypes"))
              .asInstanceOf(InstanceOfAssertFactories.ITERABLE)
              .containsExactly(DispatcherType.REQUEST);
        });
  }

  @Test
  void leavesOutActuatorAndTheScrapePathByDefault() {
    this.contextRunner.run(
        (context) ->
            assertThat(notLogged(context, CANDIDATES))
                .containsExactly("/actuator/health", "/actuator/prometheus", "/metrics"));
  }

  @Test
  void leavesOutTheConfiguredPathsAsWell() {
    this.contextRunner
        .withPropertyValues("observability.web.access-log.exclude-paths=/internal/**")
        .run(
            (context) ->
                assertThat(notLogged(context, "/internal/a/b", "/actuator/health", "/metrics"))
                    .containsExactly("/internal/a/b", "/actuator/health", "/metrics"));
  }

  @Test
  void leavesOutOnlyTheConfiguredPathsWhenTheObservabilityPathsAreToBeLogged() {
    this.contextRunner
        .withPropertyValues(
            "observability.web.access-log.exclude-observability-paths=false",
            "observability.web.access-log.exclude-paths=/internal/**")
        .run(
            (context) ->
                assertThat(notLogged(context, "/internal/a/b", "/actuator/health", "/metrics"))
                    .containsExactly("/internal/a/b"));
  }

  @Test
  void backsOffWhenDisabled() {
    this.contextRunner
        .withPropertyValues("observability.web.access-log.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean("accessLogFilter"));
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
  void backsOffWhenTheUserRegistersTheFilter() {
    this.contextRunner
        .withUserConfiguration(UserFilterConfiguration.class)
        .run(
            (context) ->
                assertThat(context).doesNotHaveBean("accessLogFilter").hasBean("userFilter"));
  }

  @Test
  void logsWithOnlyItsOwnListWhenTheApplicationExcludesThePathsAutoConfiguration() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AccessLogAutoConfiguration.class))
        .withPropertyValues("observability.web.access-log.exclude-paths=/internal/**")
        .run(
            (context) ->
                assertThat(notLogged(context, "/internal/ping", "/actuator/health"))
                    .containsExactly("/internal/ping"));
  }

  @Test
  void backsOffInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AccessLogAutoConfiguration.class))
        .run((context) -> assertThat(context).doesNotHaveBean("accessLogFilter"));
  }

  @Test
  void logsWithoutTheLogstashEncoderForBootsStructuredLogging() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(Markers.class))
        .run((context) -> assertThat(context).hasBean("accessLogFilter"));
  }

  /** The given paths whose requests the filter does not log. */
  private static List<String> notLogged(AssertableWebApplicationContext context, String... paths) {
    AccessLogFilter filter =
        (AccessLogFilter)
            context.getBean("accessLogFilter", FilterRegistrationBean.class).getFilter();
    // The filter also stands back when its logger is off: that would make every path look excluded.
    assertThat(LoggerFactory.getLogger(AccessLogFilter.LOGGER_NAME).isInfoEnabled()).isTrue();
    return Arrays.stream(paths)
        .filter((path) -> filter.shouldNotFilter(new MockHttpServletRequest("GET", path)))
        .toList();
  }

  @Configuration(proxyBeanMethods = false)
  static class UserFilterConfiguration {

    @Bean
    FilterRegistrationBean<AccessLogFilter> userFilter() {
      return new FilterRegistrationBean<>(
          new AccessLogFilter(RequestPathMatcher.of("test", List.of())));
    }
  }
}
