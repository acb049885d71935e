package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import java.util.List;
import net.logstash.logback.marker.Markers;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.test.util.ReflectionTestUtils;

class AccessLogAutoConfigurationTests {

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(AccessLogAutoConfiguration.class));

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
  void backsOffInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AccessLogAutoConfiguration.class))
        .run((context) -> assertThat(context).doesNotHaveBean("accessLogFilter"));
  }

  @Test
  void backsOffWithoutTheLogstashEncoder() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(Markers.class))
        .run((context) -> assertThat(context).doesNotHaveBean("accessLogFilter"));
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
